"""Traffic reports: the shop overview, the traffic sources, the keyword tables and the industry
keyword index, and the paid traffic (外贸直通车: the 全站推广 plans and the keyword report)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .core import DAY, KEYWORDS, P4P_KEYWORDS, Account, festival_lift, headers, pct, row_for
from .writers import write_data_advisor_xls, write_xlsx

CHANNELS = [
    "搜索",
    "外贸直通车",
    "系统推荐",
    "会场",
    "频道",
    "询盘",
    "信保",
    "站内收藏",
    "直接访问",
    "店内",
    "站外",
    "其他",
]
# visitor share per channel: natural search deliberately below half (G02)
CHANNEL_SHARE = [0.34, 0.40, 0.07, 0.05, 0.03, 0.02, 0.02, 0.02, 0.02, 0.01, 0.01, 0.01]
# opportunity rate per channel: 会场 far below the store's ≈ 4% (G04), the small channels well above half
CHANNEL_OPP_RATE = [0.045, 0.04, 0.03, 0.006, 0.035, 0.06, 0.05, 0.05, 0.05, 0.06, 0.06, 0.06]
INDUSTRY_KEYWORDS = [
    ("zapatillas deportivas hombre", 850.0, 6.0),  # G11: big index, few sellers, store absent
    ("sneakers for men", 270.0, 14.0),  # near miss: too many sellers
    ("shoes", 4200.0, 180.0),
    ("sneakers", 3600.0, 150.0),
    ("walking shoes", 1200.0, 60.0),
    ("running shoes", 2500.0, 120.0),
    ("zapatos", 1800.0, 40.0),
    ("chaussures", 900.0, 35.0),
    ("tenis masculino", 640.0, 25.0),
    ("erkek ayakkabı", 300.0, 12.0),
    ("sepatu pria", 520.0, 18.0),
    ("scarpe uomo", 180.0, 5.0),  # near miss: index below 200
]
BRAND_KEYWORDS = ["adidas", "nike running shoes"]
ENGLISH_KEYWORDS = {
    k
    for k in KEYWORDS
    if k.isascii()
    and k.split()[0]
    not in (
        "chaussures",
        "baskets",
        "zapatos",
        "zapatillas",
        "tenis",
        "sapatos",
        "sapatilhas",
        "sepatu",
        "scarpe",
        "herren",
        "turnschuhe",
    )
}


def write_keyword_tables(acct: Account, root: Path) -> None:
    rng = acct.rng
    base = {k: 1300 * (0.93**i) + 40 for i, k in enumerate(KEYWORDS)}
    ctr = {k: rng.uniform(0.011, 0.02) for k in KEYWORDS}  # all above half the store CTR but G05's
    for k in KEYWORDS:  # G15: the non-English searches (≈37% of impressions) click less than the English
        if k not in ENGLISH_KEYWORDS:
            ctr[k] *= 0.85
    base["sapatos masculinos"], ctr["sapatos masculinos"] = 900, 0.001  # G05
    acct.plant("G05", "keyword", "sapatos masculinos", "≈900 impressions/week at 0.1% CTR")
    ctr["zapatos casuales"], base["zapatos casuales"] = 0.0105, 400  # ≈ 0.7× the store CTR
    acct.plant("G05", "keyword", "zapatos casuales", "CTR close to the store's", near_miss=True)
    for b in BRAND_KEYWORDS:
        acct.plant("G12", "keyword", b, "brand keyword bringing traffic")
    for w, (ws, we) in enumerate(acct.weeks):
        lift = festival_lift(we) * (0.6 if w == len(acct.weeks) - 1 else 1.0)
        rows = []
        entries = [(k, base[k], ctr[k]) for k in KEYWORDS] + [(b, 260, 0.015) for b in BRAND_KEYWORDS]
        entries.append(("adidas", 90, 0.02))  # the same text twice, as in the real export
        for kw, b, c in entries:
            imp = int(b * lift * rng.uniform(0.85, 1.15))
            noise = rng.uniform(0.8, 1.2) if kw != "zapatos casuales" else 1.0  # the near miss stays near
            clicks = min(imp, round(imp * c * noise))
            p4p_imp = int(imp * 0.3) if kw in dict(P4P_KEYWORDS) else 0
            p4p_clicks = min(p4p_imp, clicks // 3) if p4p_imp else 0
            peer = rng.uniform(2, 5)
            rows.append(
                row_for(
                    "keyword_performance",
                    {
                        "keyword": kw,
                        "impressions": str(imp),
                        "clicks": str(clicks),
                        "ctr": pct(clicks / imp) if imp else "0%",
                        "p4p_impressions": str(p4p_imp),
                        "p4p_clicks": str(p4p_clicks),
                        "p4p_promoted_duration": f"{round(rng.uniform(20, 168), 1) if p4p_imp else 0.0}",
                        "top10_avg_impressions": str(int(imp * peer)),
                        # peers' CTR below the store's, except for the planted low-CTR keyword (G05)
                        "top10_avg_clicks": str(
                            int(
                                clicks
                                * peer
                                * (10 if kw == "sapatos masculinos" else rng.uniform(0.75, 0.98))
                            )
                        ),
                        "keyword_index": "-" if rng.random() < 0.2 else f"{round(rng.uniform(100, 1100))}.0",
                        "seller_scale_index": f"{rng.randint(0, 25)}.0",
                    },
                )
            )
        rows.sort(key=lambda r: -int(r[1]))
        sep = ", " if w % 2 else ","
        title = f"流量关键词{sep}时间周期{' ' if w % 2 else ''}{ws}~{we}"
        write_data_advisor_xls(root / f"getKeywords-{we}.xls", title, headers("keyword_performance"), rows)
    # industry keyword index: one 30-day export
    ws, we = acct.weeks[-1][1] - dt.timedelta(days=29), acct.weeks[-1][1]
    rows = [
        row_for(
            "keyword_index",
            {
                "keyword": k,
                "search_index": f"{idx}",
                "search_growth": pct(rng.uniform(-0.2, 0.4)),
                "ctr": pct(rng.uniform(0.005, 0.03)),
                "seller_scale_index": f"{scale}",
            },
        )
        for k, idx, scale in INDUSTRY_KEYWORDS
    ]
    write_data_advisor_xls(
        root / f"hotKeywordIndex-{we}.xls", f"关键词指数, 时间周期 {ws}~{we}", headers("keyword_index"), rows
    )
    acct.plant("G11", "keyword", "zapatillas deportivas hombre", "index 850, seller scale 6, store has none")
    acct.plant("G11", "keyword", "sneakers for men", "seller scale 14 > 10", near_miss=True)
    acct.plant("G15", "store", "store", "≈37% of keyword impressions from non-English searches, clicked less")


def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` in whole parts proportional to ``weights`` (largest remainders): they sum to it."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: parts[i] - raw[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


def write_shop_and_traffic(acct: Account, root: Path, perf, inquiries, orders) -> dict[dt.date, int]:
    """Writes the shop overview and the traffic sources; returns the store's TM buyers per day."""
    rng = acct.rng
    store_tm: dict[dt.date, int] = {}
    weekly: dict[int, dict] = {}
    for w, _p, m in perf:
        agg = weekly.setdefault(w, {"imp": 0, "clicks": 0, "visitors": 0, "inq": 0, "tm": 0})
        for k in agg:
            agg[k] += m[k]
    inq_by_day: dict[dt.date, int] = {}
    for q in inquiries:
        inq_by_day[q["inquiry_at"].date()] = inq_by_day.get(q["inquiry_at"].date(), 0) + 1
    ord_by_day: dict[dt.date, list] = {}
    for o in orders:
        ord_by_day.setdefault(o["ordered_at"].date(), []).append(o)
    n = len(acct.weeks)
    carry = [0.0] * len(CHANNELS)  # opportunities carried over per channel (error diffusion)
    for w, (ws, we) in enumerate(acct.weeks):
        agg = weekly[w]
        shop_rows, traffic_rows = [], []
        shares = [rng.uniform(0.12, 0.16) for _ in range(7)]
        tm_days = _split(agg["tm"], shares)  # the week's TM buyers, all of them, over its days
        for d in range(7):
            day = ws + DAY * d
            share = shares[d]
            store_tm[day] = tm_days[d]
            s_imp = int(agg["imp"] * share)
            s_clicks = min(s_imp, int(agg["clicks"] * share))
            a_imp, a_clicks = int(s_imp * 1.6), int(s_clicks * 2.0)
            visitors = max(1, int(agg["visitors"] * share * 1.1))
            day_orders = ord_by_day.get(day, [])
            shop_rows.append(
                row_for(
                    "shop_daily",
                    {
                        "stat_date": day.isoformat(),
                        "total_impressions": str(s_imp + a_imp),
                        "total_clicks": str(s_clicks + a_clicks),
                        "search_impressions": str(s_imp),
                        "search_clicks": str(s_clicks),
                        "ad_impressions": str(a_imp),
                        "ad_clicks": str(a_clicks),
                        "store_visitors": str(visitors),
                        "store_visits": str(int(visitors * 1.4)),
                        "bounce_rate": pct(
                            rng.uniform(0.64, 0.72) if w == n - 1 else rng.uniform(0.4, 0.5)
                        ),  # S04
                        "inquiries": str(inq_by_day.get(day, 0)),
                        "inquiry_buyers": str(inq_by_day.get(day, 0)),
                        "tm_buyers": str(tm_days[d]),
                        "opportunity_buyers": str(min(visitors, inq_by_day.get(day, 0) + tm_days[d])),
                        "ta_orders": str(len(day_orders)),
                        "ta_amount_usd": f"{sum(o['amount'] for o in day_orders):.2f}",
                        "timely_reply_rate": pct(0.82 if w >= n - 2 else rng.uniform(0.93, 0.99)),  # C01
                        "avg_reply_hours": f"{round(rng.uniform(26, 34) if w >= n - 2 else rng.uniform(2, 8), 1)}",
                        "l1plus_inquiry_buyer_share": pct(rng.uniform(0.5, 0.7)),
                    },
                )
            )
            for c, (chan, sh) in enumerate(zip(CHANNELS, CHANNEL_SHARE, strict=True)):
                v = round(visitors * sh * rng.uniform(0.85, 1.15))
                # opportunity buyers at the channel's rate, the fractions carried to the next day (any
                # window's rate is the nominal one ± 1 buyer); inquiry + TM buyers ≤ visitors: 商机转化率 ≤ 100%
                carry[c] += v * CHANNEL_OPP_RATE[c]
                opp = min(v, int(carry[c]))
                carry[c] -= opp
                ib = round(opp * 0.6)
                tb = opp - ib
                traffic_rows.append(
                    row_for(
                        "traffic_source",
                        {
                            "stat_date": day.isoformat(),
                            "channel": chan,
                            "visitors": str(v),
                            "inquiry_buyers": str(ib),
                            "tm_buyers": str(tb),
                            "opportunity_rate": pct((ib + tb) / v) if v else "0%",
                        },
                    )
                )
        write_data_advisor_xls(
            root / f"ShopOverview-{we}.xls", f"店铺数据, 时间周期 {ws}~{we}", headers("shop_daily"), shop_rows
        )
        write_data_advisor_xls(
            root / f"TrafficSource-{we}.xls",
            f"流量来源, 时间周期 {ws}~{we}",
            headers("traffic_source"),
            traffic_rows,
        )
    acct.plant("S04", "store", "store", "bounce rate 64–72% in the latest week")
    acct.plant("G02", "store", "store", "natural search ≈34% of visitors")
    acct.plant("G04", "channel", "会场", "会场 opportunity rate ≈ 0.6% vs store ≈ 4%")
    return store_tm


def write_p4p_fullsite(acct: Account, root: Path, perf, inquiries: list[dict]) -> None:
    """The 全站推广 report: one folder per weekly export, one workbook per plan (no random draws)."""
    # the 全站推广 plans' inquiries are the store's own P4P inquiries attributed to them (a subset)
    fullsite_inq: dict[tuple[int, str], int] = {}
    for q in inquiries:
        if q["p4p_plan"] == "fullsite":
            key = (q["week"], q["product"].product_id)
            fullsite_inq[key] = fullsite_inq.get(key, 0) + 1
    by_week: dict[int, list] = {}
    for w, p, m in perf:
        by_week.setdefault(w, []).append((p, m))
    for w, items in by_week.items():
        ws, we = acct.weeks[w]
        exported = dt.datetime.combine(we + DAY, dt.time(9, 30, 5))
        folder = root / f"全站推广报表-{exported:%Y-%m-%d %H_%M_%S}"
        for plan, members in (("全站推广-爆款", items[:12]), ("全站推广-新品", items[12:24])):
            plan_rows, totals = [], [0] * 7
            for p, m in members:
                imp = int(m["imp"] * 1.2)
                clicks = min(imp, int(m["clicks"] * 1.5))
                inq = fullsite_inq.get((w, p.product_id), 0)
                tm = m["tm"] // 2
                opp = inq + tm
                orders = 1 if inq > 1 else 0
                spend = round(clicks * 2.8, 2)
                vals = [imp, clicks, inq, tm, opp, orders, spend]
                totals = [t + v for t, v in zip(totals, vals, strict=True)]
                plan_rows.append(
                    [
                        p.product_id,
                        p.model,
                        p.name,
                        imp,
                        clicks,
                        pct(clicks / imp) if imp else "0%",
                        inq,
                        tm,
                        opp,
                        orders,
                        spend,
                    ]
                )
            t_imp, t_clicks = totals[0], totals[1]
            plan_rows.append(
                [
                    "汇总",
                    "",
                    "",
                    t_imp,
                    t_clicks,
                    pct(t_clicks / t_imp) if t_imp else "0%",
                    *totals[2:6],
                    round(totals[6], 2),
                ]
            )
            write_xlsx(
                folder / f"{plan}{ws:%Y%m%d}{exported:%Y%m%d%H%M%S}.xlsx",
                headers("p4p_fullsite_product"),
                plan_rows,
                sheet="产品报告",
                preamble=[["全站推广报表"], [f"计划：{plan}"], [f"时间周期：{ws}~{we}"]],
            )


def write_p4p_keywords(
    acct: Account, root: Path, inquiries: list[dict], store_tm: dict[dt.date, int]
) -> None:
    """The standard plans' keyword report. Its inquiries are the store's 外贸直通车 inquiries credited
    to a keyword, its TM buyers ≈ 30% of the store's that day: both subsets of the store's."""
    rng = acct.rng
    n = len(acct.weeks)
    kw_inq: dict[tuple[dt.date, str], int] = {}
    for q in inquiries:
        if q["p4p_keyword"]:
            key = (q["inquiry_at"].date(), q["p4p_keyword"])
            kw_inq[key] = kw_inq.get(key, 0) + 1
    tm_cycle = [kw for kw, _ in P4P_KEYWORDS if kw != "mesh sneakers"]
    tm_seq = 0
    for w, (ws, we) in enumerate(acct.weeks):
        rows = []
        for d in range(7):
            day = ws + DAY * d
            kw_tm: dict[str, int] = {}
            for _ in range(int(store_tm.get(day, 0) * 0.3)):
                kw = tm_cycle[tm_seq % len(tm_cycle)]
                kw_tm[kw] = kw_tm.get(kw, 0) + 1
                tm_seq += 1
            for kw, score in P4P_KEYWORDS:
                campaign = "鞋类标准推广" if score >= 4 else "长尾词推广"
                cpc = {3: 2.4, 4: 3.0, 5: 3.6}[score] * rng.uniform(0.9, 1.1)
                if kw == "running shoes wholesale":
                    cpc *= 3.0  # G03
                imp = int(rng.uniform(60, 260) * festival_lift(day))
                clicks = min(imp, round(imp * rng.uniform(0.01, 0.03)))
                if kw == "mesh sneakers":
                    clicks = min(imp, 1 if d % 2 else 0) + (1 if w >= n - 4 else 0)  # ≥ 20 clicks / 4 weeks
                inq, tm = kw_inq.get((day, kw), 0), kw_tm.get(kw, 0)
                clicks = min(imp, max(clicks, inq + tm))  # every P4P opportunity came through a click
                spend = round(clicks * cpc, 2)
                rows.append(
                    row_for(
                        "p4p_keyword_daily",
                        {
                            "stat_date": day.isoformat(),
                            "campaign": campaign,
                            "keyword": kw,
                            "bid": f"{round(cpc * 1.3, 2)}",
                            "promotion_score": str(score),
                            "avg_rank": f"{round(rng.uniform(1, 12), 1)}",
                            "impressions": imp,
                            "clicks": clicks,
                            "ctr": pct(clicks / imp) if imp else "0%",
                            "spend": spend,
                            "avg_cpc": round(spend / clicks, 2) if clicks else "-",
                            "inquiries": inq,
                            "tm_inquiries": tm,
                        },
                    )
                )
        write_xlsx(
            root / f"p4p-keyword-report-{we}.xlsx", headers("p4p_keyword_daily"), rows, sheet="关键词报表"
        )
    acct.plant("G03", "p4p_keyword", "running shoes wholesale", "CPC ≈3× the median of score-4 keywords")
    acct.plant("G06", "keyword", "mesh sneakers", "≥20 P4P clicks over 4 weeks, no inquiry or TM")
    acct.plant("C03", "p4p_keyword", "mesh sneakers", "spend on ≥20 clicks without an opportunity")
