"""Text for people: the inline change view, unified diffs, and ``detect``'s listing.

Stage: report. Pure functions from outcomes to text; the ``Reporter`` decides what is
printed where. Colour only when asked for (the reporter asks on a terminal without
NO_COLOR).
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from fixenc.chars import line_end, line_start
from fixenc.model import Change, Detection, FileOutcome, Finding, Kind, Passage, Region, Result

# Characters of the original line shown on each side of a change in the inline view.
CONTEXT_CHARS = 16

RESET = "\033[0m"
KIND_COLOR = {
    Kind.DECODE: "\033[34m",
    Kind.MOJIBAKE: "\033[35m",
    Kind.VARIANT: "\033[36m",
    Kind.ANNOTATION: "\033[33m",
    Kind.UNRECOVERABLE: "\033[1;31m",
    Kind.HYGIENE: "\033[2m",
    Kind.PUNCTUATION: "\033[32m",
}
_DEL = "\033[9;31m"
_ADD = "\033[1;32m"
_DIM = "\033[2m"


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def describe_counts(result: Result) -> str:
    """``"3 mojibake, 2 variant"``; a transcoding is named with its encoding.

    >>> from fixenc.model import Change, Result
    >>> c = Change(Kind.MOJIBAKE, 0, 2, "r", 0.9, before="Ã©", after="é")
    >>> describe_counts(Result("é", "Ã©", changes=(c, c)))
    '2 mojibake'
    """
    parts = []
    for kind, n in result.counts().items():
        if kind == Kind.DECODE.value:
            parts.append(f"{result.encoding} → UTF-8")
        else:
            parts.append(f"{n} {kind}")
    return ", ".join(parts)


def finding_words(result: Result) -> str:
    """``"2 unrecoverable, 1 variant finding"``: findings by kind, in Kind order.

    >>> from fixenc.model import Finding, Result
    >>> f = Finding(Kind.VARIANT, 0, 2, "r", 0.8, text="軟件")
    >>> finding_words(Result("軟件", "軟件", findings=(f, f)))
    '2 variant findings'
    """
    counts = Counter(f.kind for f in result.findings)
    words = []
    for kind in Kind:
        n = counts.get(kind, 0)
        if not n:
            continue
        if kind is Kind.UNRECOVERABLE:
            words.append(f"{n} unrecoverable")
        elif kind is Kind.MOJIBAKE:
            words.append(f"{n} unsure mojibake")
        else:
            words.append(f"{n} {kind.value} finding{'s' if n != 1 else ''}")
    return ", ".join(words)


def unified_diff(outcome: FileOutcome) -> str:
    """A unified diff of the text before and after, as ``git diff`` shows it."""
    result = outcome.result
    if result is None or result.original == result.text:
        return ""
    before = result.original.splitlines(keepends=True)
    after = result.text.splitlines(keepends=True)
    lines = difflib.unified_diff(
        before, after, f"a/{outcome.path.lstrip('/')}", f"b/{outcome.path.lstrip('/')}"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def inline_view(outcome: FileOutcome, *, color: bool = False) -> str:
    """One entry per change and finding: location, kind, reason, and the edit in context.

    ``path:line:col: kind: reason (confidence)`` and below it the original line around
    the change with ``[-removed-]{+added+}`` marks (coloured instead on a terminal).
    """
    result = outcome.result
    if result is None:
        return ""
    lines: list[str] = []
    for change in result.changes:
        lines.append(
            _headline(
                outcome.path,
                change.line,
                change.column,
                change.kind,
                change.reason,
                change.confidence,
                color,
            )
        )
        if change.kind is not Kind.DECODE:
            lines.append("    " + _in_context(result.original, change, color))
    return "".join(line + "\n" for line in lines) + findings_view(outcome, color=color)


def findings_view(outcome: FileOutcome, *, color: bool = False) -> str:
    """The findings part of ``inline_view``: what was reported and not changed."""
    result = outcome.result
    if result is None:
        return ""
    lines: list[str] = []
    for finding in result.findings:
        lines.append(
            _headline(
                outcome.path,
                finding.line,
                finding.column,
                finding.kind,
                finding.reason,
                finding.confidence,
                color,
            )
        )
        lines.append("    " + _finding_context(result.original, finding, color))
    return "".join(line + "\n" for line in lines)


def transcode_note(outcome: FileOutcome) -> str:
    """One line for ``--diff`` when the bytes change by transcoding: a text diff cannot
    show it, and shows nothing at all when the text itself is unchanged.

    >>> from fixenc.model import Change, Result, Status
    >>> c = Change(Kind.DECODE, 0, 0, "file was gbk", 0.9, before="", after="")
    >>> transcode_note(FileOutcome("a.txt", Status.CHANGED, Result("中", "中", (c,), encoding="gbk")))
    'a.txt: only transcoded gbk → UTF-8; the text is unchanged'
    """
    result = outcome.result
    if result is None or not any(c.kind is Kind.DECODE for c in result.changes):
        return ""
    how = f"{result.encoding} → UTF-8"
    if result.original == result.text:
        return f"{outcome.path}: only transcoded {how}; the text is unchanged"
    return f"{outcome.path}: transcoded {how}, and the text changes as below"


def _headline(
    path: str, line: int, column: int, kind: Kind, reason: str, confidence: float, color: bool
) -> str:
    label = f"{KIND_COLOR[kind]}{kind.value}{RESET}" if color else kind.value
    return f"{path}:{line}:{column}: {label}: {reason} ({confidence:.2f})"


def _around(original: str, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_CHARS of the line on each side of ``[start, end)``, with an
    ellipsis where the line goes on."""
    first = max(line_start(original, start), start - CONTEXT_CHARS)
    last = min(line_end(original, end), end + CONTEXT_CHARS)
    left = original[first:start]
    right = original[end:last]
    return ("…" if first > 0 and original[first - 1] not in "\r\n" else "") + left, right + (
        "…" if last < len(original) and original[last] not in "\r\n" else ""
    )


def _in_context(original: str, change: Change, color: bool) -> str:
    left, right = _around(original, change.start, change.end)
    before, after = _visible(change.before), _visible(change.after)
    if color:
        return f"{_DIM}{left}{RESET}{_edits(before, after, color)}{_DIM}{right}{RESET}"
    return f"{left}{_edits(before, after, color)}{right}"


def _edits(before: str, after: str, color: bool) -> str:
    """The edit of one change: the runs that differ marked, the rest shown as it is.

    >>> _edits("請大家會後閱讀。", "请大家会后阅读。", False)
    '[-請-]{+请+}大家[-會後閱讀-]{+会后阅读+}。'
    >>> _edits("Ã©", "é", False)
    '[-Ã©-]{+é+}'
    """
    return "".join(
        part_before if part_before == part_after else _edit(part_before, part_after, color)
        for part_before, part_after in edit_runs(before, after)
    )


def edit_runs(before: str, after: str) -> list[tuple[str, str]]:
    """A change as alternating runs of (before, after): equal runs are context.

    A script-variant change is a run of whole lines converted by OpenCC (one record per
    run keeps a converted megabyte near OpenCC's speed), so a change of equal length is
    shown with only its differing characters marked (text and HTML reports alike); any
    other is one run.

    >>> edit_runs("我们的软件", "我們的軟體")
    [('我', '我'), ('们', '們'), ('的', '的'), ('软件', '軟體')]
    """
    if len(before) != len(after) or not before:
        return [(before, after)]
    out: list[tuple[str, str]] = []
    k = 0
    while k < len(before):
        same = before[k] == after[k]
        m = k
        while m < len(before) and (before[m] == after[m]) == same:
            m += 1
        out.append((before[k:m], after[k:m]))
        k = m
    return out


def _edit(before: str, after: str, color: bool) -> str:
    if color:
        return (f"{_DEL}{before}{RESET}" if before else "") + (
            f"{_ADD}{after}{RESET}" if after else ""
        )
    return f"{'[-' + before + '-]' if before else ''}{'{+' + after + '+}' if after else ''}"


def _finding_context(original: str, finding: Finding, color: bool) -> str:
    left, right = _around(original, finding.start, finding.end)
    span = _visible(finding.text)
    marked = f"{KIND_COLOR[finding.kind]}{span}{RESET}" if color else f"[!{span}!]"
    text = f"{left}{marked}{right}"
    if finding.candidates:
        options = ", ".join(f"{c.text!r} {c.confidence:.2f}" for c in finding.candidates[:3])
        text += f"   candidates: {options}"
    return text


def _visible(text: str) -> str:
    """Show control characters and line breaks inside one line of the view."""
    return "".join(
        repr(ch)[1:-1] if (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) else ch for ch in text
    )


def format_detection(path: str, detection: Detection, *, color: bool = False) -> str:
    """``fixenc detect`` for people: encoding, findings, then the script-variant map."""
    out = [f"{path}:"]
    if detection.encoding:
        alternatives = ", ".join(
            f"{g.encoding} {g.confidence:.2f}" for g in detection.encoding_candidates[1:4]
        )
        line = f"  encoding: {detection.encoding} (confidence {detection.encoding_confidence or 0:.2f})"
        out.append(line + (f"; also possible: {alternatives}" if alternatives else ""))
    if detection.findings:
        out.append(f"  findings: {len(detection.findings)}")
        for f in detection.findings:
            label = f"{KIND_COLOR[f.kind]}{f.kind.value}{RESET}" if color else f.kind.value
            repair = f" → {f.candidates[0].text!r}" if f.candidates else ""
            out.append(
                f"    {f.line}:{f.column} {label}: {_visible(f.text)!r}{repair} — {f.reason} ({f.confidence:.2f})"
            )
    else:
        out.append("  findings: none")
    if detection.passages:
        out.append("  script variants:")
        for p in detection.passages:
            lines = (
                f"line {p.line_start}"
                if p.line_start == p.line_end
                else f"lines {p.line_start}-{p.line_end}"
            )
            evidence = f" — deciding: {' '.join(p.evidence)}" if p.evidence else ""
            region = f" [{p.region_text}]" if p.region else ""
            out.append(f"    {lines}: {p.label} ({p.confidence:.2f}){region}{evidence}")
    return "\n".join(out) + "\n"


def format_passages(found: Sequence[Passage], path: str) -> str:
    """The variant map as text for ``fixenc detect``: a summary line, then one
    ``path:lines: label`` line per passage with Han text (grep- and editor-friendly).

    >>> from fixenc.stages.variant import passages
    >>> print(format_passages(passages("我们是学生。\\n\\n這個很好。\\nOK\\n"), "a.txt"))
    a.txt: mixed document: zh-Hans 1 passage, zh-Hant 1 passage
    a.txt:1: zh-Hans (confidence 0.67) deciding: 们 学
    a.txt:3: zh-Hant (confidence 0.67) deciding: 這 個
    """
    chinese = [p for p in found if p.label != "none"]
    if not chinese:
        return f"{path}: no Han characters"
    counts: dict[str, int] = {}
    for p in chinese:
        if p.region is not Region.FOREIGN:
            counts[p.label] = counts.get(p.label, 0) + 1
    variants = [label for label in counts if label in ("zh-Hans", "zh-Hant", "mixed")]
    kind = (
        "mixed document"
        if len(variants) > 1 or "mixed" in variants
        else f"{variants[0]} document"
        if variants
        else "Chinese without distinguishing characters"
        if counts
        else "Japanese or Korean"
    )
    summary = ", ".join(f"{label} {n} passage{'s' if n > 1 else ''}" for label, n in counts.items())
    lines = [f"{path}: {kind}" + (f": {summary}" if summary else "")]
    for p in chinese:
        where = f"{p.line_start}" if p.line_start == p.line_end else f"{p.line_start}-{p.line_end}"
        line = f"{path}:{where}: {p.label} (confidence {p.confidence:.2f})"
        if p.evidence:
            line += " deciding: " + " ".join(p.evidence)
        if p.region:
            line += f" [{p.region_text}]"
        lines.append(line)
    return "\n".join(lines)
