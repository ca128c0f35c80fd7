"""The report as a seller sees it: headless Chromium at a phone's 390 px and a desktop's 1,400 px.

For the tiny test warehouse (fast) and for the session warehouse (the demo-like accounts and the real
exports, account ``real``): no page-level sideways scroll, the action plan on the first screen, no raw code
in the visible text, Chinese glyphs really drawn (not fallback boxes), no request leaving the file.
Screenshots are kept under reports/_test_artifacts/ (git-ignored) and their paths printed.

The page runs no script (its CSP forbids it); measuring goes through the DevTools protocol (tests/python/cdp.py).
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from cdp import Chromium
from test_report import CHROMIUM, CHROMIUM_FLAGS, NOW, external, make_warehouse, page_requests

from gscor.report import build_report

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "reports" / "_test_artifacts"
WIDTHS = {390: 844, 1400: 900}  # viewport width -> height (an iPhone 12-14; a laptop)
# A code: lower-case words joined by underscores (promoted_share_of_top_traffic, below_average, fob_min_usd).
CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ACTION_ID = re.compile(r"^act_[0-9a-f]{10}$")  # the ledger's ids are shown on purpose (the team quotes them)


class _Visible(HTMLParser):
    """The text a reader sees: no tags, attributes, <style>, <script>, <title> (also SVG tooltips)."""

    HIDDEN = frozenset({"style", "script", "title", "head"})

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    p = _Visible()
    p.feed(html)
    return " ".join(p.parts)


def raw_codes(text: str, data_values: set[str] = frozenset()) -> list[str]:
    """Snake-case identifiers in the visible text, except action ids and data values (a keyword may hold _)."""
    return sorted(
        {c for c in CODE.findall(text) if not ACTION_ID.match(c) and not any(c in d for d in data_values)}
    )


def test_raw_code_rule():
    assert raw_codes("点击率 CTR 1.2% · natural_search, gap_to_average_rel") == [
        "gap_to_average_rel",
        "natural_search",
    ]
    assert raw_codes("编号 act_0123456789 · Super September 2026 · wh-01") == []
    assert raw_codes("keyword led_panel_60", {"led_panel_60 light"}) == []


# ------------------------------------------------------------------------------------------ Chromium

MEASURE = """(() => {
  const d = document.documentElement, plan = document.getElementById('actions');
  return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, height: d.scrollHeight,
          planTop: plan ? plan.getBoundingClientRect().top + window.scrollY : null};
})()"""
OPEN_ALL = "document.querySelectorAll('details').forEach(d => d.open = true); document.body.innerText"
# Each character drawn alone on a canvas in the page's font: real glyphs differ from one another and from the
# drawing of a code point no font has (U+10FFFD, a private-use character: a fallback box).
GLYPHS = """((chars) => {
  const font = getComputedStyle(document.querySelector('h1')).fontFamily;
  const draw = (ch) => { const c = document.createElement('canvas'); c.width = c.height = 40;
    const x = c.getContext('2d'); x.font = '32px ' + font; x.fillText(ch, 2, 32);
    return Array.from(x.getImageData(0, 0, 40, 40).data).join(','); };
  const missing = draw('\\u{10FFFD}'), seen = chars.map(draw);
  return {font, distinct: new Set(seen).size, sameAsMissing: seen.filter(s => s === missing).length,
          empty: seen.filter(s => !/[1-9]/.test(s)).length};
})(%s)"""
# Every chart shown (display not none, not in a closed <details>): its width, its texts' boxes on screen (a text
# under ~10 px high is unreadable), and the pairs of its texts that overlap (more than 1 px each way).
CHART_TEXT = """(() => {
  const vw = document.documentElement.clientWidth, out = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const r = svg.getBoundingClientRect();
    if (getComputedStyle(svg).display === 'none' || !r.width) continue;
    const texts = Array.from(svg.querySelectorAll('text'))
      .filter(t => getComputedStyle(t).display !== 'none')
      .map(t => { const b = t.getBoundingClientRect();
                  return {text: t.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom,
                          height: b.height}; })
      .filter(b => b.height > 0);
    const overlaps = [];
    texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
          Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1) overlaps.push([a.text, b.text]);
    }));
    out.push({chart: svg.dataset.chart, variant: svg.dataset.variant || '', width: r.width, right: r.right, vw,
              small: texts.filter(t => t.height < 10).map(t => [t.text, t.height]),
              outside: texts.filter(t => t.left < r.left - 1 || t.right > r.right + 1).map(t => t.text),
              minHeight: Math.min(...texts.map(t => t.height)), overlaps});
  }
  return out;
})()"""
CJK_SAMPLE = ["阿", "里", "巴", "周", "报", "行", "动", "计", "划"]


def check_page(html: Path, name: str, tmp: Path, data_values: set[str] = frozenset()) -> dict:
    """Open the report at both widths; assert the page rules; return the measures (and save screenshots)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    net_log = tmp / f"{name}-net.json"
    measures = {}
    with Chromium(CHROMIUM, CHROMIUM_FLAGS, tmp / f"{name}-profile", (f"--log-net-log={net_log}",)) as c:
        for width, height in WIDTHS.items():
            page = c.page(html.as_uri(), width, height, mobile=width < 800)
            m = page.eval(MEASURE)
            measures[width] = m
            for shot in (
                page.screenshot(tmp / f"{name}-{width}.png"),
                page.screenshot(tmp / f"{name}-{width}-full.png", full_page=True),
            ):
                shutil.copy(shot, ARTIFACTS / shot.name)
                print(f"screenshot: {ARTIFACTS / shot.name}")
            assert m["scrollWidth"] <= m["clientWidth"], f"{name} @ {width}px scrolls sideways: {m}"
            assert m["planTop"] is not None and m["planTop"] < height, (
                f"{name} @ {width}px: plan not on screen 1"
            )
            text = page.eval(OPEN_ALL)  # every <details> opened: collapsed evidence is checked too
            assert not raw_codes(text, data_values), (
                f"{name} @ {width}px shows codes {raw_codes(text, data_values)}"
            )
            charts = page.eval(CHART_TEXT)
            assert "funnel" in {c["chart"] for c in charts}, charts  # the check saw the charts
            for ch in charts:
                where = f"{name} @ {width}px, chart {ch['chart']} ({ch['variant']})"
                assert ch["right"] <= ch["vw"] + 0.5, f"{where} is wider than the screen: {ch}"
                assert not ch["small"], f"{where}: text under 10 px on screen {ch['small']}"
                assert not ch["overlaps"], f"{where}: texts overlap {ch['overlaps']}"
                assert not ch["outside"], f"{where}: texts cut at the edge {ch['outside']}"
            g = page.eval(GLYPHS % CJK_SAMPLE)
            assert g["distinct"] == len(CJK_SAMPLE) and g["sameAsMissing"] == 0 and g["empty"] == 0, (
                f"Chinese does not render in {g['font']}: {g} (install fonts-noto-cjk: make fonts)"
            )
    page_urls, _ = page_requests(net_log)
    assert external(page_urls) == [], page_urls
    print(f"{name}: " + ", ".join(f"{w}px: {m['height']} px tall" for w, m in measures.items()))
    return measures


def test_tiny_report_on_phone_and_desktop(tmp_path):
    home = make_warehouse(tmp_path / "home")
    r = build_report(home, "acme", out_dir=tmp_path / "out", record_actions=False, now=NOW)
    assert not raw_codes(visible_text(r.html.read_text(encoding="utf-8")), {"<img src="})
    check_page(r.html, "tiny", tmp_path)


def _data_values(r) -> set[str]:
    """The exported values a report shows as they are (keywords, product names, ids, campaign names)."""
    import json

    doc = json.loads(r.findings_json.read_text(encoding="utf-8"))
    return {str(f.get(k)) for f in doc["findings"] for k in ("entity_id", "entity_label") if f.get(k)}


@pytest.mark.slow
@pytest.mark.parametrize("account", ["wh-01", "real"])
@pytest.mark.parametrize("lang", ["both", "en"])
def test_built_report_on_phone_and_desktop(built_warehouse, tmp_path, account, lang):
    """The demo-like account and the real store, as a phone and a desktop show them."""
    r = build_report(
        built_warehouse["home"], account, out_dir=tmp_path, lang=lang, record_actions=False, now=NOW
    )
    html = r.html.read_text(encoding="utf-8")
    values = _data_values(r)
    assert not raw_codes(visible_text(html), values), raw_codes(visible_text(html), values)
    if lang == "en":  # English throughout except data values: the owner role too (was "业务员 / Sales")
        assert not re.search(r"[\u4e00-\u9fff]+ / [A-Z]", visible_text(html))
    m = check_page(r.html, f"{account}-{lang}", tmp_path, values)
    assert m[1400]["height"] < 12_000, m
