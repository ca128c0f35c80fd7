"""The weekly report: findings → action plan → report.html / report.md / findings.json / action_plan.csv.

    from gscor.report import build_report
    result = build_report(home, "demo-01")            # latest week, both languages, top 10 actions
    result.html, result.findings, result.actions

See docs/report.md for what each file holds and where the data comes from.
"""

from gscor.errors import ReportError
from gscor.report.build import REPORT_FILES, ReportResult, build_report, report_accounts

__all__ = ["REPORT_FILES", "ReportError", "ReportResult", "build_report", "report_accounts"]
