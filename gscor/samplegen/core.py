"""The shared scaffolding of the sample generator: the calendar helpers, the registry's column
layouts, the account with its random stream and its plants, and the store's master data
(products and buyers, with the planted roles) and its simulated weekly product metrics."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ..registry import load_registry

DAY = dt.timedelta(days=1)
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


# -- the store's master data ------------------------------------------------
# The planted roles of make_products / simulate_product_weeks use products 0–38 and the last one (G09, never
# seen), which must be a product of its own (not S09's showcase product 38): at least 40 products.
MIN_PRODUCTS = 40


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
    # S03: a showcase slot on a product nobody asks about although many visit
    # (≈200 visitors a week and not one inquiry or TM: clearly below the store's rate — S03's min_z; its draws
    # are skipped, so its exposure leaves the account's random stream as it was)
    p[9].showcase, p[9].inquiry_rate, p[9].base_impressions, p[9].ctr = True, 0.0, 4000, 0.03
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
    # G14 / S09: set in simulate_product_weeks after the random draws, so the account's stream is unchanged
    acct.plant("G14", "product", p[25].product_id, "≈200 search impressions/week, no search click")
    acct.plant(
        "G14", "product", p[36].product_id, "no search click on ≈95 impressions: too few", near_miss=True
    )
    p[38].showcase, p[37].showcase = True, True
    acct.plant("S09", "product", p[38].product_id, "showcase product with ≈20 search impressions a week")
    acct.plant(
        "S09", "product", p[37].product_id, "showcase product with 30–35 search impressions", near_miss=True
    )


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
        "R02",
        "customer",
        acct.buyers[1].customer_id,
        "A customer re-ordering every 45 days, last 10 days ago (silence ≤ 44 < 1.5 × 45 days)",
        near_miss=True,
    )


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
            # after the draws (the stream stays as it was): G14 — search exposure, no search click (its
            # visitors come from other channels); S09 — showcase products with almost no search exposure
            if k in (25, 36):
                clicks = 0
            if k == 38:
                imp, clicks = imp // 4, min(clicks, imp // 4)
            if k == 37:
                imp = 30 + imp % 6
                clicks = min(clicks, imp)
            perf.append(
                (w, p, {"imp": imp, "clicks": clicks, "visitors": visitors, "inq": inquiries, "tm": tm})
            )
    acct.plant("G01", "store", "store", "latest week's exposure ≈40% below the week before")
    acct.plant("C02", "store", "store", "visit→inquiry rate in the latest week ≈ half its 8-week baseline")
    return perf
