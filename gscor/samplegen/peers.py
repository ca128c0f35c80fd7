"""Peer reports: the monthly industry benchmark (同行对比)."""

from __future__ import annotations

from pathlib import Path

from .core import Account, headers, pct, row_for
from .writers import write_data_advisor_xls


def write_benchmark(acct: Account, root: Path, perf) -> None:
    rng = acct.rng
    months: dict[str, dict] = {}
    for w, _p, m in perf:
        key = acct.weeks[w][1].strftime("%Y-%m")
        agg = months.setdefault(key, {"imp": 0, "clicks": 0, "visitors": 0, "inq": 0, "tm": 0})
        for k in agg:
            agg[k] += m[k]
    # S07 / C02: the inquiry rate is 60% of 同行平均 in the last two months (the last complete one and the one
    # still running) and 110% before, the opportunity rate 110% throughout, so the peer comparison flags the
    # weeks of the last two months only, not every week (a week's rate varies ±20% around its month's)
    gap_months = set(sorted(months)[-2:])
    for month, agg in months.items():
        inq_vs_peer = 0.6 if month in gap_months else 1.1
        ctr = agg["clicks"] / agg["imp"] if agg["imp"] else 0
        inq_rate = agg["inq"] / agg["visitors"] if agg["visitors"] else 0
        opp_rate = (agg["inq"] + agg["tm"]) / agg["visitors"] if agg["visitors"] else 0
        metrics = [
            ("曝光次数", agg["imp"], agg["imp"] * 0.9, agg["imp"] * 2.5),
            ("点击次数", agg["clicks"], agg["clicks"] * 0.9, agg["clicks"] * 2.6),
            ("点击率", ctr, ctr / 0.9, ctr * 1.4),  # near miss for S07: 90% of peers
            ("访客数", agg["visitors"], agg["visitors"] * 1.1, agg["visitors"] * 2.2),
            ("询盘人数", agg["inq"], agg["inq"] * 1.15, agg["inq"] * 2.5),
            ("询盘率", inq_rate, inq_rate / inq_vs_peer, inq_rate * 2.0),  # S07: 60% of peers lately
            ("商机转化率", opp_rate, opp_rate / 1.1, opp_rate * 1.8),
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
    acct.plant("S07", "store", "store", "询盘率 at 60% of 同行平均 in the last two months (110% before)")
    acct.plant("S07", "store", "store", "点击率 at 90% of 同行平均", near_miss=True)
