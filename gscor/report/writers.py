"""The four report files: report.html (Jinja2, autoescaped), report.md, findings.json (validated), action_plan.csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from gscor.actions import LEDGER_COLUMNS, SHEET_HEADERS
from gscor.actions.parsing import starts_like_formula
from gscor.errors import ReportError
from gscor.report.i18n import LABELS, TERMS, Lang
from gscor.report.plan import problem_item
from gscor.report.problems import build_problems
from gscor.report.problems import label as problem_label

HERE = Path(__file__).resolve().parent
SCHEMA_PATH = HERE / "findings.schema.json"
SCHEMA_VERSION = "2.0"  # 2.0: one record per problem with its entities (gscor/report/problems.py)

# ------------------------------------------------------------------ atomic write


def write_text(path: Path, text: str, *, bom: bool = False) -> None:
    """Write via a temporary file + rename, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


# ------------------------------------------------------------------ CSV

# The plan sheet: the ledger's columns in the ledger's order under bilingual headers (gscor.actions: its rows
# paste into data/actions/<account>.csv as they are, and the ledger reads the sheet back), then what the
# report adds for the team: rank, severity, the rule's name, the metric's name, the impact.
SHEET_EXTRAS = {
    "rank": "排名 / Rank",
    "severity": "严重程度 / Severity",
    "rule_title": "规则名称 / Rule title",
    "metric_name": "指标名称 / Metric name",
    "impact_usd": "影响（美元/周） / Impact (USD per week)",
    "entities": "全部对象 / All objects",
    "impact_basis": "影响依据 / Impact basis",
}
CSV_COLUMNS = (*LEDGER_COLUMNS, *SHEET_EXTRAS)
CSV_HEADERS = tuple({**SHEET_HEADERS, **SHEET_EXTRAS}[c] for c in CSV_COLUMNS)


def neutralise(value: Any) -> str:
    """Text for a CSV cell that a spreadsheet cannot execute (OWASP CSV injection): a leading ' before
    = + - @ tab CR or a look-alike (full-width ＝＋－＠, the Unicode minus …; also when only whitespace
    precedes them). One rule with the ledger's writer (gscor.actions.parsing.starts_like_formula)."""
    text = "" if value is None else str(value)
    return "'" + text if starts_like_formula(text) else text


def action_plan_csv(plan: list[dict], account_id: str = "", period_end: dt.date | None = None) -> str:
    """The plan sheet (UTF-8 with BOM added by the writer, CRLF, every cell quoted and formula-neutralised)."""
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(CSV_HEADERS)
    for a in plan:
        impact, value = a.get("impact_usd"), a.get("value_at_creation")
        cells = {
            **{c: a.get(c) for c in LEDGER_COLUMNS},
            "account_id": account_id,
            "report_period_end": period_end.isoformat() if period_end else "",
            "created_on": a["created_on"].isoformat() if a.get("created_on") else "",
            "due_date": a["due_date"].isoformat() if a.get("due_date") else "",
            "value_at_creation": "" if value is None else f"{value:.6g}",
            # the ledger's words: an action the report did not record has no status there yet
            "status": a.get("status") if a.get("status") in ("open", "done", "dropped") else "",
            "done_date": "",
            "note": "",
            "rank": a["rank"],
            "severity": Lang("both").pair_text(
                *LABELS.get(a.get("severity") or "", (a.get("severity"), None))
            ),
            "rule_title": Lang("both").pair_text(a.get("title_zh"), a.get("title_en")),
            "metric_name": Lang("both").pair_text(*TERMS.get(a.get("metric") or "", ("", ""))),
            "impact_usd": "" if impact is None else f"{impact:.2f}",
            "entities": _entities_cell(a),
            "impact_basis": Lang("both").pair_text(
                a.get("impact_basis_zh") or a.get("impact_note_zh"),
                a.get("impact_basis_en") or a.get("impact_note_en"),
            ),
        }
        w.writerow([neutralise(cells[c]) for c in CSV_COLUMNS])
    return buf.getvalue()


def _entities_cell(a: dict) -> str:
    """Every object of the action (a problem of several entities lists them all; evidence rules named)."""
    parts = []
    for e in a.get("entities") or []:
        name = str(e.get("label") or e.get("entity_id") or "")
        if e.get("entity_id") and str(e.get("entity_id")) != name:
            name += f" ({e['entity_id']})"
        parts.append(name if e.get("role") != "evidence" else f"{e.get('rule_id')}: {name}")
    left = a.get("excluded_entities") or []
    if left:
        zh, en = problem_label("left_out")
        names = ", ".join(str(x.get("entity_label") or x.get("entity_id")) for x in left)
        parts.append(f"{zh} / {en}: {names} ({left[0]['reason_zh']} / {left[0]['reason_en']})")
    return "; ".join(parts)


# ------------------------------------------------------------------ JSON

FINDING_FIELDS = (
    "finding_id",
    "account_id",
    "rule_id",
    "stage",
    "severity",
    "entity_type",
    "entity_id",
    "entity_label",
    "period_grain",
    "period_start",
    "period_end",
    "metric",
    "value",
    "threshold",
    "benchmark",
    "impact_estimate",
    "impact_unit",
    "impact_usd",
    "action_code",
    "action_text_zh",
    "action_text_en",
    "owner",
    "evidence_detail",
    "cadence",
    "title_zh",
    "title_en",
    "owner_role_zh",
    "owner_role_en",
)
# what a problem adds to its lead finding (findings[] and action_plan[] of findings.json)
PROBLEM_EXTRAS = (
    "problem_key",
    "group_key",
    "family",
    "rules",
    "entity_count",
    "entities",
    "excluded_entities",
    "impact_basis_zh",
    "impact_basis_en",
    "impact_note_zh",
    "impact_note_en",
)
PLAN_FIELDS = (
    "rank",
    "action_id",
    "status",
    "created_on",
    "carried_over",
    "finding_id",
    "rule_id",
    "stage",
    "severity",
    "title_zh",
    "title_en",
    "entity_type",
    "entity_id",
    "entity_label",
    "metric",
    "value_at_creation",
    "action_code",
    "action_text_zh",
    "action_text_en",
    "owner",
    "owner_is_role",
    "due_date",
    "impact_usd",
    "impact_estimate",
    "impact_unit",
    *PROBLEM_EXTRAS,
)
EFFECT_FIELDS = (
    "action_id",
    "finding_id",
    "rule_id",
    "entity_type",
    "entity_id",
    "entity_label",
    "metric",
    "action_code",
    "owner",
    "created_on",
    "done_date",
    "window_weeks",
    "before_start",
    "before_end",
    "after_start",
    "after_end",
    "before_value",
    "after_value",
    "change_abs",
    "change_pct",
    "noise_sd",
    "z_score",
    "higher_is_better",
    "verdict",
)


def _json_value(v: Any) -> Any:
    if isinstance(v, list):
        return [_json_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _json_value(x) for k, x in v.items()}
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _pick(row: dict, fields: tuple[str, ...]) -> dict:
    return {f: _json_value(row.get(f)) for f in fields}


def findings_document(
    account_id: str,
    period_end: dt.date,
    generated_at: dt.datetime,
    lang: str,
    cap: int,
    current: list[dict],
    plan: list[dict],
    coverage: list[dict] | None,
    effects: list[dict],
) -> dict:
    cov = [
        {
            "rule_id": c["rule_id"],
            "stage": c.get("stage"),
            "title_zh": c.get("title_zh"),
            "title_en": c.get("title_en"),
            "required_report_types": [t for t in (c.get("required_report_types") or "").split("|") if t],
            "missing_report_types": [t for t in (c.get("missing_report_types") or "").split("|") if t],
        }
        for c in (coverage or [])
        if not c.get("can_run")
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "account_id": account_id,
        "period_end": period_end.isoformat(),
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "lang": lang,
        "cap": cap,
        "findings": problem_records(current),
        "action_plan": [_pick(a, PLAN_FIELDS) for a in plan],
        "coverage": cov,
        "effects": [_pick(e, EFFECT_FIELDS) for e in effects],
    }


def problem_records(current: list[dict]) -> list[dict]:
    """findings[] of findings.json: one record per problem (ranked as the plan), the lead finding's fields
    with the problem's severity, impact (sum over its entities), texts, and every entity."""
    out = []
    for p in build_problems(current):
        item = problem_item(p, Lang("both"))
        rec = _pick(p.lead, FINDING_FIELDS)
        for k in ("severity", "entity_id", "entity_label", "impact_usd", "impact_estimate"):
            rec[k] = _json_value(item[k])
        rec["action_text_zh"], rec["action_text_en"] = item["action_text_zh"], item["action_text_en"]
        rec.update({k: _json_value(item.get(k)) for k in PROBLEM_EXTRAS})
        out.append(rec)
    return out


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_document(doc: dict) -> None:
    """Raise ReportError listing every schema violation (path: message)."""
    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:20]]
        raise ReportError("findings.json does not match findings.schema.json:\n  " + "\n  ".join(lines))


def findings_json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# ------------------------------------------------------------------ HTML


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.filters["wbr"] = _wbr
    return env


def _wbr(text: Any) -> Markup:
    """Escaped identifier with a line-break opportunity after each underscore (search_<wbr>ctr)."""
    return Markup("_<wbr>").join(escape(part) for part in str(text or "").split("_"))


def render_html(view: dict, lang: Lang) -> str:
    html_lang = {"zh": "zh-CN", "en": "en", "both": "zh-CN"}[lang.mode]
    return _env().get_template("report.html.j2").render(v=view, L=lang, html_lang=html_lang)


# ------------------------------------------------------------------ Markdown

_MD_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "*": "\\*",
        "_": "\\_",
        "`": "\\`",
        "[": "\\[",
        "]": "\\]",
        "#": "\\#",
        "<": "&lt;",
        ">": "&gt;",
        "\n": " ",
        "\r": " ",
    }
)


_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# GFM (GitHub, GitLab, most viewers) turns bare URLs, www. names and e-mail addresses into links; a backslash
# before the ":" of a scheme, the "." after www and every "@" breaks the pattern and renders as that text.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(:)(?=//)|(?<![^\W_])(www)(\.)|(@)")


def _no_autolink(m: re.Match) -> str:
    if m[1]:
        return "\\:"
    if m[2]:
        return m[2] + "\\."
    return "\\@"


def md(text: Any) -> str:
    """Escape exported text for Markdown (no raw HTML or entities, no emphasis/link/heading/table syntax,
    no autolinked URL, www. name or e-mail address)."""
    if text is None:
        return ""
    return _AUTOLINK.sub(_no_autolink, _ENTITY.sub("&amp;", str(text)).translate(_MD_SPECIAL))


def _md_table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(md(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _md_problem_details(view: dict, lang: Lang) -> list[str]:
    """Under the plan table, per action: all its objects, the family's evidence, what a conflict left out,
    what its impact means."""
    P = lang.pair_text
    labels = view["plan_labels"]
    out = []
    for a in view["actions"]:
        parts = []
        if a["entities"]:
            names = ", ".join(e["name"] + (f" ({e['id']})" if e["id"] else "") for e in a["entities"])
            parts.append(f"{P(*labels['entities'])} ({a['entity_count']}): {names}")
        if a["evidence"]:
            ev = "; ".join(
                f"{e['rule_id']} {e['name']} {P(*e['metric'])} {e['value']}" for e in a["evidence"]
            )
            parts.append(f"{P(*labels['also_evidence'])}: {ev}")
        if a["excluded"]:
            names = ", ".join(x["name"] for x in a["excluded"])
            parts.append(f"{P(*labels['left_out'])}: {names} ({P(*a['excluded'][0]['reason'])})")
        if a["impact_basis"]:
            parts.append(f"{P(*labels['impact_basis'])}: {P(*a['impact_basis'])}")
        if a["impact_note"]:
            parts.append(f"{P(*labels['impact_unknown'])}: {P(*a['impact_note'])}")
        if parts:
            out.append(f"- **{a['rank']}** " + " · ".join(md(x) for x in parts))
    return [*out, ""] if out else []


def render_markdown(view: dict, lang: Lang) -> str:
    L = lang
    P = lang.pair_text
    lines: list[str] = [
        f"# {md(L.text('title'))}",
        "",
        f"{md(L.text('account'))}: **{md(view['account_id'])}** · {md(L.text('period'))}: "
        f"{view['period_start']} – {view['period_end']} · {md(L.text('generated_at'))}: {md(view['generated_at'])}",
        "",
        *_md_banner(view, L),
        f"## {md(L.text('summary'))}",
        "",
        md(L.text("summary_note")),
        "",
    ]
    rows = []
    for s in view["stages"]:
        for i, m in enumerate(s["metrics"] or [None]):
            first = i == 0
            rows.append(
                [
                    P(*s["label"]) if first else "",
                    (P(*s["health_label"]) + f" ({P(*(s.get('not_checked') or s['health_basis']))})")
                    if first and s.get("health_basis")
                    else (P(*s["health_label"]) if first else ""),
                    (P(*m["label"]) + (f" ({P(*m['source'])})" if m.get("source") else "")) if m else "–",
                    (
                        m["this_week"]
                        + (f" ({P(*m['week_note'])})" if m.get("week_note") else "")
                        + (f" ({P(*m['reason'])})" if m.get("reason") else "")
                    )
                    if m
                    else "",
                    m["baseline"] if m else "",
                    m["vs_baseline"] if m else "",
                    (f"{m['my_value']} ({m['peer_period']})" if m["peer_period"] else m["my_value"])
                    if m
                    else "",
                    m["peer_avg"] if m else "",
                    m["vs_peer"] if m else "",
                    s["counts"]["high"] if first else "",
                    s["counts"]["medium"] if first else "",
                    s["counts"]["low"] if first else "",
                ]
            )
    keys = (
        "stage",
        "health",
        "metric",
        "this_week",
        "baseline_8w",
        "vs_baseline",
        "peer_period",
        "peer_avg",
        "vs_peer",
        "high",
        "medium",
        "low",
    )
    lines += _md_table([L.text(k) for k in keys], rows)
    lines += [md(P(*n)) for n in view.get("funnel_notes", [])] + ([""] if view.get("funnel_notes") else [])

    lines += [f"## {md(L.text('action_plan'))}", "", md(P(*view["plan_labels"]["plan_note"])), ""]
    if view["actions"]:
        rows = [
            [
                a["rank"],
                f"{a['rule_id']} {P(*a['title'])}",
                P(*a["severity_label"]),
                a["entity"] + (f" ({a['entity_id']})" if a["entity_id"] else ""),
                " / ".join(L.pair_list(a["action"])),
                a["owner"],
                a["due_date"],
                a["impact"] + (f" ({a['impact_native']})" if a["impact_native"] else ""),
                f"{P(*a['status'])} {a['action_id']}",
            ]
            for a in view["actions"]
        ]
        keys = ("rank", "rule", "severity", "entity", "action", "owner", "due_date", "impact_usd", "status")
        lines += _md_table([L.text(k) for k in keys], rows)
        lines += _md_problem_details(view, lang)
    else:
        lines += [md(L.text("no_actions")), ""]
    lines += [md(P(*view["plan_labels"]["impact_explained"])), ""]

    for s in view["sections"]:
        lines += [f"## {md(P(*s['label']))}", ""]
        if s.get("not_checked"):
            lines += [md(P(*s["not_checked"])), ""]
        elif not s["rules"]:
            lines += [md(L.text("no_findings_stage")), ""]
        for r in s["rules"]:
            lines += [f"### {md(r['rule_id'])} · {md(P(*r['title']))} ({r['total']})", ""]
            rows = [
                [
                    f["entity"] + (f" ({f['entity_id']})" if f["entity_id"] else ""),
                    P(*f["severity_label"]),
                    P(*f["metric"]),
                    f["value"],
                    f["threshold"],
                    f["benchmark"],
                    f["period"],
                    f["impact"] + (f" ({f['impact_native']})" if f["impact_native"] else ""),
                    " / ".join(L.pair_list(f["action"]))
                    + (
                        f" — {L.text('evidence_detail')}: {f['evidence_detail']}"
                        if f["evidence_detail"]
                        else ""
                    ),
                    f["owner"],
                ]
                for f in r["items"]
            ]
            keys = (
                "entity",
                "severity",
                "metric",
                "value",
                "threshold",
                "benchmark",
                "period",
                "impact",
                "action",
                "owner",
            )
            lines += _md_table([L.text(k) for k in keys], rows)
            if r["total"] > len(r["items"]):
                lines += [md(L.text("showing_rows", shown=len(r["items"]), total=r["total"])), ""]

    for section_key, tables in (("standing_reports", view["standing"]), ("advanced", view["advanced"])):
        lines += [f"## {md(L.text(section_key))}", ""]
        for t in tables:
            lines += [f"### {md(L.text(t.key))}", ""]
            if not t.rows:
                lines += [md(P(*t.empty) if t.empty else L.text("no_rows")), ""]
            else:
                if t.note:
                    lines += [md(P(*t.note)), ""]
                full = t.more or t  # Markdown has no <details>: every column
                lines += _md_table([P(*h) for h in full.headers], full.rows)
                if t.total > len(t.rows):
                    lines += [md(L.text("showing_rows", shown=len(t.rows), total=t.total)), ""]

    lines += [f"## {md(L.text('effects'))}", "", md(L.text("effects_note")), ""]
    if not view["effects"]:
        lines += [md(L.text("no_effects")), ""]
    else:
        rows = [
            [
                f"{e['rule_id']} {e['entity']} ({e['action_id']})",
                P(*e["metric"]),
                e["done_date"],
                f"{e['before']} ({e['before_window']})",
                f"{e['after']} ({e['after_window']})",
                e["change"],
                e["z_score"],
                P(*e["verdict_label"]),
            ]
            for e in view["effects"]
        ]
        keys = ("action", "metric", "done_date", "before", "after", "change", "z_score", "verdict")
        lines += _md_table([L.text(k) for k in keys], rows)

    lines += [f"## {md(L.text('coverage'))}", ""]
    note = L.text("rules_run", run=view["rules_run"], total=view["rules_total"]) + "."
    if view["coverage"]:
        note += " " + L.text("coverage_note")
    lines += [md(note), ""]
    if view["coverage"]:
        rows = [
            [c["rule_id"], c["stage"], P(*c["title"]), "; ".join(P(*m) for m in c["missing"])]
            for c in view["coverage"]
        ]
        lines += _md_table([L.text(k) for k in ("rule", "stage", "title_col", "missing_exports")], rows)
    else:
        lines += [md(L.text("coverage_all")), ""]
    lines += ["---", md(L.text("footer")), ""]
    return "\n".join(lines)


def _md_banner(view: dict, L: Lang) -> list[str]:
    """The coverage banner at the top (gscor.report.health.coverage_banner)."""
    b = view.get("banner")
    if not b:
        return []
    P = L.pair_text
    out = [
        f"## {md(L.text('banner'))}",
        "",
        f"**{md(L.text('banner_rules', run=b['rules_run'], total=b['rules_total']))}**",
        "",
    ]
    if b["not_checked"]:
        out += [f"**{md(L.text('stages_not_checked'))}**", ""]
        out += [f"- {md(P(*n['label']))}: {md(P(*n['text']))}" for n in b["not_checked"]] + [""]
    if b["missing"]:
        out += [f"**{md(L.text('exports_missing'))}**", ""]
        out += [
            f"- **{md(P(*m['name']))}** ({md(L.text('unlocks_rules', n=m['rules']))}; {' '.join(m['stages'])}): "
            f"{md(P(*m['origin']))}"
            for m in b["missing"]
        ] + [""]
    else:
        out += [md(L.text("all_exports")), ""]
    out += [f"**{md(L.text('exports_used'))}**", ""]
    for u in b["used"]:
        when = L.text("snapshot_of", date=u["snapshot"]) if u["snapshot"] else u["span"]
        stale = ""
        if u["stale"]:
            stale = " — " + L.text("ends_before_week" if u["span"] else "no_snapshot_for_week")
        out.append(f"- {md(P(*u['name']))}: {md(when)}{md(stale)} ({md(L.text('files_n', n=u['files']))})")
    return [*out, ""]


__all__ = [
    "CSV_COLUMNS",
    "CSV_HEADERS",
    "LABELS",
    "action_plan_csv",
    "findings_document",
    "findings_json",
    "neutralise",
    "render_html",
    "render_markdown",
    "validate_document",
    "write_text",
]
