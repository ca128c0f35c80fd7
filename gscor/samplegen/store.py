"""Store reports: the weekly product table, the product catalog, the store profile, the keyword
rankings of the promoted products, the competitors' top 10 and the A/B tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .core import Account, headers, pct, row_for
from .writers import write_csv, write_data_advisor_xls, write_xlsx


def write_product_tables(acct: Account, root: Path, perf) -> None:
    """The weekly product table (产品数据), products by search exposure."""
    rng = acct.rng
    acct.plant("G13", "store", "store", "P4P products' paid exposure 4× their search exposure: ≈70% paid")
    by_week: dict[int, list] = {}
    for w, p, m in perf:
        by_week.setdefault(w, []).append((p, m))
    for w, items in by_week.items():
        ws, we = acct.weeks[w]
        rows = []
        for p, m in sorted(items, key=lambda it: -it[1]["imp"]):
            ad_imp = int(m["imp"] * (4.0 if p.p4p else 0.1))  # G13: ≈70% of 全店曝光 is paid
            ad_clicks = min(ad_imp, int(m["clicks"] * (2.2 if p.p4p else 0.1)))
            rows.append(
                row_for(
                    "product_performance",
                    {
                        "product_id": p.product_id,
                        "product_name": p.name,
                        "is_showcase": "Y" if p.showcase else "N",
                        "is_top_display": "N",
                        "is_p4p": "Y" if p.p4p else "N",
                        "search_impressions": str(m["imp"]),
                        "search_clicks": str(m["clicks"]),
                        "search_ctr": pct(m["clicks"] / m["imp"]) if m["imp"] else "0%",
                        "visitors": str(m["visitors"]),
                        "inquiries": str(m["inq"]),
                        "opportunity_buyers_90d": "-",
                        "inquiry_buyers": str(m["inq"]),
                        "inquiry_rate": pct(m["inq"] / m["visitors"]) if m["visitors"] else "0%",
                        "favorites": str(rng.randint(0, 3) if m["visitors"] else 0),
                        "shares": "0",
                        "compares": str(rng.randint(0, 1) if m["visitors"] > 20 else 0),
                        "orders_submitted": str(min(m["inq"], rng.randint(0, 2))),
                        "tm_buyers": str(m["tm"]),
                        "owner": p.owner,
                        "rts_buyers": "0",
                        "rts_gmv_usd": "0.0",
                        "total_impressions": str(m["imp"] + ad_imp),
                        "total_clicks": str(m["clicks"] + ad_clicks),
                        "ad_impressions": str(ad_imp),
                        "ad_clicks": str(ad_clicks),
                        "p4p_standard_impressions": str(ad_imp // 3),
                        "p4p_standard_clicks": str(ad_clicks // 3),
                        "p4p_fullsite_impressions": str(ad_imp - ad_imp // 3),
                        "p4p_fullsite_clicks": str(ad_clicks - ad_clicks // 3),
                    },
                )
            )
        hdr = headers("product_performance")
        hdr[14] += " "  # the real export prints '分享人数 ' with a trailing space
        write_data_advisor_xls(root / f"Products-{we}.xls", f"产品数据, 时间周期 {ws}~{we}", hdr, rows)


def write_catalog(acct: Account, root: Path, end: dt.date) -> None:
    rng = acct.rng
    first_year = acct.weeks[0][0]
    rows = [
        row_for(
            "product_catalog",
            {
                "product_id": p.product_id,
                "product_name": p.name,
                "model": p.model,
                "category": "Sneakers",
                "product_group": p.group,
                "quality_score": f"{p.quality}",
                "product_grade": rng.choice(["优品", "普通品"]),
                "has_video": "Y" if p.has_video else "N",
                "has_3d": "N",
                "fob_min_usd": p.fob_min,
                "fob_max_usd": p.fob_max,
                "moq": 100,
                "unit_cost_usd": p.unit_cost,
                "stock_qty": p.stock,
                "is_promoted": "是" if p.promoted else "否",
                "published_date": (first_year - dt.timedelta(days=30 + 3 * k)).isoformat(),
            },
        )
        for k, p in enumerate(acct.products)
    ]
    write_xlsx(
        root / f"product-catalog-{end}.xlsx",
        headers("product_catalog"),
        rows,
        sheet="产品列表",
        extra_sheets=("填写说明",),
    )


def write_store_profile(acct: Account, root: Path, end: dt.date) -> None:
    # store profile: a monthly snapshot row; membership below 实力商家 and few reviews (S06)
    snap_rows = []
    day = acct.weeks[0][1]
    while day <= end:
        snap_rows.append(
            row_for(
                "store_profile",
                {
                    "snapshot_date": day.isoformat(),
                    "membership_type": "金牌供应商",
                    "certifications": "BSCI",
                    "enterprise_online": "N",
                    "review_count": 6,
                    "review_rating": 4.6,
                    "merchant_stars": 3,
                    "showcase_total": 10,
                    "showcase_used": 10,
                },
            )
        )
        day += dt.timedelta(days=28)
    write_csv(root / f"store-profile-{end}.csv", headers("store_profile"), snap_rows)
    acct.plant("S06", "store", "store", "金牌供应商, Enterprise Online off, 6 reviews")


def write_ranking_competitors_ab(acct: Account, root: Path) -> None:
    rng = acct.rng
    core = ["walking shoes", "sneakers for men", "casual shoes"]
    by_month: dict[str, list] = {}
    for _ws, we in acct.weeks:
        for p in [q for q in acct.products if q.promoted]:
            for kw in core:
                page = 5 if (p is acct.products[20] and kw == "walking shoes") else rng.randint(1, 2)
                by_month.setdefault(we.strftime("%Y-%m"), []).append(
                    row_for(
                        "keyword_ranking",
                        {
                            "checked_date": we.isoformat(),
                            "keyword": kw,
                            "product_id": p.product_id,
                            "rank_page": page,
                            "rank_position": rng.randint(1, 40),
                        },
                    )
                )
    for month, rows in by_month.items():
        write_xlsx(root / f"keyword-ranking-{month}.xlsx", headers("keyword_ranking"), rows)
    end = acct.weeks[-1][1]
    comp_rows = []
    for kw in core:
        for rank in range(1, 11):
            lo = round(rng.uniform(9.5, 12.5), 2)
            comp_rows.append(
                row_for(
                    "competitors",
                    {
                        "collected_date": end.isoformat(),
                        "keyword": kw,
                        "rank": rank,
                        "competitor_store": f"Fujian Sneaker Factory {rank:02d}",
                        "product_title": f"{kw} wholesale",
                        "price_min_usd": f"$ {lo}",
                        "price_max_usd": f"$ {round(lo * 1.3, 2)}",
                        "moq": 100,
                        "sold": rng.randint(0, 5000),
                        "has_video": rng.choice(["Y", "N"]),
                        "rating": round(rng.uniform(4.2, 5.0), 1),
                    },
                )
            )
    write_xlsx(root / f"competitors-top10-{end}.xlsx", headers("competitors"), comp_rows)
    p0, p1 = acct.products[0], acct.products[10]
    start = end - dt.timedelta(days=27)
    ab = [
        ("AB-001", "主图", p0, "A", 6000, 72, 110, 4),
        ("AB-001", "主图", p0, "B", 6100, 146, 210, 11),
        ("AB-002", "标题", p1, "A", 150, 2, 3, 0),
        ("AB-002", "标题", p1, "B", 140, 3, 4, 1),
    ]
    rows = [
        row_for(
            "ab_tests",
            {
                "test_id": t,
                "test_type": kind,
                "product_id": p.product_id,
                "variant": v,
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "impressions": imp,
                "clicks": clk,
                "visitors": vis,
                "inquiry_buyers": inq,
            },
        )
        for t, kind, p, v, imp, clk, vis, inq in ab
    ]
    write_xlsx(root / "ab-tests.xlsx", headers("ab_tests"), rows)
    acct.plant("X01", "ab_test", "AB-001", "variant B doubles CTR on ≈6,000 impressions each: a winner")
    acct.plant("X01", "ab_test", "AB-002", "≈150 impressions per variant: sample too small", near_miss=True)
