"""Communication reports: the inquiry list (and the seller's own 询盘台账 for its earliest month)
and the TM conversations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..registry import load_registry
from .core import (
    DAY,
    OWNERS,
    P4P_KEYWORDS,
    REGULAR_BUYERS,
    Account,
    Buyer,
    Product,
    headers,
    new_buyer,
    row_for,
)
from .writers import list_file_label, write_csv, write_xlsx


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
            root / f"inquiries-{list_file_label(month, acct.weeks[-1][1])}.csv",
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
        write_xlsx(
            root / f"TM-conversations-{list_file_label(month, acct.weeks[-1][1])}.xlsx",
            headers("tm_conversations"),
            rows,
        )
    acct.plant(
        "C06", "store", "store", "quick replies in ≈25%, quick reply or product card in ≈1/3 of TM chats"
    )
    return chats
