"""A deterministic generator of every back-office export gscor accepts.

``generate(out, accounts, weeks, seed)`` writes, for each account, the 18 report
types of the registry in their real layouts and formats (数据参谋 tables as BIFF8
``.xls`` with the title row, the 全站推广 report as a folder of ``.xlsx`` with a
``汇总`` row, lists as ``.xlsx`` or GB18030 CSV). The numbers hang together across
reports — clicks ≤ impressions, inquiries + TM ≤ visitors (商机转化率 ≤ 100% for products, channels and
the store), inquiries only from products with visitors, the P4P reports' inquiries and TM a subset of
the store's (each 外贸直通车 inquiry is credited to one 全站推广 plan or one keyword), orders only from
buyers who inquired and always at the catalogue's FOB floor (margins are what the catalogue says),
nothing dated after the export end (unshipped orders are 待发货, unanswered inquiries have no reply
time), every buyer who chats, inquires or orders in the CRM, every product in the catalog — with a
lift around the March and September trade festivals.

Problems are planted on named entities so that every GSCOR rule has something
to find, with near-misses beside them; ``generate`` returns that list (also
written by ``scripts/generate_samples.py --planted FILE``). The weekly plants hold from 8
weeks on; the month-on-month order plants (O01, O02) need the month before the last complete one
to be complete, i.e. ≥ 13 weeks with the default end date (O02 against three complete months before
August: ≥ 21 weeks); X04's March festival needs ≥ 29 weeks. R02 works from any length (the S
customer's orders go back a year, before the exports).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from ..registry import load_registry
from .writers import write_csv, write_data_advisor_xls, write_xlsx

DAY = dt.timedelta(days=1)
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
TARGET_COUNTRIES = [
    "United States",
    "Germany",
    "France",
    "Spain",
    "Mexico",
    "Brazil",
    "United Kingdom",
    "Italy",
]
OFF_TARGET_COUNTRIES = ["Nigeria", "Pakistan", "Bangladesh", "Egypt"]
OWNERS = ["Lily Wang", "Kevin Zhao", "Amy Chen", "Jason Li"]
KINDS = [
    "Walking Shoes",
    "Running Sneakers",
    "Casual Sneakers",
    "Knit Trainers",
    "Mesh Athletic Shoes",
    "Chunky Sneakers",
]
ADJECTIVES = ["Breathable", "Lightweight", "Thick Sole", "Lace-Up", "Slip-On", "Non-slip", "Fashion"]
KEYWORDS = [
    "shoes",
    "sneakers",
    "walking shoes",
    "shoes men",
    "men shoes",
    "sneakers for men",
    "casual shoes",
    "running shoes",
    "sport shoes",
    "chunky sneakers",
    "mesh shoes",
    "knit sneakers",
    "women sneakers",
    "chaussures pour hommes",
    "chaussures",
    "baskets pour hommes",
    "baskets femme",
    "zapatos de hombre",
    "zapatos",
    "zapatillas",
    "zapatillas de mujer",
    "zapatos atlticos",
    "tenis",
    "tenis masculino",
    "sapatos masculinos",
    "sapatilhas",
    "ayakkabı",
    "erkek ayakkabı",
    "spor ayakkabı",
    "sepatu pria",
    "sepatu sneakers",
    "sepatu olahraga",
    "scarpe uomo",
    "scarpe da ginnastica",
    "herren schuhe",
    "turnschuhe",
    "运动鞋",
    "休闲鞋",
    "oem shoes",
    "custom logo sneakers",
    "shoes manufacturer",
    "wholesale sneakers",
    "fashion sneakers",
    "lightweight shoes",
    "breathable shoes",
    "zapatos casuales",
]
P4P_KEYWORDS = [
    ("walking shoes", 5),
    ("sneakers for men", 4),
    ("casual shoes", 4),
    ("running shoes wholesale", 4),
    ("mesh sneakers", 3),
    ("sport shoes", 3),
    ("chunky sneakers", 4),
    ("oem shoes", 5),
    ("custom logo sneakers", 3),
    ("zapatos de hombre", 4),
    ("chaussures pour hommes", 3),
    ("tenis", 3),
]
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
REGULAR_BUYERS = 40  # the pool of returning buyers; most inquiries come from one-off buyers (R01, R04)


def festival_lift(day: dt.date) -> float:
    """Trade festivals: 3月新贸节 (March) and 9月采购节 (September)."""
    return 1.35 if day.month in (3, 9) else 1.0


def pct(x: float) -> str:
    """A rate as the back office prints it: 1.62%, 0%, 1%."""
    if x == 0:
        return "0%"
    return f"{round(x * 100, 2):g}%"


def headers(report_type: str) -> list[str]:
    return [c.aliases[0] for c in load_registry()[report_type].columns]


def row_for(report_type: str, values: dict) -> list:
    return [values.get(c.name, "") for c in load_registry()[report_type].columns]


@dataclass
class Product:
    product_id: str
    name: str
    model: str
    owner: str
    base_impressions: float
    ctr: float
    inquiry_rate: float
    showcase: bool
    p4p: bool
    promoted: bool
    quality: float
    has_video: bool
    fob_min: float
    fob_max: float
    unit_cost: float | None
    stock: int
    group: str


@dataclass
class Buyer:
    customer_id: str
    name: str
    email: str
    country: str
    level: str
    tier: str
    first_contact: dt.date | None = None
    last_contact: dt.date | None = None
    churn_reason: str | None = None


@dataclass
class Account:
    account_id: str
    rng: random.Random
    weeks: list[tuple[dt.date, dt.date]]
    products: list[Product] = field(default_factory=list)
    buyers: list[Buyer] = field(default_factory=list)
    planted: list[dict] = field(default_factory=list)

    def plant(
        self, rule_id: str, entity_type: str, entity_id: str, note: str, near_miss: bool = False
    ) -> None:
        self.planted.append(
            {
                "rule_id": rule_id,
                "account_id": self.account_id,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "note": note,
                "near_miss": near_miss,
            }
        )


def generate(
    out: Path,
    accounts: int,
    weeks: int,
    seed: int,
    account_prefix: str = "demo",
    end_date: dt.date = dt.date(2026, 9, 19),
    products: int = 40,
) -> list[dict]:
    """Write every report type for ``accounts`` accounts × ``weeks`` weeks ending ``end_date``
    under ``out/<account_id>/``; returns the planted findings and near-misses."""
    if weeks < 8:
        raise ValueError("at least 8 weeks are needed (rules look back 4 and 8 weeks)")
    if products < 30:
        raise ValueError("at least 30 products are needed for the planted roles")
    out = Path(out)
    week_list = [
        (end_date - dt.timedelta(days=7 * k + 6), end_date - dt.timedelta(days=7 * k)) for k in range(weeks)
    ]
    week_list.reverse()
    planted: list[dict] = []
    for a in range(accounts):
        account_id = account_prefix if accounts == 1 else f"{account_prefix}-{a + 1:02d}"
        acct = Account(account_id, random.Random(f"{seed}-{a}"), week_list)
        make_products(acct, a, products)
        make_buyers(acct)
        _write_account(acct, out / account_id)
        planted.extend(acct.planted)
    return planted


# -- the store's master data ------------------------------------------------
def make_products(acct: Account, a: int, n: int) -> None:
    rng = acct.rng
    for k in range(n):
        model = f"L{1000 + 7 * k + a}"
        name = f"Wholesale {rng.choice(ADJECTIVES)} {rng.choice(KINDS)} {model} OEM ODM for Men and Women"
        fob = round(rng.uniform(8.5, 12.5), 2)  # within 1.3× the competitors' ≈ $11 median (S08)
        acct.products.append(
            Product(
                product_id=str(1601800000000 + a * 100000 + k * 137),
                name=name,
                model=model,
                owner=OWNERS[k % len(OWNERS)],
                base_impressions=3500 * (0.88**k) + 60,
                ctr=rng.uniform(0.009, 0.02),
                inquiry_rate=rng.uniform(0.03, 0.07),
                showcase=k < 13 and k not in (6, 7, 8),  # 10 slots; not the G07 / G08 plants
                p4p=rng.random() < 0.6,
                promoted=False,
                quality=round(rng.choice([4.8, 4.9, 5.0, 5.0]), 1),
                has_video=True,
                fob_min=fob,
                fob_max=round(fob * rng.uniform(1.15, 1.3), 2),
                unit_cost=round(fob * rng.uniform(0.55, 0.7), 2),
                stock=rng.randint(3000, 9000),
                group=rng.choice(["Men's Sneakers", "Women's Sneakers", "Walking Shoes"]),
            )
        )
    p = acct.products
    # planted roles (indices are stable; ids and names appear in the planted list)
    p[6].base_impressions, p[6].ctr = 900, 0.001  # G07: high exposure, CTR far below store
    acct.plant("G07", "product", p[6].product_id, "≈900 search impressions/week at 0.1% CTR")
    p[5].ctr = 0.011  # near miss: close to store CTR
    acct.plant("G07", "product", p[5].product_id, "CTR ≈ store CTR", near_miss=True)
    p[7].inquiry_rate, p[7].base_impressions = 0.0, 450  # G08: clicks without inquiries or TM
    acct.plant("G08", "product", p[7].product_id, "≈8 clicks/week, 0 inquiries, 0 TM over 4 weeks")
    p[8].base_impressions = 250  # (both at an ordinary CTR: not G07 findings)
    acct.plant("G08", "product", p[8].product_id, "18 clicks over 4 weeks without inquiries", near_miss=True)
    p[-1].base_impressions = 0  # G09: published, never seen
    acct.plant("G09", "product", p[-1].product_id, "0 exposure in every week")
    for i in (20, 21, 22, 23, 24, 3):  # G10: the promoted list misses the traffic leaders
        p[i].promoted = True
    acct.plant("G10", "store", "store", "only 1 of the top-10 traffic products is promoted (是否主推)")
    acct.plant("S01", "product", p[20].product_id, "promoted product on page 5 for 'walking shoes'")
    p[11].quality = 3.9
    acct.plant("S02", "product", p[11].product_id, "information quality 3.9")
    acct.plant("S02", "product", p[12].product_id, "quality exactly 4.8", near_miss=True)
    p[12].quality = 4.8
    # S03: a showcase slot on a product nobody asks about (and few click: < 20 a month, not G08)
    p[9].showcase, p[9].inquiry_rate, p[9].base_impressions, p[9].ctr = True, 0.0, 200, 0.012
    p[14].showcase, p[14].ctr = False, 0.05  # ... while a strong product has none
    acct.plant(
        "S03", "product", p[9].product_id, f"showcase, no opportunities; {p[14].product_id} has 5% CTR"
    )
    p[0].has_video = False
    acct.plant("S05", "product", p[0].product_id, "top traffic product without video")
    p[1].stock = 10
    acct.plant("O04", "product", p[1].product_id, "stock 10 against 2 orders of 40 pairs in the last 4 weeks")
    p[2].unit_cost = round(p[2].fob_min * 0.91, 2)  # orders are priced at fob_min
    acct.plant("O05", "product", p[2].product_id, "unit cost 91% of the order price: margin ≈ 9%")
    p[0].unit_cost = round(p[0].fob_min * 0.885, 2)
    acct.plant("O05", "product", p[0].product_id, "top order product, margin ≈ 11.5%", near_miss=True)
    p[4].fob_min, p[4].fob_max = 18.5, 22.0
    acct.plant("S08", "product", p[4].product_id, "FOB 18.5 vs competitors' median ≈ 11")


FIRST_NAMES = ["Global", "Prime", "Euro", "Atlantic", "Sun", "Urban", "Pacific", "Royal", "Star", "Nova"]
SECOND_NAMES = ["Footwear", "Trading", "Shoes", "Imports", "Retail", "Sports", "Supply", "Goods"]


def new_buyer(acct: Account) -> Buyer:
    """A buyer added to the account's pool (also used for one-off buyers met through inquiries)."""
    rng = acct.rng
    k = len(acct.buyers)
    off_target = rng.random() < 0.45  # C05: 45% of buyers outside the target markets
    second = SECOND_NAMES[(k // 10) % 8]
    buyer = Buyer(
        customer_id=f"CUS-{k + 1:05d}",
        name=f"{FIRST_NAMES[k % 10]} {second} {'Co' if k % 3 else 'LLC'} {k:03d}",
        email=f"buyer{k:03d}@{second.lower()}-mail.example",
        country=rng.choice(OFF_TARGET_COUNTRIES if off_target else TARGET_COUNTRIES),
        level=rng.choices(["L0", "L1", "L2", "L3", "L4"], [0.25, 0.3, 0.25, 0.15, 0.05])[0],
        tier="C",
    )
    acct.buyers.append(buyer)
    return buyer


def make_buyers(acct: Account) -> None:
    for _ in range(REGULAR_BUYERS):
        new_buyer(acct)
    vip = acct.buyers[0]
    vip.tier, vip.country, vip.level = "S", "United States", "L4"
    acct.plant("R02", "customer", vip.customer_id, "S customer ordering every ~30 days, silent for ~120 days")
    acct.buyers[1].tier = "A"
    acct.plant(
        "R02", "customer", acct.buyers[1].customer_id, "A customer ordered 10 days ago", near_miss=True
    )


# -- the reports -------------------------------------------------------------
def simulate_product_weeks(acct: Account) -> list[tuple[int, Product, dict]]:
    """Each product's weekly search exposure, clicks, visitors, inquiries and TM buyers: the one
    simulation every report family is cut from. Returns (week index, product, metrics) rows."""
    rng = acct.rng
    weeks = acct.weeks
    n_weeks = len(weeks)
    perf = []  # (week, product, dict)
    for w, (_ws, we) in enumerate(weeks):
        lift = festival_lift(we) * rng.uniform(0.92, 1.08)
        if w == n_weeks - 1:
            lift *= 0.6  # G01: traffic falls > 20% week on week in the latest week (with the noise)
        for k, p in enumerate(acct.products):
            imp = int(p.base_impressions * lift * rng.uniform(0.85, 1.15)) if p.base_impressions else 0
            clicks = min(imp, round(imp * p.ctr * rng.uniform(0.85, 1.15)))
            if k == 7:
                clicks = min(imp, 8)
            if k == 8:
                clicks = min(imp, 4 if w < n_weeks - 2 else 5)
            visitors = round(clicks * rng.uniform(1.3, 1.9)) if clicks else 0
            rate = p.inquiry_rate * (
                0.45 if w >= n_weeks - 1 else 1.0
            )  # C02: the inquiry stage leaks last week
            # one draw per visitor: an inquiry, a TM chat or neither, so inquiries + TM ≤ visitors
            draws = [rng.random() for _ in range(visitors)] if k not in (7, 8, 9) else []
            inquiries = sum(1 for r in draws if r < rate)
            tm = sum(1 for r in draws if rate <= r < rate * 1.8)
            perf.append(
                (w, p, {"imp": imp, "clicks": clicks, "visitors": visitors, "inq": inquiries, "tm": tm})
            )
    acct.plant("G01", "store", "store", "latest week's exposure ≈40% below the week before")
    acct.plant("C02", "store", "store", "visit→inquiry rate in the latest week ≈ half its 8-week baseline")
    return perf


def _write_account(acct: Account, root: Path) -> None:
    """Every report of one account, in the order of the random draws (each family draws from acct.rng)."""
    end = acct.weeks[-1][1]
    perf = simulate_product_weeks(acct)
    inquiries = write_inquiries(acct, root, perf)
    write_product_tables(acct, root, perf)
    write_p4p_fullsite(acct, root, perf, inquiries)  # draws nothing
    write_keyword_tables(acct, root)
    orders = write_orders(acct, root, inquiries)
    store_tm = write_shop_and_traffic(acct, root, perf, inquiries, orders)
    write_benchmark(acct, root, perf)
    write_p4p_keywords(acct, root, inquiries, store_tm)
    chats = write_tm(acct, root, perf, store_tm)
    write_catalog(acct, root, end)
    write_customers(acct, root, end, inquiries, orders, chats)
    write_store_profile(acct, root, end)  # draws nothing
    write_ranking_competitors_ab(acct, root)
    write_touchpoints(acct, root, orders)


def write_product_tables(acct: Account, root: Path, perf) -> None:
    """The weekly product table (产品数据), products by search exposure."""
    rng = acct.rng
    by_week: dict[int, list] = {}
    for w, p, m in perf:
        by_week.setdefault(w, []).append((p, m))
    for w, items in by_week.items():
        ws, we = acct.weeks[w]
        rows = []
        for p, m in sorted(items, key=lambda it: -it[1]["imp"]):
            ad_imp = int(m["imp"] * (1.8 if p.p4p else 0.1))
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


def write_keyword_tables(acct: Account, root: Path) -> None:
    rng = acct.rng
    base = {k: 1300 * (0.93**i) + 40 for i, k in enumerate(KEYWORDS)}
    ctr = {k: rng.uniform(0.011, 0.02) for k in KEYWORDS}  # all above half the store CTR but G05's
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


def write_inquiries(acct: Account, root: Path, perf) -> list[dict]:
    """One inquiry per inquiry counted in the product table, so the list and the table agree."""
    rng = acct.rng
    buyers = acct.buyers
    inquiries = []
    seq = 0
    export_end = dt.datetime.combine(acct.weeks[-1][1] + DAY, dt.time(0, 0))
    fullsite_products = {p.product_id for p in acct.products[:24]}  # the two 全站推广 plans
    keyword_cycle = [kw for kw, _ in P4P_KEYWORDS if kw != "mesh sneakers"]  # G06/C03: none for it
    p4p_seq = 0
    for w, p, m in perf:
        ws, _ = acct.weeks[w]
        for _ in range(m["inq"]):
            seq += 1
            when = dt.datetime.combine(
                ws + DAY * rng.randint(0, 6), dt.time(rng.randint(0, 23), rng.randint(0, 59))
            )
            if seq == 1:
                buyer = buyers[1]  # the A customer who re-orders near the end (R02 near miss) inquired first
            elif w < len(acct.weeks) - 17 and seq % 9 == 0:
                buyer = buyers[0]
            else:
                # returning buyers only before the last quarter, and rarely: R01 and R04 fire for any
                # reading of "the quarter" (calendar, last complete, trailing 13 weeks)
                regular = w < len(acct.weeks) - 14 and rng.random() < 0.06
                buyer = rng.choice(buyers[1:REGULAR_BUYERS]) if regular else new_buyer(acct)
            source = rng.choices(
                ["自然搜索", "外贸直通车", "RFQ", "会场", "其他"], [0.35, 0.35, 0.1, 0.15, 0.05]
            )[0]
            level = "L0" if source == "会场" and rng.random() < 0.85 else buyer.level  # C04
            late = w >= len(acct.weeks) - 2
            reply_h = rng.uniform(20, 45) if late else rng.uniform(1, 12)  # C01 in the latest weeks
            reply_at = when + dt.timedelta(hours=reply_h)
            lost = rng.random() < 0.35
            # a 外贸直通车 inquiry is credited to one P4P report: a 全站推广 plan or a keyword of the
            # standard plans (in turn, so every keyword but the planted one has opportunities)
            plan, p4p_kw = None, None
            if source == "外贸直通车":
                if p.product_id in fullsite_products and rng.random() < 0.5:
                    plan = "fullsite"
                else:
                    plan, p4p_kw = "keyword", keyword_cycle[p4p_seq % len(keyword_cycle)]
                    p4p_seq += 1
            inquiries.append(
                {
                    "inquiry_id": f"INQ{seq:07d}",
                    "inquiry_at": when,
                    "buyer": buyer,
                    "level": level,
                    "product": p,
                    "source": source,
                    "quantity": rng.choice([2, 5, 10, 50, 100, 500, 1000]),
                    "demand": rng.choices(["样品", "批量", "定制"], [0.72, 0.20, 0.08])[0],  # C07
                    # not replied yet when the export was taken
                    "first_reply_at": reply_at if reply_at < export_end else None,
                    "week": w,
                    "p4p_plan": plan,
                    "p4p_keyword": p4p_kw,
                    "status": "已流失" if lost else rng.choice(["跟进中", "已报价", "已成交"]),
                    "lost_reason": (
                        rng.choices(["价格", "交期", "质量", "起订量", "无回复"], [0.6, 0.1, 0.1, 0.1, 0.1])[
                            0
                        ]
                        if lost
                        else None
                    ),  # R03
                }
            )
    acct.plant("C04", "inquiry_source", "会场", "≈85% of 会场 inquiries from L0 buyers")
    acct.plant("C05", "store", "store", "≈45% of inquiries from outside the target markets")
    acct.plant("C07", "store", "store", "≈72% of inquiries ask for samples")
    acct.plant("R03", "store", "store", "价格 is ≈60% of lost deals")
    acct.plant(
        "C01",
        "store",
        "store",
        "latest two weeks: inquiry replies after 20–45 h, TM first responses 12–23.5 h, 及时回复率 82%, "
        "平均回复时长 ≈ 30 h",
    )
    by_month: dict[str, list] = {}
    for q in inquiries:
        by_month.setdefault(q["inquiry_at"].strftime("%Y-%m"), []).append(q)
    first_month = min(by_month)
    for month, items in by_month.items():
        if month == first_month:  # the earliest month survives only in the seller's own ledger
            _inquiry_ledger(root / f"询盘台账-{month}.xlsx", items)
            continue
        rows = [
            row_for(
                "inquiries",
                {
                    "inquiry_id": q["inquiry_id"],
                    "inquiry_at": q["inquiry_at"].strftime("%Y-%m-%d %H:%M:%S"),
                    "buyer_name": q["buyer"].name,
                    "buyer_email": q["buyer"].email,
                    "buyer_country": q["buyer"].country,
                    "buyer_level": q["level"],
                    "product_id": q["product"].product_id,
                    "product_name": q["product"].name,
                    "inquiry_source": q["source"],
                    "quantity": q["quantity"],
                    "quantity_unit": "Pairs",
                    "demand_type": q["demand"],
                    "first_reply_at": (
                        q["first_reply_at"].strftime("%Y-%m-%d %H:%M:%S") if q["first_reply_at"] else ""
                    ),
                    "follower": q["product"].owner,
                    "status": q["status"],
                    "lost_reason": q["lost_reason"] or "",
                },
            )
            for q in sorted(items, key=lambda q: q["inquiry_at"])
        ]
        cols = [c.name for c in load_registry()["inquiries"].columns]
        keep = [
            i
            for i, c in enumerate(cols)
            if c not in ("buyer_continent", "contact_method", "follow_up_level", "last_follow_up_at", "notes")
        ]
        write_csv(
            root / f"inquiries-{month}.csv",
            [headers("inquiries")[i] for i in keep],
            [[r[i] for i in keep] for r in rows],
        )
    return inquiries


CONTINENTS = {
    "United States": "北美洲",
    "Mexico": "北美洲",
    "Brazil": "南美洲",
    "Nigeria": "非洲",
    "Egypt": "非洲",
    "Pakistan": "亚洲",
    "Bangladesh": "亚洲",
}
LEDGER_COLUMNS = [
    ("询盘时间", lambda q: q["inquiry_at"].strftime("%Y/%m/%d %H:%M")),
    ("咨询方式", lambda q: "TM" if q["source"] == "其他" else "询盘"),
    ("跟进等级", lambda q: {"已成交": "A", "已报价": "B", "跟进中": "B"}.get(q["status"], "C")),
    ("客户名称", lambda q: q["buyer"].name),
    ("客户层级", lambda q: q["level"]),
    ("所属大洲", lambda q: CONTINENTS.get(q["buyer"].country, "欧洲")),
    ("国家", lambda q: q["buyer"].country),
    ("询价产品", lambda q: q["product"].name),
    ("产品ID", lambda q: q["product"].product_id),
    ("跟进人", lambda q: q["product"].owner),
    ("备注", lambda q: f"{q['demand']} {q['quantity']} pairs"),
    ("最后跟进时间", lambda q: (q["first_reply_at"] or q["inquiry_at"]).strftime("%Y/%m/%d %H:%M")),
]


def _inquiry_ledger(path: Path, items: list[dict]) -> None:
    """The seller-kept inquiry ledger (询盘台账): the same report under other headers."""
    rows = [[f(q) for _, f in LEDGER_COLUMNS] for q in sorted(items, key=lambda q: q["inquiry_at"])]
    write_xlsx(path, [h for h, _ in LEDGER_COLUMNS], rows, sheet="询盘台账")


def write_orders(acct: Account, root: Path, inquiries: list[dict]) -> list[dict]:
    """Orders only from buyers who inquired, after their first inquiry."""
    rng = acct.rng
    end = acct.weeks[-1][1]
    # the low period: the last complete month and the current partial one (O01, O02, O06 hold for either)
    last_month_start = (end.replace(day=1) - DAY).replace(day=1)
    orders = []
    seq = 0
    first_inquiry: dict[str, dt.datetime] = {}
    stock_orders = 0
    for q in sorted(inquiries, key=lambda q: q["inquiry_at"]):
        first_inquiry.setdefault(q["buyer"].customer_id, q["inquiry_at"])
        # O04: the low-stock product's inquiries of the last 4 weeks all turn into 300-pair orders
        stock_risk = (
            q["product"] is acct.products[1]
            and q["inquiry_at"].date() > end - dt.timedelta(days=24)
            and stock_orders < 2
        )
        stock_orders += stock_risk
        if not stock_risk and q["status"] != "已成交" and rng.random() > 0.25:
            continue
        lag = rng.randint(1, 3) if stock_risk else rng.randint(2, 20)
        when = q["inquiry_at"] + dt.timedelta(days=lag, hours=rng.randint(0, 10))
        if when.date() > end:
            continue
        month_of = when.date().replace(day=1)
        in_last_month = month_of >= last_month_start
        if in_last_month and not stock_risk and rng.random() < 0.5:
            continue  # O01: the last complete month has about half the orders of the one before
        # a sample order is 2 pairs; a bulk order from the MOQ (100) up: AOV ≈ $600–900 a month
        qty = rng.choice([100, 150, 200, 300, 500]) if q["demand"] != "样品" else 2
        p = q["product"]
        if in_last_month and not stock_risk:
            # O06: one product dominates the low months' amount; O02: with smaller orders (fewer
            # pairs, never a lower price: the margin of O05 stays what the catalogue says)
            # (AOV ≈ $200 against ≥ $300 in any earlier month); the O05 near miss stays a top seller
            r = rng.random()
            p = acct.products[2] if r < 0.7 else acct.products[0] if r < 0.85 else p
            qty = 24 if p is acct.products[2] else min(qty, 6)
        if stock_risk:
            qty = 40
        amount = round(qty * p.fob_min, 2)  # every order at the FOB floor: margin = 1 − cost / FOB
        seq += 1
        promised = when.date() + dt.timedelta(days=15)
        late = rng.random() < 0.2  # O03
        shipped = (promised + dt.timedelta(days=rng.randint(1, 6))) if late else promised - DAY
        orders.append(
            {
                "order_id": f"TA{seq:08d}",
                "ordered_at": when,
                "buyer": q["buyer"],
                "product": p,
                "quantity": qty,
                "amount": amount,
                "promised": promised,
                "shipped": shipped if shipped <= end else None,  # not shipped yet at the export
                "sample": q["demand"] == "样品",
            }
        )
    # the S customer's regular re-orders, which stop ~120 days before the end (R02)
    vip = acct.buyers[0]
    day = end - dt.timedelta(days=360)
    while day < end - dt.timedelta(days=120):
        seq += 1
        p = acct.products[3]
        when = dt.datetime.combine(day, dt.time(10, 0))
        orders.append(
            {
                "order_id": f"TA{seq:08d}",
                "ordered_at": when,
                "buyer": vip,
                "product": p,
                "quantity": 300,
                "amount": round(300 * p.fob_min, 2),
                "promised": day + dt.timedelta(days=15),
                "shipped": day + dt.timedelta(days=14),
                "sample": False,
            }
        )
        vip.first_contact = vip.first_contact or day - dt.timedelta(days=20)
        vip.last_contact = day
        day += dt.timedelta(days=30)
    # the A customer ordered 10 days ago (near miss for R02)
    a_cust = acct.buyers[1]
    seq += 1
    when = dt.datetime.combine(end - dt.timedelta(days=10), dt.time(11, 0))
    orders.append(
        {
            "order_id": f"TA{seq:08d}",
            "ordered_at": when,
            "buyer": a_cust,
            "product": acct.products[0],
            "quantity": 100,
            "amount": round(100 * acct.products[0].fob_min, 2),
            "promised": when.date() + dt.timedelta(days=15),
            "shipped": None,
            "sample": False,
        }
    )
    acct.plant(
        "O01",
        "store",
        "store",
        "Aug (last complete month) ≈ half of Jul in TA orders and amount; Sep (partial) as low",
    )
    acct.plant(
        "O02",
        "store",
        "store",
        "AOV of Aug and of Sep ≈ $200: ≈ 1/4 of the 3 months before, smaller orders at list price",
    )
    acct.plant("O03", "store", "store", "≈20% of shipments after the promised date")
    acct.plant(
        "O06",
        "product",
        acct.products[2].product_id,
        "≥ 60% (typically ≈ 80–95%) of Aug's and of Sep's TA amount; margin ≈ 9% (O05)",
    )
    acct.plant("R01", "store", "store", "≈1–2% of buyers order more than once in 12 months")
    acct.plant(
        "R04",
        "store",
        "store",
        "returning buyers only inquire before the last 14 weeks: new buyers ≈ 90–100% of the quarter",
    )
    by_month: dict[str, list] = {}
    for o in orders:
        by_month.setdefault(o["ordered_at"].strftime("%Y-%m"), []).append(o)
    for month, items in sorted(by_month.items()):
        rows = [
            row_for(
                "orders",
                {
                    "order_id": o["order_id"],
                    "ordered_at": o["ordered_at"].strftime("%Y/%m/%d %H:%M"),
                    "buyer_name": o["buyer"].name,
                    "buyer_country": o["buyer"].country,
                    "product_id": o["product"].product_id,
                    "product_name": o["product"].name,
                    "quantity": o["quantity"],
                    "amount_usd": f"US ${o['amount']:,.2f}",
                    "order_status": "已发货" if o["shipped"] else "待发货",
                    "promised_ship_date": o["promised"].isoformat(),
                    "actual_ship_date": o["shipped"].isoformat() if o["shipped"] else "",
                    "is_sample": "是" if o["sample"] else "否",
                },
            )
            for o in sorted(items, key=lambda o: o["ordered_at"])
        ]
        write_csv(root / f"orders-{month}.csv", headers("orders"), rows)
    return orders


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


def write_benchmark(acct: Account, root: Path, perf) -> None:
    rng = acct.rng
    months: dict[str, dict] = {}
    for w, _p, m in perf:
        key = acct.weeks[w][1].strftime("%Y-%m")
        agg = months.setdefault(key, {"imp": 0, "clicks": 0, "visitors": 0, "inq": 0, "tm": 0})
        for k in agg:
            agg[k] += m[k]
    for month, agg in months.items():
        ctr = agg["clicks"] / agg["imp"] if agg["imp"] else 0
        inq_rate = agg["inq"] / agg["visitors"] if agg["visitors"] else 0
        opp_rate = (agg["inq"] + agg["tm"]) / agg["visitors"] if agg["visitors"] else 0
        metrics = [
            ("曝光次数", agg["imp"], agg["imp"] * 0.9, agg["imp"] * 2.5),
            ("点击次数", agg["clicks"], agg["clicks"] * 0.9, agg["clicks"] * 2.6),
            ("点击率", ctr, ctr / 0.9, ctr * 1.4),  # near miss for S07: 90% of peers
            ("访客数", agg["visitors"], agg["visitors"] * 1.1, agg["visitors"] * 2.2),
            ("询盘人数", agg["inq"], agg["inq"] * 1.15, agg["inq"] * 2.5),
            ("询盘率", inq_rate, inq_rate / 0.6, inq_rate * 2.0),  # S07: 60% of peers
            ("商机转化率", opp_rate, opp_rate * 1.05, opp_rate * 1.8),
            ("及时回复率", 0.9, 0.92, 0.98),
            ("平均回复时长", 8.0, 7.0, 2.0),  # hours: lower is better, 87.5% of peers either way
        ]
        rows = []
        for name, mine, avg, top in metrics:
            fmt = (
                pct
                if name in ("点击率", "询盘率", "商机转化率", "及时回复率")
                else (lambda x: f"{round(x, 1)}")
            )
            rows.append(
                row_for(
                    "industry_benchmark",
                    {
                        "stat_period": month,
                        "metric_name": name,
                        "my_value": fmt(mine),
                        "peer_avg": fmt(avg),
                        "peer_top": fmt(top * rng.uniform(0.98, 1.02)),
                    },
                )
            )
        write_data_advisor_xls(
            root / f"PeerBenchmark-{month}.xls",
            f"同行对比, 统计周期 {month}",
            headers("industry_benchmark"),
            rows,
        )
    acct.plant("S07", "store", "store", "询盘率 at 60% of 同行平均")
    acct.plant("S07", "store", "store", "点击率 at 90% of 同行平均", near_miss=True)


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


def write_tm(
    acct: Account, root: Path, perf, store_tm: dict[dt.date, int]
) -> list[tuple[Buyer, dt.datetime]]:
    """TM chats: one per TM buyer of the product table, on the days the shop overview counts them, each
    week's buyers distinct (so the list, the product table and the shop agree). Returns (buyer,
    started_at) per chat for the CRM."""
    rng = acct.rng
    by_month: dict[str, list] = {}
    chats: list[tuple[Buyer, dt.datetime]] = []
    export_end = dt.datetime.combine(acct.weeks[-1][1] + DAY, dt.time(0, 0))
    products_by_week: dict[int, list[Product]] = {}
    for w, p, m in perf:
        products_by_week.setdefault(w, []).extend([p] * m["tm"])
    seq = 0
    for w, (ws, _we) in enumerate(acct.weeks):
        products = products_by_week.get(w, [])
        rng.shuffle(products)
        days = [ws + DAY * d for d in range(7) for _ in range(store_tm.get(ws + DAY * d, 0))]
        # the quiet S customer (R02) has no TM either
        buyers = rng.sample(acct.buyers[1:], min(len(days), len(acct.buyers) - 1))
        for day, buyer, product in zip(days, buyers, products, strict=False):
            seq += 1
            when = dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randint(0, 59)))
            # C01: the latest two weeks' first responses take 12–23.5 h (minutes: 1–90 before)
            late = w >= len(acct.weeks) - 2
            response = round(rng.uniform(720, 1410) if late else rng.uniform(1, 90), 1)
            if when + dt.timedelta(minutes=response) >= export_end:  # answered before the export
                room = (export_end - dt.datetime.combine(day, dt.time(0, 0))).total_seconds() / 60 - response
                when = dt.datetime.combine(day, dt.time(0, 0)) + dt.timedelta(minutes=int(room) - 1)
                when -= dt.timedelta(minutes=rng.randint(0, max(0, int(room) - 1)))
            chats.append((buyer, when))
            quick = rng.random() < 0.25
            by_month.setdefault(when.strftime("%Y-%m"), []).append(
                row_for(
                    "tm_conversations",
                    {
                        "conversation_id": f"TM{seq:07d}",
                        "started_at": when.strftime("%Y-%m-%d %H:%M:%S"),
                        "buyer_name": buyer.name,
                        "buyer_country": buyer.country,
                        "first_response_minutes": response,
                        "message_count": rng.randint(2, 30),
                        "used_quick_reply": "是" if quick else "否",  # C06: either tool in ≈ 1/3
                        "sent_product_card": "是"
                        if (quick and rng.random() < 0.6) or rng.random() < 0.08
                        else "否",
                        "product_id": product.product_id,
                        "agent": rng.choice(OWNERS),
                    },
                )
            )
    for month, rows in by_month.items():
        write_xlsx(root / f"TM-conversations-{month}.xlsx", headers("tm_conversations"), rows)
    acct.plant(
        "C06", "store", "store", "quick replies in ≈25%, quick reply or product card in ≈1/3 of TM chats"
    )
    return chats


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


def write_customers(acct: Account, root: Path, end: dt.date, inquiries, orders, chats) -> None:
    rng = acct.rng
    contacts: dict[str, list[dt.date]] = {}
    for q in inquiries:
        contacts.setdefault(q["buyer"].customer_id, []).append(q["inquiry_at"].date())
    for o in orders:
        contacts.setdefault(o["buyer"].customer_id, []).append(o["ordered_at"].date())
    for buyer, when in chats:  # every buyer who chats, inquires or orders is in the CRM
        contacts.setdefault(buyer.customer_id, []).append(when.date())
    spend: dict[str, float] = {}
    for o in orders:
        spend[o["buyer"].customer_id] = spend.get(o["buyer"].customer_id, 0) + o["amount"]
    ranked = sorted(spend, key=lambda c: -spend[c])
    lost_reason = {q["buyer"].customer_id: q["lost_reason"] for q in inquiries if q["lost_reason"]}  # R03
    crm_rows = []
    for b in acct.buyers:
        days = contacts.get(b.customer_id)
        if not days:
            continue
        if b.tier == "C" and b.customer_id in ranked[:8]:
            b.tier = "B"
        lost = b.customer_id not in spend and b.customer_id in lost_reason
        crm_rows.append(
            row_for(
                "customers",
                {
                    "customer_id": b.customer_id,
                    "company_name": b.name,
                    "contact_email": b.email,
                    "country": b.country,
                    "customer_tier": b.tier,
                    "first_contact_date": (b.first_contact or min(days)).isoformat(),
                    "last_contact_date": max(
                        [*days, *([b.last_contact] if b.last_contact else [])]
                    ).isoformat(),
                    "account_manager": rng.choice(OWNERS),
                    "churn_reason": lost_reason.get(b.customer_id, "") if lost else "",
                },
            )
        )
    write_xlsx(root / f"customers-{end}.xlsx", headers("customers"), crm_rows)


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


def write_touchpoints(acct: Account, root: Path, orders) -> None:
    rng = acct.rng
    rows = []
    for o in orders:
        if o["buyer"] is acct.buyers[0]:
            continue
        # ≥ 10 days before the order: the ≤ 3 clicks and the inquiry, ≤ 72 h apart, precede it
        t = o["ordered_at"] - dt.timedelta(days=rng.randint(10, 40))
        chans = rng.sample(["搜索", "外贸直通车", "会场", "站外"], k=rng.randint(1, 3))
        for c in chans:
            kw = rng.choice(KEYWORDS[:12]) if c in ("搜索", "外贸直通车") else ""
            rows.append(
                [
                    o["buyer"].customer_id,
                    t.strftime("%Y-%m-%d %H:%M:%S"),
                    c,
                    kw,
                    "曝光点击",
                    o["product"].product_id,
                    "",
                ]
            )
            t += dt.timedelta(hours=rng.randint(1, 72))
        rows.append(
            [
                o["buyer"].customer_id,
                t.strftime("%Y-%m-%d %H:%M:%S"),
                chans[-1],
                "",
                "询盘",
                o["product"].product_id,
                "",
            ]
        )
        rows.append(
            [
                o["buyer"].customer_id,
                o["ordered_at"].strftime("%Y-%m-%d %H:%M:%S"),
                chans[-1],
                "",
                "下单",
                o["product"].product_id,
                o["order_id"],
            ]
        )
    write_csv(root / "buyer-touchpoints.csv", headers("buyer_touchpoints"), rows)
    acct.plant("X03", "store", "store", "touchpoint paths for every order but the S customer's re-orders")
    acct.plant("X02", "store", "store", "monthly 同行对比 for 9 metrics")
    acct.plant("X04", "store", "store", "exposure lifted ≈35% in the March and September festivals")


__all__ = ["festival_lift", "generate", "pct"]
