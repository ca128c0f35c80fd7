"""Problems: what one action of the plan fixes (declared in problems.yml).

Three steps turn the period's findings into problems (problems.yml says why):

1. **one rule**: findings of one rule, period end and ``group_key`` are one problem listing all their
   entities; a finding whose ``group_key`` is NULL (or absent: warehouses before the column) is a problem of
   its own (findings of one rule on one entity with one action code, e.g. two current periods or two
   metrics, are one: they share the action's ledger key);
2. **conflicts**: an entity flagged by a ``flagged_by`` rule (G12: a brand keyword) is taken out of every
   other problem whose action code would contradict it (CTR / image / title work on that keyword); a problem
   left with no entity is dropped; the entity taken out is named in the problem it left (``excluded``:
   beside the action, never in its text, which names only what to work on);
3. **families**: problems of rules declared to be one problem (C02 + S07; G06 + C03 on one keyword) merge;
   the finding of the first rule listed leads, the others are evidence.

Impact of a problem: the sum of its lead rule's entities' ``impact_usd`` (NULLs skipped; NULL when none is
known); a family counts its loss once: the largest of its rules' sums. Ranking (:func:`rank_problems`):
impact desc (unknown last), then severity, then size (impact_estimate, number of entities); rule and entity
ids only break exact ties so the order is stable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PROBLEMS_PATH = Path(__file__).resolve().parent / "problems.yml"
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
KEYWORD_TYPES = ("keyword", "p4p_keyword")
GROUP_PREFIX = "group:"


@cache
def config() -> dict:
    return yaml.safe_load(PROBLEMS_PATH.read_text(encoding="utf-8"))


def label(key: str) -> tuple[str, str]:
    t = config()["labels"][key]
    return str(t["zh"]), str(t["en"])


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def keyword_of(f: dict) -> str | None:
    """The keyword a finding is about (normalised), None when its entity is no keyword."""
    if f.get("entity_type") not in KEYWORD_TYPES:
        return None
    return _norm(f.get("entity_id") or f.get("entity_label"))


def finding_rank_key(f: dict) -> tuple:
    impact = f.get("impact_usd")
    return (
        impact is None,
        -(impact or 0.0),
        SEVERITY_ORDER.get(f.get("severity"), 9),
        -(f.get("impact_estimate") or 0.0),
        f.get("rule_id") or "",
        str(f.get("entity_id") or ""),
        f.get("finding_id") or "",
    )


def _sum(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(sum(known)) if known else None


@dataclass
class Problem:
    """One problem: the findings of its lead rule (its entities) and, for a family, the other rules'."""

    rule_id: str
    group_key: str | None
    findings: list[dict]  # the lead rule's findings, best first
    evidence: list[dict] = field(default_factory=list)  # other rules' findings of a family, best first
    family: dict | None = None
    excluded: list[dict] = field(default_factory=list)  # entities taken out by a conflict

    # ---- the lead finding and the problem's numbers
    @property
    def lead(self) -> dict:
        return self.findings[0]

    @property
    def members(self) -> list[dict]:
        return [*self.findings, *self.evidence]

    @property
    def grouped(self) -> bool:
        return self.group_key is not None

    def _rule_sums(self) -> dict[str, float | None]:
        by_rule: dict[str, list] = {}
        for f in self.members:
            by_rule.setdefault(f.get("rule_id") or "", []).append(f.get("impact_usd"))
        return {r: _sum(v) for r, v in by_rule.items()}

    @property
    def impact_usd(self) -> float | None:
        """Sum over the lead rule's entities; a family: the largest rule sum (one loss counted once)."""
        known = [v for v in self._rule_sums().values() if v is not None]
        return max(known) if known else None

    @property
    def impact_estimate(self) -> float:
        return float(sum(f.get("impact_estimate") or 0.0 for f in self.findings))

    @property
    def severity(self) -> str | None:
        sevs = [f.get("severity") for f in self.members if f.get("severity") in SEVERITY_ORDER]
        return min(sevs, key=SEVERITY_ORDER.__getitem__) if sevs else self.lead.get("severity")

    @property
    def entity_count(self) -> int:
        return len({(f.get("entity_type"), f.get("entity_id")) for f in self.findings})

    @property
    def rules(self) -> list[str]:
        out: list[str] = []
        for f in self.members:
            if f.get("rule_id") not in out:
                out.append(f.get("rule_id"))
        return out

    def rank_key(self) -> tuple:
        impact = self.impact_usd
        lead = self.lead
        return (
            impact is None,
            -(impact or 0.0),
            SEVERITY_ORDER.get(self.severity, 9),
            -self.impact_estimate,
            -self.entity_count,
            self.rule_id,
            str(lead.get("entity_id") or ""),
            lead.get("finding_id") or "",
        )

    # ---- the ledger key: stable across weeks
    @property
    def entity_id(self) -> str:
        if self.grouped:
            return f"{GROUP_PREFIX}{self.group_key}"
        return str(self.lead.get("entity_id") or "")

    @property
    def key(self) -> tuple:
        """(rule_id, entity_type, entity_id, action_code): a grouped problem's entity is ``group:<group_key>``,
        so its action keeps one ledger key while its entities change from week to week."""
        lead = self.lead
        return (self.rule_id, lead.get("entity_type"), self.entity_id, lead.get("action_code"))

    @property
    def alternate_keys(self) -> list[tuple]:
        """Keys of earlier ledgers that are this problem too: each member's own (ungrouped) key."""
        out = []
        for f in self.members:
            k = (f.get("rule_id"), f.get("entity_type"), f.get("entity_id"), f.get("action_code"))
            if k != self.key and k not in out:
                out.append(k)
        return out

    # ---- texts
    def entity_labels(self) -> list[str]:
        seen, out = set(), []
        for f in self.findings:
            name = str(f.get("entity_label") or f.get("entity_id") or "")
            if name and name not in seen:
                seen.add(name)
                out.append(name)
        return out

    def entity_summary(self) -> str:
        """The entities as one short text: the first few, then "+N"."""
        names = self.entity_labels()
        shown = int(config().get("entities_shown", 5))
        head = ", ".join(names[:shown])
        return head + (f" +{len(names) - shown}" if len(names) > shown else "")

    def action_texts(self) -> tuple[str, str]:
        lead = self.lead
        zh, en = lead.get("action_text_zh") or "", lead.get("action_text_en") or ""
        names = self.entity_labels()
        if len(names) > 1:
            cfg = config()
            shown = int(cfg.get("entities_shown", 5))
            rest = len(names) - shown
            tpl = cfg["group_text"].get(self.rule_id) or cfg["group_text"]["default"]
            out = []
            for lang, lead_text in (("zh", zh), ("en", en)):
                more = cfg["more"][lang].format(n=rest) if rest > 0 else ""
                sep = "、" if lang == "zh" else ", "
                out.append(
                    tpl[lang].format(
                        lead=lead_text, entities=sep.join(names[:shown]), more=more, n=len(names)
                    )
                )
            zh, en = out
        return zh, en

    def impact_texts(self) -> dict[str, str | None]:
        """What the impact means: H1's impact_basis_* / impact_note_* of the lead (when the warehouse has
        them), prefixed with "sum of N objects" for a problem of several entities."""
        lead = self.lead
        basis_zh, basis_en = lead.get("impact_basis_zh"), lead.get("impact_basis_en")
        if self.entity_count > 1:
            sz, se = label("impact_sum")
            n = self.entity_count
            basis_zh = sz.format(n=n) + (f"；例：{basis_zh}" if basis_zh else "")
            basis_en = se.format(n=n) + (f"; e.g. {basis_en}" if basis_en else "")
        note = next((f for f in self.members if f.get("impact_note_zh") or f.get("impact_note_en")), {})
        return {
            "impact_basis_zh": basis_zh,
            "impact_basis_en": basis_en,
            "impact_note_zh": note.get("impact_note_zh") if self.impact_usd is None else None,
            "impact_note_en": note.get("impact_note_en") if self.impact_usd is None else None,
        }

    def entities(self) -> list[dict]:
        """Every finding of the problem as an entity (lead rule first, then the family's evidence)."""
        return [
            {
                "rule_id": f.get("rule_id"),
                "finding_id": f.get("finding_id"),
                "role": "entity" if i < len(self.findings) else "evidence",
                "entity_type": f.get("entity_type"),
                "entity_id": None if f.get("entity_id") is None else str(f.get("entity_id")),
                "label": f.get("entity_label"),
                "severity": f.get("severity"),
                "metric": f.get("metric"),
                "value": f.get("value"),
                "threshold": f.get("threshold"),
                "benchmark": f.get("benchmark"),
                "impact_usd": f.get("impact_usd"),
                "impact_estimate": f.get("impact_estimate"),
                "impact_unit": f.get("impact_unit"),
                "evidence_detail": f.get("evidence_detail"),
            }
            for i, f in enumerate(self.members)
        ]


def _group_key(f: dict) -> str | None:
    g = f.get("group_key")
    return None if g is None or str(g).strip() == "" else str(g)


def group(findings: list[dict]) -> list[Problem]:
    """Step 1: one problem per rule × period end × group_key (NULL: per rule × entity × action code)."""
    buckets: dict[tuple, list[dict]] = {}
    for f in findings:
        g = _group_key(f)
        if g is not None:
            k: tuple = ("group", f.get("rule_id"), str(f.get("period_end")), g)
        else:  # one rule's findings on one entity with one action code are one action (its ledger key)
            k = ("own", f.get("rule_id"), f.get("entity_type"), str(f.get("entity_id")), f.get("action_code"))
        buckets.setdefault(k, []).append(f)
    return [
        Problem(
            rule_id=fs[0].get("rule_id") or "",
            group_key=_group_key(fs[0]),
            findings=sorted(fs, key=finding_rank_key),
        )
        for fs in buckets.values()
    ]


def _match_keys(f: dict, how: str) -> set:
    if how == "keyword":
        kw = keyword_of(f)
        return {kw} if kw else set()
    return {(f.get("entity_type"), str(f.get("entity_id")))}


def apply_conflicts(problems: list[Problem]) -> list[Problem]:
    """Step 2: take contradicted entities out of the other problems (drop a problem left empty)."""
    for c in config().get("conflicts") or []:
        flagged_by = set(c["flagged_by"])
        codes = set(c.get("drop_action_codes") or [])
        how = c.get("match", "entity")
        flagged: set = set()
        for p in problems:
            for f in p.members:
                if f.get("rule_id") in flagged_by:
                    flagged |= _match_keys(f, how)
        if not flagged:
            continue
        kept = []
        for p in problems:
            if p.rule_id in flagged_by:
                kept.append(p)
                continue
            out = []
            for f in p.findings:
                if f.get("action_code") in codes and _match_keys(f, how) & flagged:
                    out.append(f)
            if out:
                p.findings = [f for f in p.findings if f not in out]
                p.evidence = [
                    f
                    for f in p.evidence
                    if not (f.get("action_code") in codes and _match_keys(f, how) & flagged)
                ]
                p.excluded += [
                    {
                        "rule_id": f.get("rule_id"),
                        "finding_id": f.get("finding_id"),
                        "entity_type": f.get("entity_type"),
                        "entity_id": str(f.get("entity_id")),
                        "entity_label": f.get("entity_label") or f.get("entity_id"),
                        "conflict": c["id"],
                        "reason_zh": c["reason_zh"],
                        "reason_en": c["reason_en"],
                    }
                    for f in out
                ]
            if p.findings:
                kept.append(p)
        problems = kept
    return problems


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def merge_families(problems: list[Problem]) -> list[Problem]:
    """Step 3: problems of one family that share an entity (or keyword) become one problem."""
    for fam in config().get("families") or []:
        rules = list(fam["rules"])
        how = fam.get("match", "entity")
        members = [p for p in problems if p.rule_id in rules]
        if len({p.rule_id for p in members}) < 2:
            continue
        parent = list(range(len(members)))
        owner: dict = {}
        for i, p in enumerate(members):
            for f in p.findings:
                for k in _match_keys(f, how):
                    if k in owner:
                        parent[_find(parent, i)] = _find(parent, owner[k])
                    else:
                        owner[k] = i
        clusters: dict[int, list[Problem]] = {}
        for i, p in enumerate(members):
            clusters.setdefault(_find(parent, i), []).append(p)
        merged = []
        for ps in clusters.values():
            if len({p.rule_id for p in ps}) < 2:
                merged += ps
                continue
            ps.sort(key=lambda p: (rules.index(p.rule_id), p.rank_key()))
            lead, rest = ps[0], ps[1:]
            lead.evidence = sorted(
                [*lead.evidence, *(f for p in rest for f in p.members)], key=finding_rank_key
            )
            lead.excluded += [x for p in rest for x in p.excluded]
            lead.family = fam
            merged.append(lead)
        problems = [p for p in problems if p.rule_id not in rules] + merged
    return problems


def rank_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=Problem.rank_key)


def build_problems(findings: list[dict]) -> list[Problem]:
    """The period's problems, ranked (group → conflicts → families → rank)."""
    return rank_problems(merge_families(apply_conflicts(group(findings))))
