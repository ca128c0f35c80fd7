"""Inline SVG charts, drawn in Python (no JavaScript, no external resource).

Every chart is one ``<svg class="chart" data-chart="<name>">`` without an ``xmlns`` URL (inline SVG in
HTML needs none), all text escaped. A chart with no data returns ``None``; the page says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from gscor.report import fmt
from gscor.report.i18n import VALUES, Lang

PALETTE = {
    "ink": "#1f2933",
    "muted": "#7b8794",
    "grid": "#e4e7eb",
    "blue": "#2f6fde",
    "orange": "#e8833a",
    "green": "#2e9e5b",
    "red": "#d64545",
    "festival": "#fde8c8",
    "fair": "#dbe8fb",
}
CHANNEL_ORDER = ("natural_search", "p4p", "events_channels", "direct", "off_site", "other")
CHANNEL_COLOURS = {
    "natural_search": "#2e9e5b",
    "p4p": "#e8833a",
    "events_channels": "#8e5cd9",
    "direct": "#2f6fde",
    "off_site": "#13a3b5",
    "other": "#9aa5b1",
}


def _t(
    x: float, y: float, text: str, *, size: int = 11, anchor: str = "start", fill: str = "", weight: str = ""
) -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
    if fill:
        attrs += f' fill="{fill}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    return f"<text {attrs}>{escape(text)}</text>"


def _svg(name: str, width: int, height: int, label: str, body: Sequence[str]) -> Markup:
    return Markup(
        f'<svg class="chart" data-chart="{name}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )


def _label(lang: Lang, key: str) -> str:
    return " ".join(lang.svg_lines(key))


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def _short(v: float) -> str:
    if abs(v) >= 1_000_000:
        return f"{v / 1_000_000:.1f}M".replace(".0M", "M")
    if abs(v) >= 1000:
        return f"{v / 1000:.1f}k".replace(".0k", "k")
    return f"{v:.0f}" if float(v).is_integer() or abs(v) >= 10 else f"{v:.2f}"


def _pct_tick(v: float) -> str:
    return f"{100 * v:.2f}".rstrip("0").rstrip(".") + "%"


def _month_ticks(points: list[tuple[dt.date, float]], y: float) -> list[str]:
    """A label where the month changes (year on the first and in January), none closer than 40 px."""
    out, last_month, last_x = [], None, -1e9
    for d, x in points:
        if d.month != last_month and x - last_x > 40:
            text = d.strftime("%Y-%m") if last_month is None or d.month == 1 else d.strftime("%m")
            out.append(_t(x, y, text, anchor="middle", size=10, fill=PALETTE["muted"]))
            last_month, last_x = d.month, x
    return out


# ---------------------------------------------------------------- funnel
FUNNEL_STEPS = ("impressions", "clicks", "visitors", "inquiries", "ta_orders")
FUNNEL_RATES = ("ctr", "inquiry_rate", "opportunity_rate", "order_rate")


def funnel(week: dict | None, lang: Lang) -> Markup | None:
    if not week or not any(week.get(s) for s in FUNNEL_STEPS):
        return None
    W, H = 760, 250
    body: list[str] = []
    top, row_h, bar_h = 20, 44, 30
    x0, bar_w = 150, 330
    vmax = max(float(week.get(s) or 0) for s in FUNNEL_STEPS)
    lmax = math.log10(vmax + 1)
    for i, step in enumerate(FUNNEL_STEPS):
        y = top + i * row_h
        body.append(_t(x0 - 10, y + bar_h / 2 + 4, _label(lang, step), anchor="end", size=12))
        if week.get(step) is None:  # not in this account's exports
            body.append(_t(x0 + bar_w / 2, y + bar_h / 2 + 4, "–", anchor="middle", fill=PALETTE["muted"]))
            continue
        v = float(week[step])
        w = max(4.0, bar_w * (math.log10(v + 1) / lmax if lmax else 0))
        x = x0 + (bar_w - w) / 2
        body.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="3" fill="{PALETTE["blue"]}" '
            f'fill-opacity="{0.95 - i * 0.13:.2f}"/>'
        )
        inside = w > 60
        body.append(
            _t(
                x0 + bar_w / 2 if inside else x + w + 6,
                y + bar_h / 2 + 4,
                fmt.num(v),
                anchor="middle" if inside else "start",
                fill="#fff" if inside else PALETTE["ink"],
                weight="bold",
            )
        )
    # stage rates vs 8-week baseline
    rx = x0 + bar_w + 30
    body.append(
        _t(
            rx,
            12,
            f"{_label(lang, 'this_week')} · {_label(lang, 'baseline_8w')}",
            size=11,
            fill=PALETTE["muted"],
        )
    )
    for i, rate in enumerate(FUNNEL_RATES):
        cur, base = week.get(rate), week.get(f"{rate}_baseline_8w")
        y = top + 8 + i * (row_h + 10)
        body.append(_t(rx, y + 4, _label(lang, rate), size=12))
        scale = max(x for x in (cur or 0, base or 0, 1e-9))
        for j, (val, colour) in enumerate(((cur, None), (base, PALETTE["muted"]))):
            if val is None:
                continue
            colour = colour or (PALETTE["green"] if base is None or val >= base else PALETTE["red"])
            bw = 120 * val / scale
            by = y + 10 + j * 11
            body.append(f'<rect x="{rx:.1f}" y="{by:.1f}" width="{bw:.1f}" height="9" fill="{colour}"/>')
            body.append(_t(rx + bw + 6, by + 8, fmt.pct(val), size=10, fill=PALETTE["ink"]))
    return _svg("funnel", W, H, _label(lang, "chart_funnel"), body)


# ---------------------------------------------------------------- weekly trend with festival markers
def trend(weeks: list[dict], festivals: dict[dt.date, list[dict]], lang: Lang) -> Markup | None:
    weeks = [w for w in weeks if w.get("impressions") is not None]
    if len(weeks) < 2:
        return None
    W, H = 760, 280
    L, R, T, B = 60, 60, 34, 44
    pw, ph = W - L - R, H - T - B
    n = len(weeks)
    step = pw / (n - 1)
    imp_max = _nice_max(max(float(w["impressions"] or 0) for w in weeks))
    inq_max = _nice_max(max(float(w.get("inquiries") or 0) for w in weeks))
    body: list[str] = []

    def xi(i: int) -> float:
        return L + i * step

    # festival / fair shading (one band per week) and a label at the start of each run
    prev_codes: set[str] = set()
    for i, w in enumerate(weeks):
        evs = festivals.get(w["period_end"], [])
        codes = {e["code"] for e in evs}
        if evs:
            fair = all(e.get("festival_type") == "trade_fair" for e in evs)
            colour = PALETTE["fair"] if fair else PALETTE["festival"]
            body.append(
                f'<rect class="festival" x="{xi(i) - step / 2:.1f}" y="{T}" width="{step:.1f}" height="{ph}" '
                f'fill="{colour}"/>'
            )
            for e in evs:
                if e["code"] not in prev_codes:
                    name = e.get("name_en") if lang.mode == "en" else (e.get("name_zh") or e.get("name_en"))
                    body.append(
                        _t(
                            xi(i) - step / 2 + 2,
                            T - 6,
                            fmt.truncate(name or e["code"], 18),
                            size=10,
                            fill="#9a5b13",
                        )
                    )
        prev_codes = codes
    # grid + axes
    for k in range(5):
        y = T + ph - k * ph / 4
        body.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="{PALETTE["grid"]}"/>')
        body.append(_t(L - 6, y + 4, _short(imp_max * k / 4), anchor="end", size=10, fill=PALETTE["blue"]))
        body.append(_t(L + pw + 6, y + 4, _short(inq_max * k / 4), size=10, fill=PALETTE["orange"]))
    body += _month_ticks([(w["period_end"], xi(i)) for i, w in enumerate(weeks)], H - B + 16)

    def line(key: str, vmax: float, colour: str) -> None:
        pts = [
            (xi(i), T + ph - ph * float(w.get(key) or 0) / vmax)
            for i, w in enumerate(weeks)
            if w.get(key) is not None
        ]
        body.append(
            f'<polyline class="series-{key}" fill="none" stroke="{colour}" stroke-width="2" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            + '"/>'
        )
        body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>' for x, y in pts)

    line("impressions", imp_max, PALETTE["blue"])
    line("inquiries", inq_max, PALETTE["orange"])
    ly = H - 10
    body.append(f'<rect x="{L}" y="{ly - 9}" width="12" height="4" fill="{PALETTE["blue"]}"/>')
    body.append(_t(L + 16, ly - 4, _label(lang, "impressions") + " ←", size=11))
    body.append(f'<rect x="{L + 200}" y="{ly - 9}" width="12" height="4" fill="{PALETTE["orange"]}"/>')
    body.append(_t(L + 216, ly - 4, "→ " + _label(lang, "inquiries"), size=11))
    body.append(f'<rect x="{L + 400}" y="{ly - 12}" width="12" height="10" fill="{PALETTE["festival"]}"/>')
    body.append(_t(L + 416, ly - 4, _label(lang, "festival"), size=11))
    body.append(f'<rect x="{L + 540}" y="{ly - 12}" width="12" height="10" fill="{PALETTE["fair"]}"/>')
    body.append(_t(L + 556, ly - 4, _label(lang, "trade_fair"), size=11))
    return _svg("trend", W, H, _label(lang, "chart_trend"), body)


# ---------------------------------------------------------------- keyword quadrant
def keyword_quadrant(
    keywords: list[dict], store_ctr: float | None, lang: Lang, limit: int = 80, label_top: int = 8
) -> Markup | None:
    kws = [k for k in keywords if (k.get("impressions") or 0) > 0 and k.get("ctr") is not None][:limit]
    if len(kws) < 2:
        return None
    W, H = 760, 380
    L, R, T, B = 60, 20, 20, 66
    pw, ph = W - L - R, H - T - B
    lo = math.log10(min(k["impressions"] for k in kws))
    hi = math.log10(max(k["impressions"] for k in kws))
    if hi - lo < 0.5:
        lo, hi = lo - 0.25, hi + 0.25
    ctr_max = _nice_max(max(k["ctr"] for k in kws) * 1.05)
    imps = sorted(k["impressions"] for k in kws)
    med_imp = imps[len(imps) // 2]
    ctr_split = store_ctr if store_ctr is not None else sorted(k["ctr"] for k in kws)[len(kws) // 2]

    def px(v: float) -> float:
        return L + pw * (math.log10(v) - lo) / (hi - lo)

    def py(v: float) -> float:
        return T + ph - ph * min(v, ctr_max) / ctr_max

    body: list[str] = []
    for k in range(5):
        y = T + ph - k * ph / 4
        body.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="{PALETTE["grid"]}"/>')
        body.append(
            _t(L - 6, y + 4, _pct_tick(ctr_max * k / 4), anchor="end", size=10, fill=PALETTE["muted"])
        )
    for e in range(math.ceil(lo), math.floor(hi) + 1):
        x = px(10**e)
        body.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{T + ph}" stroke="{PALETTE["grid"]}"/>')
        body.append(_t(x, T + ph + 14, _short(10**e), anchor="middle", size=10, fill=PALETTE["muted"]))
    xs, ys = px(med_imp), py(ctr_split)
    body.append(
        f'<line x1="{xs:.1f}" y1="{T}" x2="{xs:.1f}" y2="{T + ph}" stroke="{PALETTE["muted"]}" stroke-dasharray="4 3"/>'
    )
    body.append(
        f'<line x1="{L}" y1="{ys:.1f}" x2="{L + pw}" y2="{ys:.1f}" stroke="{PALETTE["muted"]}" stroke-dasharray="4 3"/>'
    )
    body.append(
        _t(L + pw - 4, T + 12, lang.one("quadrant_stars"), anchor="end", size=10, fill=PALETTE["green"])
    )
    body.append(
        _t(L + pw - 4, T + ph - 6, lang.one("quadrant_fix"), anchor="end", size=10, fill=PALETTE["red"])
    )
    body.append(_t(L + 4, T + 12, lang.one("quadrant_grow"), size=10, fill=PALETTE["blue"]))
    body.append(_t(L + 4, T + ph - 6, lang.one("quadrant_tail"), size=10, fill=PALETTE["muted"]))
    for k in kws:
        x, y = px(k["impressions"]), py(k["ctr"])
        high_imp, high_ctr = k["impressions"] >= med_imp, k["ctr"] >= ctr_split
        colour = (
            PALETTE["green"]
            if high_imp and high_ctr
            else PALETTE["red"]
            if high_imp
            else PALETTE["blue"]
            if high_ctr
            else PALETTE["muted"]
        )
        shape = (
            f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
            if k.get("is_brand")
            else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}" fill-opacity="0.8"/>'
        )
        body.append(
            f"<g><title>{escape(k['keyword'])}: {fmt.num(k['impressions'])} · {fmt.pct(k['ctr'])}</title>{shape}</g>"
        )
    # labels: the keywords with most impressions, each only where it overlaps no label already placed
    placed: list[tuple[float, float, float, float]] = []
    for k in sorted(kws, key=lambda k: -k["impressions"])[:label_top]:
        text = fmt.truncate(k["keyword"], 22)
        x, y = px(k["impressions"]), py(k["ctr"])
        width = 6.4 * len(text) + 4
        left = x + 6 + width > L + pw
        box = (x - 6 - width if left else x + 6, y - 15, width, 13)
        if any(
            box[0] < b[0] + b[2]
            and b[0] < box[0] + box[2]
            and box[1] < b[1] + b[3]
            and b[1] < box[1] + box[3]
            for b in placed
        ):
            continue
        placed.append(box)
        body.append(
            _t(
                x - 6 if left else x + 6,
                y - 4,
                text,
                size=11,
                fill=PALETTE["ink"],
                anchor="end" if left else "start",
            )
        )
    # legend: the shapes, and which keywords are named
    ly = H - 10
    body.append(f'<rect x="{L}" y="{ly - 8}" width="8" height="8" fill="{PALETTE["muted"]}"/>')
    body.append(_t(L + 12, ly, lang.one("brand_keyword"), size=11))
    body.append(f'<circle cx="{L + 124}" cy="{ly - 4}" r="4" fill="{PALETTE["muted"]}"/>')
    body.append(_t(L + 132, ly, lang.one("other_keyword"), size=11))
    body.append(
        _t(L + pw, ly, lang.one("labelled_top", n=len(placed)), size=11, anchor="end", fill=PALETTE["muted"])
    )
    body.append(_t(L + pw / 2, T + ph + 30, _label(lang, "impressions") + " (log)", anchor="middle", size=11))
    body.append(
        f'<text x="14" y="{T + ph / 2:.1f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 14 {T + ph / 2:.1f})">{escape(_label(lang, "ctr"))}</text>'
    )
    return _svg("keyword-quadrant", W, H, _label(lang, "chart_keywords"), body)


# ---------------------------------------------------------------- traffic-source mix
def traffic_mix(rows: list[dict], lang: Lang) -> Markup | None:
    weeks = sorted({r["period_end"] for r in rows})
    if not weeks:
        return None
    W, H = 760, 280
    L, R, T, B = 50, 210, 14, 34
    pw, ph = W - L - R, H - T - B
    by_week: dict[dt.date, dict[str, float]] = {w: {} for w in weeks}
    classes: list[str] = []
    for r in rows:
        c = r["channel_class"] or "other"
        by_week[r["period_end"]][c] = by_week[r["period_end"]].get(c, 0) + float(
            r.get("visitors_daily_uv_sum") or 0
        )
        if c not in classes:
            classes.append(c)
    classes.sort(key=lambda c: (CHANNEL_ORDER.index(c) if c in CHANNEL_ORDER else 99, c))
    slot = pw / len(weeks)
    bw = min(40.0, slot * 0.7)
    body: list[str] = []
    for k in range(5):
        y = T + ph - k * ph / 4
        body.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="{PALETTE["grid"]}"/>')
        body.append(_t(L - 6, y + 4, f"{25 * k}%", anchor="end", size=10, fill=PALETTE["muted"]))
    for i, w in enumerate(weeks):
        total = sum(by_week[w].values())
        x = L + i * slot + (slot - bw) / 2
        y = T + ph
        for c in classes:
            v = by_week[w].get(c, 0)
            if not total or not v:
                continue
            h = ph * v / total
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{CHANNEL_COLOURS.get(c, "#bcccdc")}">'
                f"<title>{escape(w.isoformat())} {escape(VALUES.get(c, (c, c))[1])}: {fmt.pct(v / total)}</title></rect>"
            )
        body.append(
            _t(x + bw / 2, T + ph + 14, w.strftime("%m-%d"), anchor="middle", size=9, fill=PALETTE["muted"])
        )
    for j, c in enumerate(reversed(classes)):
        y = T + 10 + j * 20
        body.append(
            f'<rect x="{L + pw + 16}" y="{y - 9}" width="12" height="12" fill="{CHANNEL_COLOURS.get(c, "#bcccdc")}"/>'
        )
        name = " ".join(lang.pair_list(VALUES.get(c, (c, c))))
        body.append(_t(L + pw + 34, y + 1, name, size=11))
    return _svg("traffic-mix", W, H, _label(lang, "chart_traffic"), body)


# ---------------------------------------------------------------- P4P spend vs inquiries
def p4p(weeks: list[dict], lang: Lang) -> Markup | None:
    weeks = [w for w in weeks if w.get("spend_cny") is not None]
    if not weeks:
        return None
    W, H = 760, 260
    L, R, T, B = 60, 60, 14, 44
    pw, ph = W - L - R, H - T - B
    smax = _nice_max(max(float(w["spend_cny"] or 0) for w in weeks))
    imax = _nice_max(max(float(w.get("inquiries") or 0) for w in weeks))
    slot = pw / len(weeks)
    bw = min(22.0, slot * 0.7)
    body: list[str] = []
    for k in range(5):
        y = T + ph - k * ph / 4
        body.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="{PALETTE["grid"]}"/>')
        body.append(_t(L - 6, y + 4, "¥" + _short(smax * k / 4), anchor="end", size=10, fill=PALETTE["blue"]))
        body.append(_t(L + pw + 6, y + 4, _short(imax * k / 4), size=10, fill=PALETTE["orange"]))
    pts = []
    for i, w in enumerate(weeks):
        cx = L + i * slot + slot / 2
        h = ph * float(w["spend_cny"]) / smax
        body.append(
            f'<rect x="{cx - bw / 2:.1f}" y="{T + ph - h:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{PALETTE["blue"]}" '
            f'fill-opacity="0.75"><title>{escape(w["period_end"].isoformat())}: ¥{fmt.num(float(w["spend_cny"]), 0)}</title></rect>'
        )
        pts.append((cx, T + ph - ph * float(w.get("inquiries") or 0) / imax))
    body += _month_ticks(
        [(w["period_end"], L + i * slot + slot / 2) for i, w in enumerate(weeks)], T + ph + 14
    )
    body.append(
        f'<polyline fill="none" stroke="{PALETTE["orange"]}" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        + '"/>'
    )
    body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{PALETTE["orange"]}"/>' for x, y in pts)
    ly = H - 10
    body.append(
        f'<rect x="{L}" y="{ly - 10}" width="12" height="10" fill="{PALETTE["blue"]}" fill-opacity="0.75"/>'
    )
    body.append(_t(L + 16, ly - 1, _label(lang, "spend_cny") + " ←", size=11))
    body.append(f'<rect x="{L + 220}" y="{ly - 7}" width="12" height="4" fill="{PALETTE["orange"]}"/>')
    body.append(_t(L + 236, ly - 1, "→ " + _label(lang, "inquiries"), size=11))
    return _svg("p4p", W, H, _label(lang, "chart_p4p"), body)


# ---------------------------------------------------------------- before/after sparkline
def sparkline(series: list[dict], after_start: dt.date | None, label: str) -> Markup | None:
    pts = [(s["week_end"], float(s["value"])) for s in series if s.get("value") is not None]
    if len(pts) < 2:
        return None
    W, H, P = 160, 40, 3
    lo = min(v for _, v in pts)
    hi = max(v for _, v in pts)
    span = (hi - lo) or 1.0
    n = len(pts)

    def xy(i: int, v: float) -> tuple[float, float]:
        return P + (W - 2 * P) * i / (n - 1), H - P - (H - 2 * P) * (v - lo) / span

    body: list[str] = []
    if after_start is not None:
        first_after = next((i for i, (d, _) in enumerate(pts) if d >= after_start), None)
        if first_after is not None:
            x = xy(first_after, lo)[0] - (W - 2 * P) / (n - 1) / 2
            body.append(
                f'<rect x="{max(x, 0):.1f}" y="0" width="{W - max(x, 0):.1f}" height="{H}" fill="#eef4ff"/>'
            )
            body.append(
                f'<line x1="{max(x, 0):.1f}" y1="0" x2="{max(x, 0):.1f}" y2="{H}" stroke="{PALETTE["muted"]}" stroke-dasharray="2 2"/>'
            )
    coords = [xy(i, v) for i, (_, v) in enumerate(pts)]
    body.append(
        f'<polyline fill="none" stroke="{PALETTE["blue"]}" stroke-width="1.5" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        + '"/>'
    )
    x, y = coords[-1]
    body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{PALETTE["blue"]}"/>')
    return _svg("sparkline", W, H, label, body)
