#!/usr/bin/env python
"""Write deterministic sample exports of every report type (see gscor/samplegen)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from gscor.samplegen import generate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--accounts", type=int, default=1)
    ap.add_argument("--weeks", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--products", type=int, default=40, help="products per account (≥ 40)")
    ap.add_argument("--out", type=Path, required=True, help="files go to OUT/<account_id>/")
    ap.add_argument("--account-prefix", default="demo")
    ap.add_argument("--end-date", type=dt.date.fromisoformat, default=dt.date(2026, 9, 19))
    ap.add_argument("--planted", type=Path, help="write the planted findings and near-misses here (JSON)")
    ap.add_argument("--jobs", type=int, default=1, help="write the accounts in this many processes")
    args = ap.parse_args(argv)
    planted = generate(
        out=args.out,
        accounts=args.accounts,
        weeks=args.weeks,
        seed=args.seed,
        account_prefix=args.account_prefix,
        end_date=args.end_date,
        products=args.products,
        jobs=args.jobs,
    )
    if args.planted:
        args.planted.write_text(json.dumps(planted, ensure_ascii=False, indent=2), encoding="utf-8")
    files = sum(1 for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {files} files for {args.accounts} account(s) × {args.weeks} weeks under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
