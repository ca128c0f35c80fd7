"""Personal data in columns the registry does not know.

A report type that holds personal data (a column marked ``pii: true`` in its registry entry: customers,
inquiries, orders, TM conversations) may carry columns no registry entry names — a CRM export's 联系人, 电话,
WhatsApp, 邮箱 … Such columns ride along as ``extra_columns``, so they are scrubbed before anything lands:

- a column whose header names personal data (:data:`NAME_PATTERN`) is hashed whole;
- in every other unknown column, a cell that contains an e-mail address or a phone number is hashed whole
  (a note "call +86 138 0013 8000" included).

A hashed cell is ``sha256:`` + the SHA-256 of the trimmed, lower-cased text (the same key as the registry's
known PII columns get in staging, ``gscor_pii_key``), so equal values still join. The original file stays in
the archive, untouched; nothing raw reaches the landing zone, staging or any published relation. Conservative
on purpose: a long digit string in such a column (a phone-like id) is hashed too.
"""

from __future__ import annotations

import re

from ..registry import ReportType

NAME_PATTERN = re.compile(
    r"联系|姓名|名字|称呼|电话|手机|座机|传真|邮箱|邮件|微信|地址|护照|身份证"
    r"|whats\s*app|we\s*chat|skype|line\s*id|viber|telegram|e-?mail|mail|phone|tel\b|mobile|fax"
    r"|contact|name|address|passport",
    re.IGNORECASE,
)
# DuckDB regular expressions (RE2), searched anywhere in a cell. PHONE_RE: an optional +country code, then
# groups of 2-4, 3-4 and 3-4 digits (13800138000, +86 138 0013 8000, (021) 5555-1234); a date (2026-09-01) or an
# amount (1234567.89) does not match.
EMAIL_RE = r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"
PHONE_RE = r"(\+[0-9]{1,3}[ \-]?)?\(?[0-9]{2,4}\)?[ \-]?[0-9]{3,4}[ \-]?[0-9]{3,4}"


def holds_personal_data(entry: ReportType) -> bool:
    return any(c.pii for c in entry.columns)


def names_personal_data(header: str) -> bool:
    return bool(NAME_PATTERN.search(header or ""))


def hashed(cell_sql: str) -> str:
    return f"'sha256:' || sha256(lower(trim({cell_sql})))"


def scrub_expr(header: str, cell_sql: str) -> str:
    """SQL for one unknown column's cell of a report type that holds personal data."""
    if names_personal_data(header):
        return f"CASE WHEN {cell_sql} IS NOT NULL THEN {hashed(cell_sql)} END"
    looks_personal = f"regexp_matches({cell_sql}, '{EMAIL_RE}') OR regexp_matches({cell_sql}, '{PHONE_RE}')"
    return f"CASE WHEN {looks_personal} THEN {hashed(cell_sql)} ELSE {cell_sql} END"
