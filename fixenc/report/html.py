"""One self-contained HTML page showing every change and finding of a run.

Stage: report (visual). The page has inline CSS and no script and fetches nothing, so it
can be mailed, archived or opened offline. Each changed or flagged file gets a section
with its changed lines: the removed text struck through and the added text next to it
(an inline diff), coloured by kind, the reason and confidence on hover (``title``);
unrecoverable damage is marked. The run's summary is at the top. Every piece of file
text is escaped: a file may contain ``<script>``.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fixenc.files import write_new
from fixenc.model import Change, FileOutcome, Finding, Kind, Status
from fixenc.report.text import edit_runs, finding_words

# The page is for reading by anyone who can read the tree (rw-r--r--).
REPORT_MODE = 0o644

# Unchanged lines shown around each changed line, as ``diff -U2`` would.
CONTEXT_LINES = 2
# A file with more changes than this shows the first ones and says how many were left out,
# so one corrupt corpus file cannot make the page too heavy for a browser.
MAX_MARKS_PER_FILE = 500

# Files shown with their changed lines; the rest are listed by name with their counts,
# so that a run over a whole corpus still gives a page a browser opens in a second
# (about 2 KB a section: 1,000 sections is a 2 MB page).
MAX_FILE_SECTIONS = 1000

# A kind with more changes than this in one file is grouped: a table of its distinct
# edits with their counts, and its marks in the lines behind a <details> toggle, so that
# a file with 176 annotation removals is not a wall of strike-throughs. Ten is about
# what one screen of the lines view shows before repetition stops telling anything new.
GROUP_AFTER = 10
# Distinct edits listed in a group's table; the rest are counted in one row.
MAX_GROUP_ROWS = 30
# Lines of a file shown when it was only transcoded (no mark to show lines around), so
# the card shows what the text says once decoded.
PREVIEW_LINES = 6

# One colour per kind, readable on white, distinct for the common colour-blind types
# (Okabe–Ito palette).
KIND_COLORS = {
    Kind.DECODE: "#0072b2",
    Kind.MOJIBAKE: "#cc79a7",
    Kind.VARIANT: "#009e73",
    Kind.ANNOTATION: "#e69f00",
    Kind.UNRECOVERABLE: "#d55e00",
    Kind.HYGIENE: "#999999",
    Kind.PUNCTUATION: "#56b4e9",
}

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:75em;padding:0 1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.05em;margin:1.6em 0 .4em;word-break:break-all}
table.summary{border-collapse:collapse;margin:.5em 0 1em}
table.summary td,table.summary th{border:1px solid #ddd;padding:.2em .6em;text-align:left}
table.summary td.n{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin-right:1em}
.swatch{display:inline-block;width:.9em;height:.9em;border-radius:2px;vertical-align:-.1em;margin-right:.3em}
.file{border:1px solid #ddd;border-radius:6px;padding:.2em 1em 1em;margin:1em 0}
.status{font-size:.85em;color:#555}
.banner{background:#eef5fb;border-left:4px solid #0072b2;padding:.3em .6em;margin:.5em 0}
table.lines{border-collapse:collapse;width:100%;font:13px/1.5 ui-monospace,monospace}
table.lines td{vertical-align:top;padding:0 .5em;white-space:pre-wrap;word-break:break-all}
table.lines td.ln{color:#999;text-align:right;width:4em;user-select:none}
table.lines tr.gap td{color:#999;background:#fafafa}
del.chg{text-decoration:line-through;background:#fde2e2;color:#7a1c1c}
ins.chg{text-decoration:none;background:#dcf5dc;color:#134d13;font-weight:600}
.chg{border-bottom:2px solid var(--kind);border-radius:2px;padding:0 1px}
mark.finding{background:#fff1d6;outline:2px dashed var(--kind);outline-offset:-1px}
mark.finding.unrecoverable{background:#ffd9c7}
ul.problems li{margin:.15em 0}
.legend mark.finding{padding:0 .3em}
span.ctl{font:11px ui-monospace,monospace;border:1px solid #aaa;border-radius:3px;padding:0 2px;color:#555;background:#f4f4f4}
.group{margin:.6em 0}
table.group td{padding:0 .6em;font:13px/1.5 ui-monospace,monospace;vertical-align:top}
table.group td.n{text-align:right;color:#555}table.group td.where{color:#777}
details>summary{cursor:pointer;color:#0b5394;margin:.3em 0}
p.preview{font-size:.85em;color:#555;margin:.3em 0 .1em}
"""


@dataclass(frozen=True, slots=True)
class _Mark:
    """A change or a finding at ``[start, end)`` of the original text."""

    start: int
    end: int
    item: Change | Finding


def render(
    outcomes: Sequence[FileOutcome], summary: dict[str, object], *, mode: str = "fix"
) -> str:
    """The whole page as a string.

    >>> from fixenc.model import Result
    >>> c = Change(Kind.MOJIBAKE, 3, 5, "UTF-8 read as cp1252", 0.95, before="Ã©", after="é", line=1, column=4)
    >>> page = render([FileOutcome("a<b>.txt", Status.CHANGED, Result("Café", "CafÃ©", (c,)))],
    ...               {"files": 1})
    >>> '<del class="chg k-mojibake" title="mojibake: UTF-8 read as cp1252 (0.95)">Ã©</del>' in page
    True
    >>> "a&lt;b&gt;.txt" in page and "<script" not in page
    True
    """
    shown = changed_outcomes(outcomes)
    problems = [o for o in outcomes if o.status is Status.ERROR]
    verb = "Fixed" if mode == "fix" and any(o.written for o in outcomes) else "Would fix"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        # No network: the policy forbids every fetch even if the page were tampered with.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        "<title>fixenc report</title>",
        f"<style>{_CSS}{_kind_css()}</style></head><body>",
        "<h1>fixenc report</h1>",
        _summary_table(summary),
        _legend(),
    ]
    if problems:
        parts.append('<h2 id="errors">Errors</h2><ul class="problems">')
        parts.extend(f"<li><code>{_e(o.path)}</code>: {_e(o.message)}</li>" for o in problems)
        parts.append("</ul>")
    # One heading per row of the summary table, with the same count: changed files, files
    # that need a person, files with findings only.
    budget = MAX_FILE_SECTIONS
    left_out: list[FileOutcome] = []
    for group_id, title, members in (
        ("changed", verb, [o for o in shown if o.status is Status.CHANGED]),
        ("flagged", "Need attention", [o for o in shown if o.status is Status.FLAGGED]),
        (
            "findings",
            "Findings, nothing changed",
            [o for o in shown if o.status is Status.UNCHANGED],
        ),
    ):
        if not members:
            continue
        parts.append(
            f'<h2 id="{group_id}" data-count="{len(members)}">{title}: '
            f"{len(members)} file{'s' if len(members) != 1 else ''}</h2>"
        )
        parts.extend(_file_section(o) for o in members[:budget])
        left_out.extend(members[budget:])
        budget = max(0, budget - len(members))
    if left_out:
        parts.append(f'<h2 id="more">{len(left_out)} more files (changes not shown)</h2><ul>')
        parts.extend(
            f"<li><code>{_e(o.path)}</code>: {_e(_counts(o))}</li>" for o in left_out if o.result
        )
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(
    path: Path, outcomes: Sequence[FileOutcome], summary: dict[str, object], *, mode: str = "fix"
) -> None:
    """Write the page atomically (a half-written report would look like a short run)."""
    write_new(path, render(outcomes, summary, mode=mode).encode("utf-8"), REPORT_MODE)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _kind_css() -> str:
    return "".join(f".k-{kind.value}{{--kind:{color}}}" for kind, color in KIND_COLORS.items())


def _summary_table(summary: dict[str, object]) -> str:
    rows = [
        ("files scanned", summary.get("scanned", summary.get("files", 0))),
        ("changed", summary.get("changed", 0)),
        ("unchanged", summary.get("unchanged", 0)),
        ("with findings", summary.get("with_findings", 0)),
        ("need attention", summary.get("flagged", 0)),
        ("skipped", summary.get("skipped", 0)),
        ("errors", summary.get("errors", 0)),
    ]
    details = {
        "changed": summary.get("changes_by_kind"),
        "skipped": summary.get("skipped_reasons"),
    }
    out = ['<table class="summary" id="summary"><tbody>']
    for label, n in rows:
        extra = details.get(label)
        listing = _listing(extra)
        out.append(
            f'<tr><th>{label}</th><td class="n" data-key="{_e(label)}">{n}</td>'
            f"<td>{listing}</td></tr>"
        )
    for label, key in (("findings (not changed)", "findings_by_kind"), ("encodings", "encodings")):
        listing = _listing(summary.get(key))
        if listing:
            out.append(f'<tr><th>{label}</th><td class="n"></td><td>{listing}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _listing(counts: object) -> str:
    """``a 3, b 1`` from a mapping of counts, escaped; empty for anything else."""
    if not isinstance(counts, dict):
        return ""
    return ", ".join(f"{_e(str(k))} {v}" for k, v in counts.items())


def _legend() -> str:
    """What each colour and box means: the kinds, an edit, and the two finding boxes."""
    spans = "".join(
        f'<span class="k-{k.value}"><i class="swatch" style="background:{c}"></i>{k.value}</span>'
        for k, c in KIND_COLORS.items()
    )
    samples = (
        '<span><del class="chg k-mojibake">removed</del><ins class="chg k-mojibake">added</ins>'
        " a change</span>"
        '<span><mark class="finding k-variant">dashed box</mark> a finding: reported, not changed'
        " (its colour is its kind)</span>"
        '<span><mark class="finding k-unrecoverable unrecoverable">lost</mark> damage nobody can'
        " undo</span>"
        '<span><span class="ctl">U+009D</span> an invisible control character</span>'
    )
    return f'<p class="legend">{spans}</p><p class="legend">{samples}</p>'


def _file_section(outcome: FileOutcome) -> str:
    result = outcome.result
    assert result is not None
    counts = _counts(outcome)
    status = {
        Status.CHANGED: "fixed" if outcome.written else "changed",
        Status.FLAGGED: "needs attention",
        Status.UNCHANGED: "nothing changed",
    }.get(outcome.status, outcome.status.value)
    if result.findings:
        counts = ", ".join(filter(None, (counts, finding_words(result))))
    parts = [
        f'<section class="file" data-path="{_e(outcome.path)}">',
        f"<h2>{_e(outcome.path)}</h2>",
        f'<p class="status">{status}{": " + _e(counts) if counts else ""}</p>',
    ]
    for change in result.changes:
        if change.kind is Kind.DECODE:
            parts.append(
                f'<p class="banner k-decode" title="{_e(change.reason)}">'
                f"transcoded: {_e(change.reason)}</p>"
            )
    edits = [c for c in result.changes if c.kind is not Kind.DECODE]
    per_kind = Counter(c.kind for c in edits)
    grouped = [kind for kind in Kind if per_kind[kind] > GROUP_AFTER]
    marks = [_Mark(c.start, c.end, c) for c in edits if c.kind not in grouped] + [
        _Mark(f.start, f.end, f) for f in result.findings
    ]
    marks = _non_overlapping(sorted(marks, key=lambda m: (m.start, m.end)))
    left_out = max(0, len(marks) - MAX_MARKS_PER_FILE)
    marks = marks[:MAX_MARKS_PER_FILE]
    if marks:
        parts.append(_lines_table(result.original, marks))
    if left_out:
        parts.append(f'<p class="status">{left_out} more marks not shown</p>')
    for kind in grouped:
        parts.append(_group(result.original, [c for c in edits if c.kind is kind]))
    if not edits and not result.findings and result.original:
        parts.append(_preview(result.text))
    parts.append("</section>")
    return "\n".join(parts)


def _group(original: str, changes: Sequence[Change]) -> str:
    """Many changes of one kind: each distinct edit once with its count and lines, and
    every change in its line behind a toggle."""
    kind = changes[0].kind.value
    edits: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        edits.setdefault((change.before, change.after), []).append(change)
    ordered = sorted(edits.items(), key=lambda item: (-len(item[1]), item[1][0].start))
    rows = []
    for (before, after), members in ordered[:MAX_GROUP_ROWS]:
        title = _e(f"{kind}: {members[0].reason} ({members[0].confidence:.2f})")
        numbers = sorted({c.line for c in members})
        lines = ", ".join(map(str, numbers[:8])) + (", …" if len(numbers) > 8 else "")
        where = "lines" if len(numbers) > 1 else "line"
        rows.append(
            f'<tr><td class="n">{len(members)}×</td><td>'
            + (f'<del class="chg k-{kind}" title="{title}">{_text(before)}</del>' if before else "")
            + (f'<ins class="chg k-{kind}" title="{title}">{_text(after)}</ins>' if after else "")
            + f'</td><td class="where">{where} {lines}</td></tr>'
        )
    if len(ordered) > MAX_GROUP_ROWS:
        rest = sum(len(m) for _, m in ordered[MAX_GROUP_ROWS:])
        rows.append(
            f'<tr><td class="n">{rest}×</td><td>{len(ordered) - MAX_GROUP_ROWS} other edits'
            "</td><td></td></tr>"
        )
    marks = _non_overlapping([_Mark(c.start, c.end, c) for c in changes])[:MAX_MARKS_PER_FILE]
    return (
        f'<div class="group k-{kind}" data-kind="{kind}" data-count="{len(changes)}">'
        f"<p><b>{len(changes)} {kind} changes</b>, {len(edits)} distinct:</p>"
        f'<table class="group"><tbody>{"".join(rows)}</tbody></table>'
        f"<details><summary>show all {len(changes)} in their lines</summary>"
        f"{_lines_table(original, marks)}</details></div>"
    )


def _preview(text: str) -> str:
    """The first lines of a file that was only transcoded: what it says once decoded."""
    lines = text.splitlines()
    shown = lines[:PREVIEW_LINES]
    rows = "".join(
        f'<tr><td class="ln">{n}</td><td>{_text(line)}</td></tr>' for n, line in enumerate(shown, 1)
    )
    more = (
        f'<tr class="gap"><td class="ln">⋮</td><td>{len(lines) - len(shown)} more lines</td></tr>'
        if len(lines) > len(shown)
        else ""
    )
    return (
        '<p class="preview">the text, unchanged by the transcoding:</p>'
        f'<table class="lines preview"><tbody>{rows}{more}</tbody></table>'
    )


def _counts(outcome: FileOutcome) -> str:
    result = outcome.result
    return ", ".join(f"{n} {kind}" for kind, n in result.counts().items()) if result else ""


def _non_overlapping(marks: list[_Mark]) -> list[_Mark]:
    """Drop a mark that overlaps an earlier one (a finding inside a change's span)."""
    kept: list[_Mark] = []
    end = -1
    for mark in marks:
        if mark.start >= end or mark.start == mark.end:
            kept.append(mark)
            end = max(end, mark.end)
    return kept


def _lines_table(original: str, marks: Sequence[_Mark]) -> str:
    """Changed lines with context; each line a row, numbered as the pipeline numbers them.

    A mark spanning several lines is drawn whole on its first line; the lines it covers
    show only what follows it.

    >>> m = _Mark(7, 9, Change(Kind.MOJIBAKE, 7, 9, "r", 0.9, before="Ã©", after="é"))
    >>> rows = _lines_table("a\\nb\\nCafÃ©\\nc\\nd\\ne\\nf\\n", [m])
    >>> [int(n) for n in re.findall(r'class="ln">(\\d+)<', rows)]
    [1, 2, 3, 4, 5]
    """
    starts = [0] + [m.end() for m in _LINE_BREAK.finditer(original)]
    if len(starts) > 1 and starts[-1] == len(original):
        starts.pop()  # the text ends with a line break: no empty last line
    ends = [*starts[1:], len(original)]
    wanted: set[int] = set()
    for mark in marks:
        first = _line_of(starts, mark.start)
        last = _line_of(starts, max(mark.start, mark.end - 1))
        wanted.update(
            range(max(0, first - CONTEXT_LINES), min(len(starts), last + CONTEXT_LINES + 1))
        )
    rows = ['<table class="lines"><tbody>']
    previous = -1
    pending = list(marks)  # sorted, non-overlapping
    next_mark = 0
    covered = 0  # the text before this offset was drawn already (inside a mark)
    for index in sorted(wanted):
        if previous != -1 and index != previous + 1:
            rows.append('<tr class="gap"><td class="ln">⋮</td><td></td></tr>')
        previous = index
        line_start, line_end = max(starts[index], covered), ends[index]
        out: list[str] = []
        pos = line_start
        while next_mark < len(pending) and pending[next_mark].start < line_end:
            mark = pending[next_mark]
            next_mark += 1
            if mark.start < pos:
                continue  # starts on a line not shown; cannot happen with context >= 0
            out.append(_text(_strip_break(original[pos : mark.start])))
            out.append(_mark_html(mark))
            pos = max(pos, mark.end)
        covered = max(covered, pos)
        if pos < line_end:
            out.append(_text(_strip_break(original[pos:line_end])))
        rows.append(f'<tr><td class="ln">{index + 1}</td><td>{"".join(out)}</td></tr>')
    rows.append("</tbody></table>")
    return "".join(rows)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the pipeline's own definition of a line


def _strip_break(text: str) -> str:
    return text[:-2] if text.endswith("\r\n") else text.rstrip("\r\n")


def _line_of(starts: Sequence[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _mark_html(mark: _Mark) -> str:
    item = mark.item
    kind = item.kind.value
    title = _e(f"{kind}: {item.reason} ({item.confidence:.2f})")
    if isinstance(item, Change):
        # Only the characters that differ are marked (a variant change is whole lines).
        return "".join(
            _text(_visible(before))
            if before == after
            else (
                f'<del class="chg k-{kind}" title="{title}">{_text(_visible(before))}</del>'
                if before
                else ""
            )
            + (
                f'<ins class="chg k-{kind}" title="{title}">{_text(_visible(after))}</ins>'
                if after
                else ""
            )
            for before, after in edit_runs(item.before, item.after)
        )
    extra = " unrecoverable" if item.kind is Kind.UNRECOVERABLE else ""
    if item.candidates:
        title += _e(" — candidates: " + ", ".join(c.text for c in item.candidates[:3]))
    return (
        f'<mark class="finding k-{kind}{extra}" title="{title}">{_text(_visible(item.text))}</mark>'
    )


# Control characters a browser draws as nothing or as a box ("tofu"): C0 controls other
# than the whitespace ones (tab, line feed, vertical tab, form feed, carriage return),
# DEL, and the C1 controls U+0080–U+009F (cp1252 mojibake leaves U+0081, U+008D, U+008F,
# U+0090, U+009D behind, where cp1252 has no character).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _text(text: str) -> str:
    """File text as HTML: escaped, with invisible controls shown as ``U+009D`` badges.

    >>> _text("a<\x9d>")
    'a&lt;<span class="ctl" title="control character U+009D">U+009D</span>&gt;'
    """
    out = []
    pos = 0
    for match in _CONTROL.finditer(text):
        code = f"U+{ord(match.group()):04X}"
        out.append(_e(text[pos : match.start()]))
        out.append(f'<span class="ctl" title="control character {code}">{code}</span>')
        pos = match.end()
    out.append(_e(text[pos:]))
    return "".join(out)


def _visible(text: str) -> str:
    """Line breaks inside a mark become ↵, so a row stays one line of the original."""
    return text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵")


def changed_outcomes(outcomes: Iterable[FileOutcome]) -> list[FileOutcome]:
    """The outcomes the page has a section for: changed, flagged, or with findings."""
    return [
        o
        for o in outcomes
        if o.result
        and (
            o.status in (Status.CHANGED, Status.FLAGGED)
            or (o.status is Status.UNCHANGED and o.result.findings)
        )
    ]
