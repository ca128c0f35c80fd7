"""Bilingual labels of the report. ``lang`` is ``zh``, ``en`` or ``both`` (中文 first, then English)."""

from __future__ import annotations

from pathlib import Path

import yaml
from markupsafe import Markup, escape

LANGS = ("zh", "en", "both")

VOCABULARY_PATH = Path(__file__).resolve().parent / "vocabulary.yml"


def _load() -> dict[str, dict[str, tuple[str, str]]]:
    raw = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    return {part: {str(k): (str(v[0]), str(v[1])) for k, v in raw[part].items()} for part in PARTS}


PARTS = ("labels", "terms", "values")
_VOCABULARY = _load()
TERMS: dict[str, tuple[str, str]] = _VOCABULARY["terms"]  # metric codes, column names
VALUES: dict[str, tuple[str, str]] = _VOCABULARY["values"]  # coded cell values
# label key -> (中文, English): the page's texts, and the terms (a chart axis says "impressions" too)
LABELS: dict[str, tuple[str, str]] = {**TERMS, **_VOCABULARY["labels"]}


def term(code: str | None) -> tuple[str | None, str | None]:
    """The words of a metric code or column name; an unknown code stays as it is (a test catches it)."""
    return TERMS.get(code or "", (code, code))


def value_label(v: object) -> tuple[str, str] | None:
    """The words of a coded cell value (natural_search, below_average …), None when it is data."""
    return VALUES.get(v) if isinstance(v, str) else None


STAGES = ("G", "S", "C", "O", "R")
SEVERITIES = ("high", "medium", "low")


class Lang:
    """Picks / joins the Chinese and English text of a label for one output language."""

    def __init__(self, mode: str = "both"):
        if mode not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {mode!r}")
        self.mode = mode

    def _pick(self, zh: str | None, en: str | None) -> list[tuple[str, str]]:
        zh = zh or en or ""
        en = en or zh or ""
        if self.mode == "zh":
            return [("zh", zh)]
        if self.mode == "en":
            return [("en", en)]
        return [("zh", zh)] if zh == en else [("zh", zh), ("en", en)]

    def text(self, key: str, **fmt) -> str:
        """Plain text (Markdown, CSV): ``中文 / English`` when both."""
        zh, en = LABELS[key]
        return self.pair_text(zh.format(**fmt), en.format(**fmt))

    def pair_text(self, zh: str | None, en: str | None) -> str:
        return " / ".join(t for _, t in self._pick(zh, en))

    def pair_list(self, pair: tuple[str | None, str | None]) -> list[str]:
        """The texts of a (zh, en) pair to show, one per language (Chinese first)."""
        return [t for _, t in self._pick(pair[0], pair[1])]

    def html(self, key: str, **fmt) -> Markup:
        """HTML: each language in its own ``<span lang=…>`` (escaped)."""
        zh, en = LABELS[key]
        return self.pair_html(zh.format(**fmt), en.format(**fmt))

    def pair_html(self, zh: str | None, en: str | None) -> Markup:
        parts = self._pick(zh, en)
        return Markup(" ").join(
            Markup('<span lang="{}" class="l-{}">{}</span>').format(
                "zh-CN" if code == "zh" else "en", code, escape(t)
            )
            for code, t in parts
        )

    def one(self, key: str, **fmt) -> str:
        """One language only (chart labels where space is short): Chinese unless lang is en."""
        zh, en = LABELS[key]
        return (en if self.mode == "en" else zh).format(**fmt)

    def svg_lines(self, key: str, **fmt) -> list[str]:
        """Chart captions: one line per language."""
        zh, en = LABELS[key]
        return [t for _, t in self._pick(zh.format(**fmt), en.format(**fmt))]
