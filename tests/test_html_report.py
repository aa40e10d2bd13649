"""The HTML report: escaped, self-contained, and rendered by a real headless Chromium.

The browser test loads a copy of the page with a probe script appended (and the page's
Content-Security-Policy removed, so that escaping, not the policy, is what keeps file
text inert). The probe measures every highlighted change in the laid-out page and writes
what it saw into the DOM, which ``--dump-dom`` returns.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLES, run_cli

from fixenc.model import Candidate, Change, FileOutcome, Finding, Kind, Result, Status
from fixenc.report.html import KIND_COLORS, render

_spec = importlib.util.spec_from_file_location(
    "screenshot_report", ROOT / "scripts" / "screenshot_report.py"
)
assert _spec and _spec.loader
shots = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shots)

needs_chromium = pytest.mark.skipif(
    shots.chromium_binary() is None,
    reason="no chromium binary (apt-get install -y chromium); CI installs it",
)

HOSTILE = "<script>document.title='pwned'</script> CafÃ© & \"quotes\"\n"

PROBE = """<script>
const marks = [...document.querySelectorAll('.file .chg, .file mark.finding')].map(el => {
  const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  return {tag: el.tagName, cls: el.className, text: el.textContent, title: el.title,
          w: r.width, h: r.height, bg: cs.backgroundColor, border: cs.borderBottomColor,
          outline: cs.outlineColor, line: cs.textDecorationLine, visibility: cs.visibility};
});
const summary = Object.fromEntries([...document.querySelectorAll('#summary td[data-key]')]
  .map(td => [td.dataset.key, td.textContent]));
const files = [...document.querySelectorAll('section.file')].map(s => s.dataset.path);
const probe = document.createElement('pre');
probe.id = 'probe';
probe.textContent = JSON.stringify({marks, summary, files, title: document.title,
  scripts: document.scripts.length, text: document.body.innerText});
document.body.appendChild(probe);
</script>"""


def _probe(page: Path) -> dict[str, Any]:
    """Render ``page`` in Chromium and return what the probe measured."""
    source = page.read_text(encoding="utf-8")
    source = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", source)
    probed = page.with_name("probed.html")
    probed.write_text(source.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = shots.dump_dom(probed)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert match, dom[-2000:]
    return json.loads(html.unescape(match.group(1)))  # type: ignore[no-any-return]


def _rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@needs_chromium
def test_report_of_a_real_run_renders_every_change(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "menu.txt").write_text("Menu\nCafÃ© au lait\nCrÃ¨me brÃ»lÃ©e\n", encoding="utf-8")
    (tree / "legacy.txt").write_bytes(
        "这是一段简体中文的测试文字，用来检查编码侦测。\n".encode("gbk")
    )
    (tree / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    (tree / "clean.txt").write_text("Café au lait\n", encoding="utf-8")
    page = tmp_path / "report.html"
    proc = run_cli("check", str(tree), "--report", str(page))
    assert proc.returncode == 1, proc.stderr.decode()

    seen = _probe(page)
    assert seen["summary"] == {
        "files scanned": "4",
        "changed": "3",
        "unchanged": "1",
        "with findings": "0",
        "need attention": "0",
        "skipped": "0",
        "errors": "0",
    }
    assert sorted(Path(p).name for p in seen["files"]) == ["hostile.html", "legacy.txt", "menu.txt"]
    assert seen["title"] == "fixenc report" and seen["scripts"] == 1  # only the probe ran
    assert "<script>document.title='pwned'</script>" in seen["text"]  # shown as text
    assert "transcoded: file was gb18030" in seen["text"]

    removed = [m for m in seen["marks"] if m["tag"] == "DEL"]
    added = [m for m in seen["marks"] if m["tag"] == "INS"]
    assert [m["text"] for m in removed] == ["Ã©", "Ã©", "Ã¨", "Ã»lÃ©"]
    assert [m["text"] for m in added] == ["é", "é", "è", "ûlé"]
    for mark in removed + added:
        assert mark["w"] > 0 and mark["h"] > 0 and mark["visibility"] == "visible", mark
        assert "k-mojibake" in mark["cls"]
        assert mark["border"] == _rgb(KIND_COLORS[Kind.MOJIBAKE]), mark
        assert mark["title"].startswith("mojibake: ") and "(0." in mark["title"], mark
    assert all(m["line"] == "line-through" for m in removed)
    assert {m["bg"] for m in removed}.isdisjoint({m["bg"] for m in added})


@needs_chromium
def test_unrecoverable_findings_are_marked(tmp_path: Path) -> None:
    text = "好锟斤拷的\nsecond line\n"
    finding = Finding(
        Kind.UNRECOVERABLE,
        1,
        4,
        "U+FFFD read as GBK: the bytes are lost",
        0.99,
        text="锟斤拷",
        candidates=(Candidate("？", 0.1),),
        line=1,
        column=2,
    )
    outcome = FileOutcome("a.txt", Status.FLAGGED, Result(text, text, findings=(finding,)))
    page = tmp_path / "report.html"
    page.write_text(render([outcome], {"files": 1, "flagged": 1}), encoding="utf-8")

    (mark,) = _probe(page)["marks"]
    assert (mark["tag"], mark["text"]) == ("MARK", "锟斤拷")
    assert "unrecoverable" in mark["cls"] and mark["w"] > 0
    assert mark["outline"] == _rgb(KIND_COLORS[Kind.UNRECOVERABLE])
    assert mark["title"].startswith("unrecoverable: U+FFFD read as GBK")


ESCAPING = [
    pytest.param("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;", id="tags"),
    pytest.param('" onmouseover="x', "&quot; onmouseover=&quot;x", id="attribute-quote"),
    pytest.param("a & b", "a &amp; b", id="ampersand"),
]


@pytest.mark.parametrize(("before", "escaped"), ESCAPING)
def test_every_piece_of_file_text_is_escaped(before: str, escaped: str) -> None:
    change = Change(
        Kind.MOJIBAKE,
        0,
        len(before),
        before,
        0.9,
        before=before,
        after=before + "!",
        line=1,
        column=1,
    )
    outcome = FileOutcome(before, Status.CHANGED, Result(before + "!", before, (change,)))
    page = render([outcome], {"files": 1})
    assert before not in page
    assert page.count(escaped) >= 4  # path heading, data-path, before, title


def test_page_is_self_contained() -> None:
    change = Change(Kind.MOJIBAKE, 0, 2, "r", 0.9, before="Ã©", after="é", line=1, column=1)
    page = render([FileOutcome("a", Status.CHANGED, Result("é", "Ã©", (change,)))], {})
    assert not re.search(r"<(script|link|img|iframe)\b|url\(|https?://", page)


@needs_chromium
def test_screenshot_script_writes_a_png(tmp_path: Path) -> None:
    png = tmp_path / "shot.png"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "screenshot_report.py"),
            "-o",
            str(png),
            "--size",
            "800,600",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def _rows(original: str, change: Change) -> list[tuple[str, str]]:
    """``(line number, row text without tags)`` for a one-change page."""
    outcome = FileOutcome("f", Status.CHANGED, Result("", original, (change,)))
    page = render([outcome], {})
    rows = re.findall(r'<tr><td class="ln">(\d+)</td><td>(.*?)</td></tr>', page)
    return [(n, html.unescape(re.sub(r"<[^>]+>", "|", body))) for n, body in rows]


LINE_CASES = [
    pytest.param(
        "x\nCafÃ©\ny\n",
        Change(Kind.MOJIBAKE, 5, 7, "r", 0.9, before="Ã©", after="é"),
        [("1", "x"), ("2", "Caf|Ã©||é|"), ("3", "y")],
        id="one-line-with-context",
    ),
    pytest.param(
        "x\nA\nB\ny\n",
        Change(Kind.ANNOTATION, 2, 5, "r", 0.9, before="A\nB", after="AB"),
        [("1", "x"), ("2", "|A↵B||AB|"), ("3", ""), ("4", "y")],
        id="multi-line-change-drawn-once",
    ),
    pytest.param(
        "a\x0cb\r\nCafÃ©\r\n",
        Change(Kind.MOJIBAKE, 8, 10, "r", 0.9, before="Ã©", after="é"),
        [("1", "a\x0cb"), ("2", "Caf|Ã©||é|")],
        id="form-feed-is-not-a-line-break-crlf-is",
    ),
    pytest.param(
        "".join(f"line {i}\n" for i in range(1, 21)) + "CafÃ©",
        Change(Kind.MOJIBAKE, 154, 156, "r", 0.9, before="Ã©", after="é"),
        [("19", "line 19"), ("20", "line 20"), ("21", "Caf|Ã©||é|")],
        id="far-lines-left-out-and-no-final-break",
    ),
]


@pytest.mark.parametrize(("original", "change", "rows"), LINE_CASES)
def test_changed_lines_and_their_numbers(
    original: str, change: Change, rows: list[tuple[str, str]]
) -> None:
    assert original[change.start : change.end] == change.before
    assert _rows(original, change) == rows


def test_a_huge_run_lists_the_files_beyond_the_cap_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import fixenc.report.html as page_module

    monkeypatch.setattr(page_module, "MAX_FILE_SECTIONS", 2)
    change = Change(Kind.MOJIBAKE, 0, 2, "r", 0.9, before="Ã©", after="é", line=1, column=1)
    outcomes = [
        FileOutcome(f"f{i}.txt", Status.CHANGED, Result("é", "Ã©", (change,))) for i in range(5)
    ]
    page = render(outcomes, {})
    assert page.count('<section class="file"') == 2
    assert "3 more files (changes not shown)" in page
    assert "<li><code>f4.txt</code>: 1 mojibake</li>" in page


PAGE_PROBE = """<script>
const count = id => { const h = document.getElementById(id); return h ? +h.dataset.count : 0; };
const summary = Object.fromEntries([...document.querySelectorAll('#summary td[data-key]')]
  .map(td => [td.dataset.key, +td.textContent]));
const section = name => [...document.querySelectorAll('section.file')]
  .find(s => s.dataset.path.endsWith(name));
// checkVisibility: content of a closed <details> keeps its layout box in Chromium.
const shown = el => { const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && el.checkVisibility(); };
const box = document.querySelector('.legend mark.finding.k-variant');
const article = section('000_825338dbf911db84.txt');
const group = article.querySelector('.group[data-kind=annotation]');
const probe = document.createElement('pre');
probe.id = 'probe';
probe.textContent = JSON.stringify({
  summary,
  headings: {changed: count('changed'), flagged: count('flagged'), findings: count('findings')},
  legend: box && {shown: shown(box), outline: getComputedStyle(box).outlineColor,
                  style: getComputedStyle(box).outlineStyle, text: box.closest('span').innerText},
  transcoded: section('gbk-legacy.txt').innerText,
  controls: [...document.querySelectorAll('section.file span.ctl')].filter(shown)
    .map(el => el.textContent),
  rawC1: /[\\u0080-\\u009f]/.test(document.body.innerText),
  group: group && {count: +group.dataset.count, rows: group.querySelectorAll('table.group tr').length},
  visibleStrikes: [...article.querySelectorAll('del.chg')].filter(shown).length,
  allStrikes: article.querySelectorAll('del.chg').length,
});
document.body.appendChild(probe);
</script>"""


@needs_chromium
def test_report_groups_counts_previews_and_shows_controls(tmp_path: Path) -> None:
    """The samples' report as a browser lays it out: headings agree with the table, a
    transcoded file shows its text, the legend explains the finding box, a C1 control is
    a visible ``U+009D`` badge, and 176 annotation removals are grouped, not a wall."""
    tree = tmp_path / "samples"
    shutil.copytree(SAMPLES, tree)
    # cp1252 mojibake of a closing quote leaves U+009D (cp1252 has no character there).
    (tree / "quotes.txt").write_text("He said â€œhelloâ€\x9d.\n", encoding="utf-8")
    page = tmp_path / "report.html"
    proc = run_cli("check", str(tree), "--report", str(page), "-q")
    assert proc.returncode == 1, proc.stderr.decode()
    source = re.sub(
        r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8")
    )
    probed = page.with_name("probed.html")
    probed.write_text(source.replace("</body>", PAGE_PROBE + "</body>"), encoding="utf-8")
    match = re.search(r'<pre id="probe">(.*?)</pre>', shots.dump_dom(probed), re.S)
    assert match
    seen = json.loads(html.unescape(match.group(1)))

    summary, headings = seen["summary"], seen["headings"]
    assert headings == {
        "changed": summary["changed"],
        "flagged": summary["need attention"],
        "findings": summary["with findings"],
    }
    assert headings["changed"] >= 6 and headings["flagged"] >= 1 and headings["findings"] >= 1
    legend = seen["legend"]
    assert legend["shown"] and legend["style"] == "dashed" and "finding" in legend["text"]
    assert legend["outline"] == _rgb(KIND_COLORS[Kind.VARIANT])
    assert "这是一份用 GBK 保存的简体中文文件" in seen["transcoded"]
    assert "U+009D" in seen["controls"] and not seen["rawC1"]
    assert seen["group"]["count"] == 176
    assert seen["group"]["rows"] <= 31  # distinct edits, not 176 rows
    assert seen["allStrikes"] > 176  # every removal is still on the page, behind a toggle
    assert seen["visibleStrikes"] <= seen["group"]["rows"] + 2  # + the 2 mojibake repairs
