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
from pathlib import Path

from .communication import write_inquiries, write_tm
from .core import (
    MIN_PRODUCTS,
    Account,
    festival_lift,
    make_buyers,
    make_products,
    pct,
    simulate_product_weeks,
)
from .order import write_orders
from .peers import write_benchmark
from .retention import write_customers, write_touchpoints
from .store import write_catalog, write_product_tables, write_ranking_competitors_ab, write_store_profile
from .traffic import write_keyword_tables, write_p4p_fullsite, write_p4p_keywords, write_shop_and_traffic


def generate(
    out: Path,
    accounts: int,
    weeks: int,
    seed: int,
    account_prefix: str = "demo",
    end_date: dt.date = dt.date(2026, 9, 19),
    products: int = 40,
    jobs: int = 1,
) -> list[dict]:
    """Write every report type for ``accounts`` accounts × ``weeks`` weeks ending ``end_date``
    under ``out/<account_id>/``; returns the planted findings and near-misses. ``jobs`` > 1 writes the
    accounts in that many processes (each account draws from its own seeded generator: the same files)."""
    if weeks < 8:
        raise ValueError("at least 8 weeks are needed (rules look back 4 and 8 weeks)")
    if products < MIN_PRODUCTS:
        raise ValueError(
            f"at least {MIN_PRODUCTS} products are needed for the planted roles (products 0–38 and a last one "
            f"of its own), got {products}"
        )
    out = Path(out)
    week_list = [
        (end_date - dt.timedelta(days=7 * k + 6), end_date - dt.timedelta(days=7 * k)) for k in range(weeks)
    ]
    week_list.reverse()
    tasks = [
        (
            out,
            account_prefix if accounts == 1 else f"{account_prefix}-{a + 1:02d}",
            a,
            seed,
            week_list,
            products,
        )
        for a in range(accounts)
    ]
    if jobs > 1 and accounts > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(min(jobs, accounts)) as pool:
            per_account = list(pool.map(_generate_account, tasks))
    else:
        per_account = [_generate_account(t) for t in tasks]
    return [p for planted in per_account for p in planted]


def _generate_account(task: tuple) -> list[dict]:
    out, account_id, a, seed, week_list, products = task
    acct = Account(account_id, random.Random(f"{seed}-{a}"), week_list)
    make_products(acct, a, products)
    make_buyers(acct)
    _write_account(acct, out / account_id)
    return acct.planted


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


__all__ = ["MIN_PRODUCTS", "festival_lift", "generate", "pct"]
