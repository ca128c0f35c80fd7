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
    x: float,
    y: float,
    text: str,
    *,
    size: int = 11,
    anchor: str = "start",
    fill: str = "",
    weight: str = "",
    cls: str = "",
    halo: bool = False,
) -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"'
    if fill:
        attrs += f' fill="{fill}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if cls:
        attrs = f'class="{cls}" ' + attrs
    if halo:  # a white outline under the glyphs: legible over the points of a scatter
        attrs += ' stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    return f"<text {attrs}>{escape(text)}</text>"


# Each chart is drawn twice: a wide one (desktop, viewBox 540 wide: shown at 520-760 px) and a phone one (viewBox
# 340 wide: shown at ~350 px in a 390-px screen), the page's CSS shows one (@media max-width 700px). The viewBox is
# about as wide as the chart on screen, so a font-size of 11-12 stays ~11-12 px (a 760-wide drawing shrunk to a phone
# made 8 px text).
WIDE_W, PHONE_W = 540, 340
FS, TICK = 12, 11  # label and tick font sizes (viewBox units ~ px)


def _text_w(text: str, size: float) -> float:
    """Width estimate of a text: a CJK character is about 1 em, anything else about 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else 0.6 * size for ch in text)


def _both(draw) -> Markup | None:
    """The wide and the phone variant of a chart (``draw(phone)`` returns one ``<svg>`` or None)."""
    wide = draw(False)
    if wide is None:
        return None
    return Markup(wide + draw(True))


def _svg(name: str, width: int, height: int, label: str, body: Sequence[str], variant: str = "") -> Markup:
    v = f' data-variant="{variant}"' if variant else ""
    return Markup(
        f'<svg class="chart" data-chart="{name}"{v} viewBox="0 0 {width} {height}" role="img" '
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
            out.append(_t(x, y, text, anchor="middle", size=TICK, fill=PALETTE["muted"]))
            last_month, last_x = d.month, x
    return out


# ---------------------------------------------------------------- funnel
FUNNEL_STEPS = ("impressions", "clicks", "visitors", "inquiries", "ta_orders")
# the order rate is the inquiry cohort's (the view passes the latest complete cohort in the week's row)
FUNNEL_RATES = ("ctr", "inquiry_rate", "opportunity_rate", "order_rate_cohort")
FUNNEL_RATE_LABELS = {"order_rate_cohort": "funnel_order_rate_cohort"}  # a short label beside the bars


def funnel(week: dict | None, lang: Lang) -> Markup | None:
    if not week or not any(week.get(s) for s in FUNNEL_STEPS):
        return None
    return _both(lambda phone: _funnel(week, lang, phone))


def _funnel(week: dict, lang: Lang, phone: bool) -> Markup:
    """Steps as centred log-scaled bars; the stage rates against their 8-week baseline beside (wide) or below."""
    W = PHONE_W if phone else WIDE_W
    body: list[str] = []
    vmax = max(float(week.get(s) or 0) for s in FUNNEL_STEPS)
    lmax = math.log10(vmax + 1)
    labels = [_label(lang, s) for s in FUNNEL_STEPS]
    if phone:  # the label above its bar, the bar across the width
        x0, bar_w, bar_h, top, row_h, lab_dy = 0.0, float(W), 20, 4, 40, 12
    else:
        x0 = min(190.0, max(_text_w(t, FS) for t in labels) + 10)
        bar_w, bar_h, top, row_h, lab_dy = 200.0, 28, 20, 42, 0
    for i, step in enumerate(FUNNEL_STEPS):
        y = top + i * row_h + lab_dy
        if phone:
            body.append(_t(0, y - 3, labels[i], size=FS))
        else:
            body.append(_t(x0 - 10, y + bar_h / 2 + 4, labels[i], anchor="end", size=FS))
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
        inside = w > 70
        body.append(
            _t(
                x0 + bar_w / 2 if inside else x + w + 6,
                y + bar_h / 2 + 4,
                fmt.num(v),
                anchor="middle" if inside else "start",
                fill="#fff" if inside else PALETTE["ink"],
                weight="bold",
                size=FS,
            )
        )
    # stage rates vs 8-week baseline
    if phone:
        rx, ry0, rate_w = 0.0, top + 5 * row_h + 22, 200.0
    else:
        rx, ry0, rate_w = x0 + bar_w + 20, 16.0, float(W - (x0 + bar_w + 20) - 60)
    head = [_label(lang, "this_week"), _label(lang, "baseline_8w")]
    if rx + _text_w(" · ".join(head), TICK) <= W:
        head = [" · ".join(head)]
    else:
        ry0 += 14
    for j, line in enumerate(head):
        body.append(_t(rx, ry0 - 4 - 14 * (len(head) - 1 - j), line, size=TICK, fill=PALETTE["muted"]))
    for i, rate in enumerate(FUNNEL_RATES):
        cur, base = week.get(rate), week.get(f"{rate}_baseline_8w")
        y = ry0 + 12 + i * 50
        body.append(_t(rx, y + 4, _label(lang, FUNNEL_RATE_LABELS.get(rate, rate)), size=FS))
        scale = max(x for x in (cur or 0, base or 0, 1e-9))
        for j, (val, colour) in enumerate(((cur, None), (base, PALETTE["muted"]))):
            if val is None:
                continue
            colour = colour or (PALETTE["green"] if base is None or val >= base else PALETTE["red"])
            bw = rate_w * val / scale
            by = y + 10 + j * 14
            body.append(f'<rect x="{rx:.1f}" y="{by:.1f}" width="{bw:.1f}" height="10" fill="{colour}"/>')
            body.append(_t(rx + bw + 6, by + 10, fmt.pct(val), size=TICK, fill=PALETTE["ink"]))
    H = int(max(top + 5 * row_h + lab_dy, ry0 + 12 + 4 * 50) + 4)
    return _svg("funnel", W, H, _label(lang, "chart_funnel"), body, "phone" if phone else "wide")


def _legend(items: list[tuple[str, str]], x0: float, y0: float, width: float) -> tuple[list[str], float]:
    """Legend entries (swatch svg, text) flowed into rows under a plot; returns the elements and the bottom y."""
    out, x, y = [], x0, y0
    for swatch, text in items:
        w = 18 + _text_w(text, TICK) + 14
        if x > x0 and x + w > x0 + width:
            x, y = x0, y + 18
        out.append(swatch.format(x=x, y=y))
        out.append(_t(x + 16, y + 4, text, size=TICK))
        x += w
    return out, y + 8


def _swatch(colour: str, h: int = 10, opacity: str = "") -> str:
    op = f' fill-opacity="{opacity}"' if opacity else ""
    return f'<rect x="{{x:.1f}}" y="{{y:.1f}}" width="12" height="{h}" transform="translate(0 -{h - 2})" fill="{colour}"{op}/>'


# ---------------------------------------------------------------- weekly trend with festival markers
def trend(weeks: list[dict], festivals: dict[dt.date, list[dict]], lang: Lang) -> Markup | None:
    weeks = [w for w in weeks if w.get("impressions") is not None]
    if len(weeks) < 2:
        return None
    return _both(lambda phone: _trend(weeks, festivals, lang, phone))


def _trend(weeks: list[dict], festivals: dict[dt.date, list[dict]], lang: Lang, phone: bool) -> Markup:
    W = PHONE_W if phone else WIDE_W
    ph = 170 if phone else 200
    L, R, T = (36, 36, 22) if phone else (48, 48, 26)
    pw = W - L - R
    n = len(weeks)
    step = pw / (n - 1)
    imp_max = _nice_max(max(float(w["impressions"] or 0) for w in weeks))
    inq_max = _nice_max(max(float(w.get("inquiries") or 0) for w in weeks))
    body: list[str] = []

    def xi(i: int) -> float:
        return L + i * step

    # festival / fair shading (one band per week) and a label at the start of each run (none over the previous)
    prev_codes: set[str] = set()
    label_end = -1e9
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
                    text = fmt.truncate(name or e["code"], 10 if phone else 18)
                    # inside the plot's width, so a label never runs over the axes' tick labels
                    x = max(float(L), xi(i) - step / 2 + 2)
                    if x < label_end:
                        continue
                    x = max(float(L), min(x, L + pw - _text_w(text, TICK)))
                    body.append(_t(x, T - 6, text, size=TICK, fill="#9a5b13"))
                    label_end = x + _text_w(text, TICK) + 6
        prev_codes = codes
    # grid + axes
    for k in range(5):
        y = T + ph - k * ph / 4
        body.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="{PALETTE["grid"]}"/>')
        if phone and k % 2:
            continue
        body.append(_t(L - 4, y + 4, _short(imp_max * k / 4), anchor="end", size=TICK, fill=PALETTE["blue"]))
        body.append(_t(L + pw + 4, y + 4, _short(inq_max * k / 4), size=TICK, fill=PALETTE["orange"]))
    body += _month_ticks([(w["period_end"], xi(i)) for i, w in enumerate(weeks)], T + ph + 18)

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
    legend, bottom = _legend(
        [
            (_swatch(PALETTE["blue"], 4), _label(lang, "impressions") + " ←"),
            (_swatch(PALETTE["orange"], 4), "→ " + _label(lang, "inquiries")),
            (_swatch(PALETTE["festival"]), _label(lang, "festival")),
            (_swatch(PALETTE["fair"]), _label(lang, "trade_fair")),
        ],
        4 if phone else L,
        T + ph + 38,
        W - 8 if phone else pw,
    )
    body += legend
    return _svg("trend", W, int(bottom), _label(lang, "chart_trend"), body, "phone" if phone else "wide")


# ---------------------------------------------------------------- keyword quadrant
def keyword_quadrant(
    keywords: list[dict], store_ctr: float | None, lang: Lang, limit: int = 80, label_top: int = 8
) -> Markup | None:
    kws = [k for k in keywords if (k.get("impressions") or 0) > 0 and k.get("ctr") is not None][:limit]
    if len(kws) < 2:
        return None
    return _both(
        lambda phone: _keyword_quadrant(
            kws, store_ctr, lang, min(label_top, 5) if phone else label_top, phone
        )
    )


def _keyword_quadrant(
    kws: list[dict], store_ctr: float | None, lang: Lang, label_top: int, phone: bool
) -> Markup:
    W = PHONE_W if phone else WIDE_W
    L, R, T = (58, 6, 8) if phone else (58, 12, 10)
    ph = 240 if phone else 290
    pw = W - L - R
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
            _t(L - 4, y + 4, _pct_tick(ctr_max * k / 4), anchor="end", size=TICK, fill=PALETTE["muted"])
        )
    for e in range(math.ceil(lo), math.floor(hi) + 1):
        x = px(10**e)
        body.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{T + ph}" stroke="{PALETTE["grid"]}"/>')
        body.append(_t(x, T + ph + 15, _short(10**e), anchor="middle", size=TICK, fill=PALETTE["muted"]))
    xs, ys = px(med_imp), py(ctr_split)
    body.append(
        f'<line x1="{xs:.1f}" y1="{T}" x2="{xs:.1f}" y2="{T + ph}" stroke="{PALETTE["muted"]}" stroke-dasharray="4 3"/>'
    )
    body.append(
        f'<line x1="{L}" y1="{ys:.1f}" x2="{L + pw}" y2="{ys:.1f}" stroke="{PALETTE["muted"]}" stroke-dasharray="4 3"/>'
    )
    # quadrant names in the corners (their boxes count as placed: no keyword label over them)
    placed: list[tuple[float, float, float, float]] = []
    corner_names: list[str] = []  # drawn over the points
    for key, x, y, anchor, colour in (
        ("quadrant_stars", L + pw - 4, T + 13, "end", PALETTE["green"]),
        ("quadrant_fix", L + pw - 4, T + ph - 6, "end", PALETTE["red"]),
        ("quadrant_grow", L + 4, T + 13, "start", PALETTE["blue"]),
        ("quadrant_tail", L + 4, T + ph - 6, "start", PALETTE["muted"]),
    ):
        text = lang.one(key)
        if phone:
            text = fmt.truncate(text, 20 if lang.mode == "en" else 11)
        tw = _text_w(text, TICK)
        corner_names.append(_t(x, y, text, anchor=anchor, size=TICK, fill=colour, halo=True))
        placed.append((x - tw if anchor == "end" else x, y - 11, tw, 13))
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
    body += corner_names
    # labels: the keywords with most impressions, each only where it overlaps no label already placed
    named = 0
    for k in sorted(kws, key=lambda k: -k["impressions"])[:label_top]:
        text = fmt.truncate(k["keyword"], 16 if phone else 22)
        x, y = px(k["impressions"]), py(k["ctr"])
        width = _text_w(text, TICK) + 4
        left = x + 6 + width > L + pw
        box = (x - 6 - width if left else x + 6, max(y - 15, 0.0), width, 14)
        if box[0] < 0 or any(
            box[0] < b[0] + b[2]
            and b[0] < box[0] + box[2]
            and box[1] < b[1] + b[3]
            and b[1] < box[1] + box[3]
            for b in placed
        ):
            continue
        placed.append(box)
        named += 1
        body.append(
            _t(
                x - 6 if left else x + 6,
                box[1] + 11,
                text,
                size=TICK,
                fill=PALETTE["ink"],
                anchor="end" if left else "start",
                cls="kw",
                halo=True,
            )
        )
    body.append(
        _t(L + pw / 2, T + ph + 31, _label(lang, "impressions") + " (log)", anchor="middle", size=TICK)
    )
    body.append(
        f'<text x="12" y="{T + ph / 2:.1f}" font-size="{TICK}" text-anchor="middle" '
        f'transform="rotate(-90 12 {T + ph / 2:.1f})">{escape(_label(lang, "ctr"))}</text>'
    )
    # legend: the shapes, and which keywords are named
    brand = f'<rect x="{{x:.1f}}" y="{{y:.1f}}" width="8" height="8" transform="translate(2 -6)" fill="{PALETTE["muted"]}"/>'
    other = (
        f'<circle cx="{{x:.1f}}" cy="{{y:.1f}}" r="4" transform="translate(6 -2)" fill="{PALETTE["muted"]}"/>'
    )
    legend, bottom = _legend(
        [(brand, lang.one("brand_keyword")), (other, lang.one("other_keyword"))],
        4 if phone else L,
        T + ph + 50,
        pw,
    )
    body += legend
    body.append(
        _t(
            4 if phone else L,
            bottom + 10,
            lang.one("labelled_top", n=named),
            size=TICK,
            fill=PALETTE["muted"],
        )
    )
    return _svg(
        "keyword-quadrant",
        W,
        int(bottom + 16),
        _label(lang, "chart_keywords"),
        body,
        "phone" if phone else "wide",
    )


# ---------------------------------------------------------------- traffic-source mix
def traffic_mix(rows: list[dict], lang: Lang) -> Markup | None:
    weeks = sorted({r["period_end"] for r in rows})
    if not weeks:
        return None
    return _both(lambda phone: _traffic_mix(rows, weeks, lang, phone))


def _traffic_mix(rows: list[dict], weeks: list[dt.date], lang: Lang, phone: bool) -> Markup:
    W = PHONE_W if phone else WIDE_W
    L, R, T = (36, 6, 8) if phone else (44, 10, 10)
    ph = 170 if phone else 200
    pw = W - L - R
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
    every = max(1, math.ceil(36 / slot))  # a date label at most every 36 px
    body: list[str] = []
    for k in range(5):
        y = T + ph - k * ph / 4
        body.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="{PALETTE["grid"]}"/>')
        body.append(_t(L - 4, y + 4, f"{25 * k}%", anchor="end", size=TICK, fill=PALETTE["muted"]))
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
        if (len(weeks) - 1 - i) % every == 0:  # the latest week always labelled
            body.append(
                _t(
                    x + bw / 2,
                    T + ph + 15,
                    w.strftime("%m-%d"),
                    anchor="middle",
                    size=TICK,
                    fill=PALETTE["muted"],
                )
            )
    items = [
        (_swatch(CHANNEL_COLOURS.get(c, "#bcccdc"), 12), " ".join(lang.pair_list(VALUES.get(c, (c, c)))))
        for c in reversed(classes)
    ]
    legend, bottom = _legend(items, 4 if phone else L, T + ph + 38, W - 8 if phone else pw)
    body += legend
    return _svg(
        "traffic-mix", W, int(bottom), _label(lang, "chart_traffic"), body, "phone" if phone else "wide"
    )


# ---------------------------------------------------------------- P4P spend vs inquiries
def p4p(weeks: list[dict], lang: Lang) -> Markup | None:
    weeks = [w for w in weeks if w.get("spend_cny") is not None]
    if not weeks:
        return None
    return _both(lambda phone: _p4p(weeks, lang, phone))


def _p4p(weeks: list[dict], lang: Lang, phone: bool) -> Markup:
    W = PHONE_W if phone else WIDE_W
    L, R, T = (40, 30, 8) if phone else (52, 44, 10)
    ph = 160 if phone else 190
    pw = W - L - R
    smax = _nice_max(max(float(w["spend_cny"] or 0) for w in weeks))
    imax = _nice_max(max(float(w.get("inquiries") or 0) for w in weeks))
    slot = pw / len(weeks)
    bw = min(22.0, slot * 0.7)
    body: list[str] = []
    for k in range(5):
        y = T + ph - k * ph / 4
        body.append(f'<line x1="{L}" y1="{y:.1f}" x2="{L + pw}" y2="{y:.1f}" stroke="{PALETTE["grid"]}"/>')
        if phone and k % 2:
            continue
        body.append(
            _t(L - 4, y + 4, "¥" + _short(smax * k / 4), anchor="end", size=TICK, fill=PALETTE["blue"])
        )
        body.append(_t(L + pw + 4, y + 4, _short(imax * k / 4), size=TICK, fill=PALETTE["orange"]))
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
        [(w["period_end"], L + i * slot + slot / 2) for i, w in enumerate(weeks)], T + ph + 18
    )
    body.append(
        f'<polyline fill="none" stroke="{PALETTE["orange"]}" stroke-width="2" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        + '"/>'
    )
    body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{PALETTE["orange"]}"/>' for x, y in pts)
    legend, bottom = _legend(
        [
            (_swatch(PALETTE["blue"], 10, "0.75"), _label(lang, "spend_cny") + " ←"),
            (_swatch(PALETTE["orange"], 4), "→ " + _label(lang, "inquiries")),
        ],
        4 if phone else L,
        T + ph + 36,
        W - 8 if phone else pw,
    )
    body += legend
    return _svg("p4p", W, int(bottom), _label(lang, "chart_p4p"), body, "phone" if phone else "wide")


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
