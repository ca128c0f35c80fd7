"""Order reports: the TA (Trade Assurance) orders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .core import DAY, Account, headers, row_for
from .writers import list_file_label, write_csv


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
    # the A customer (near miss for R02): enough history to be judged, re-ordering every 45 days (the last 10
    # days ago), so its longest silence at a week end (≤ 44 days) stays under 1.5 × 45 = 67.5 days
    a_cust = acct.buyers[1]
    for days_ago in (145, 100, 55, 10):
        seq += 1
        when = dt.datetime.combine(end - dt.timedelta(days=days_ago), dt.time(11, 0))
        orders.append(
            {
                "order_id": f"TA{seq:08d}",
                "ordered_at": when,
                "buyer": a_cust,
                "product": acct.products[0],
                "quantity": 100,
                "amount": round(100 * acct.products[0].fob_min, 2),
                "promised": when.date() + dt.timedelta(days=15),
                "shipped": None if days_ago < 15 else when.date() + dt.timedelta(days=14),
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
        write_csv(root / f"orders-{list_file_label(month, end)}.csv", headers("orders"), rows)
    return orders
