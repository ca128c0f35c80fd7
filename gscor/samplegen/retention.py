"""Retention reports: the CRM customer list and the buyer touchpoints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .core import KEYWORDS, OWNERS, Account, headers, row_for
from .writers import write_csv, write_xlsx


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
    write_csv(
        root / f"buyer-touchpoints-{acct.weeks[-1][1] + dt.timedelta(days=1)}.csv",
        headers("buyer_touchpoints"),
        rows,
    )
    acct.plant("X03", "store", "store", "touchpoint paths for every order but the S customer's re-orders")
    acct.plant("X02", "store", "store", "monthly 同行对比 for 9 metrics")
    acct.plant("X04", "store", "store", "exposure lifted ≈35% in the March and September festivals")
