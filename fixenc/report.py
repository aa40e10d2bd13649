"""Diffs, the inline change view, JSON, summaries and exit codes.

Stage: report. One ``Reporter`` owns every word fixenc prints and the exit code, so the
CLI, the pre-commit hooks and JSON consumers all agree (ruff's exit codes, black's
wording): 0 nothing to do or all fixed; 1 ``check``/``--diff`` found something to change
or damage a person must look at; 2 usage or I/O error. Messages go to stderr, data
(diffs, change listings, JSON) to stdout; colour only on a TTY and never with NO_COLOR.
"""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, TextIO

from fixenc.model import Change, Detection, FileOutcome, Finding, Kind, Result, Status

Mode = Literal["fix", "check", "diff"]
Format = Literal["text", "json"]

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_ERROR = 2

# Characters of the original line shown on each side of a change in the inline view.
CONTEXT_CHARS = 16

_RESET = "\033[0m"
_KIND_COLOR = {
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
    >>> c = Change(Kind.MOJIBAKE, 0, 2, "Ã©", "é", "r", 0.9)
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


def _headline(
    path: str, line: int, column: int, kind: Kind, reason: str, confidence: float, color: bool
) -> str:
    label = f"{_KIND_COLOR[kind]}{kind.value}{_RESET}" if color else kind.value
    return f"{path}:{line}:{column}: {label}: {reason} ({confidence:.2f})"


def _around(original: str, start: int, end: int) -> tuple[str, str]:
    line_start = max(original.rfind("\n", 0, start) + 1, start - CONTEXT_CHARS)
    line_end = original.find("\n", end)
    line_end = len(original) if line_end == -1 else line_end
    line_end = min(line_end, end + CONTEXT_CHARS)
    left = original[line_start:start].replace("\r", "")
    right = original[end:line_end].replace("\r", "")
    return ("…" if line_start > 0 and original[line_start - 1] != "\n" else "") + left, right + (
        "…" if line_end < len(original) and original[line_end] not in "\r\n" else ""
    )


def _in_context(original: str, change: Change, color: bool) -> str:
    left, right = _around(original, change.start, change.end)
    before, after = _visible(change.before), _visible(change.after)
    if color:
        edit = (f"{_DEL}{before}{_RESET}" if before else "") + (
            f"{_ADD}{after}{_RESET}" if after else ""
        )
        return f"{_DIM}{left}{_RESET}{edit}{_DIM}{right}{_RESET}"
    return f"{left}{'[-' + before + '-]' if before else ''}{'{+' + after + '+}' if after else ''}{right}"


def _finding_context(original: str, finding: Finding, color: bool) -> str:
    left, right = _around(original, finding.start, finding.end)
    span = _visible(finding.text)
    marked = f"{_KIND_COLOR[finding.kind]}{span}{_RESET}" if color else f"[!{span}!]"
    text = f"{left}{marked}{right}"
    if finding.candidates:
        options = ", ".join(f"{c.text!r} {c.score:.2f}" for c in finding.candidates[:3])
        text += f"   candidates: {options}"
    return text


def _visible(text: str) -> str:
    """Show control characters and line breaks inside one line of the view."""
    return "".join(
        repr(ch)[1:-1] if (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) else ch for ch in text
    )


@dataclass
class Reporter:
    """Collects outcomes, prints per-file lines as they come, and decides the exit code."""

    mode: Mode
    fmt: Format = "text"
    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose
    out: TextIO | None = None
    err: TextIO | None = None
    outcomes: list[FileOutcome] = field(default_factory=list)
    table: bool = False  # print the closing summary table (a directory was walked)

    def __post_init__(self) -> None:
        import sys

        self.out = self.out or sys.stdout
        self.err = self.err or sys.stderr

    @property
    def _out(self) -> TextIO:
        assert self.out is not None
        return self.out

    @property
    def _err(self) -> TextIO:
        assert self.err is not None
        return self.err

    def add(self, outcome: FileOutcome, *, show_data: bool = True) -> None:
        """Record one outcome and print what belongs to it."""
        self.outcomes.append(outcome)
        if self.fmt == "text" and show_data:
            if self.mode == "diff" and outcome.status is Status.CHANGED:
                self._out.write(unified_diff(outcome))
            elif (self.mode == "check" or self.verbosity > 0) and outcome.status in (
                Status.CHANGED,
                Status.FLAGGED,
            ):
                self._out.write(inline_view(outcome, color=use_color(self._out)))
        line = self.file_line(outcome)
        if line and (outcome.status is Status.ERROR or self.verbosity >= 0):
            self._err.write(line + "\n")
        self._err.flush()

    def file_line(self, outcome: FileOutcome) -> str:
        """The one line a person reads about a file (black's wording)."""
        status = outcome.status
        if status is Status.ERROR:
            return f"error: {outcome.path}: {outcome.message}"
        if status is Status.SKIPPED:
            return (
                f"{outcome.path}: skipped: {outcome.message}"
                if self.verbosity > 0 or not _routine_skip(outcome)
                else ""
            )
        result = outcome.result
        if status is Status.CHANGED and result is not None:
            verb = "fixed" if self.mode == "fix" and outcome.written else "would fix"
            if self.mode == "fix" and not outcome.written:
                verb = "would fix"
            text = f"{outcome.path}: {verb} {describe_counts(result)}"
            return text + self._flag_suffix(result)
        if status is Status.FLAGGED and result is not None:
            return f"{outcome.path}: needs attention:{self._flag_suffix(result, lead='')}"
        return f"{outcome.path}: unchanged" if self.verbosity > 0 else ""

    @staticmethod
    def _flag_suffix(result: Result, lead: str = ";") -> str:
        counts = Counter(
            f.kind.value for f in result.findings if f.kind in (Kind.UNRECOVERABLE, Kind.MOJIBAKE)
        )
        if not counts:
            return ""
        words = ", ".join(
            f"{n} {'unrecoverable' if k == Kind.UNRECOVERABLE.value else 'unsure mojibake'}"
            for k, n in counts.items()
        )
        return f"{lead} {words} (not changed)"

    def summary(self) -> dict[str, object]:
        by_status = Counter(o.status.value for o in self.outcomes)
        kinds: Counter[str] = Counter()
        findings: Counter[str] = Counter()
        encodings: Counter[str] = Counter()
        skipped: Counter[str] = Counter()
        for outcome in self.outcomes:
            if outcome.result is not None:
                kinds.update(c.kind.value for c in outcome.result.changes)
                findings.update(f.kind.value for f in outcome.result.findings)
                if outcome.result.encoding:
                    encodings[outcome.result.encoding] += 1
            if outcome.status is Status.SKIPPED:
                skipped[skip_category(outcome.message)] += 1
        return {
            "files": len(self.outcomes),
            "scanned": len(self.outcomes) - by_status.get(Status.SKIPPED.value, 0),
            "changed": by_status.get(Status.CHANGED.value, 0),
            "unchanged": by_status.get(Status.UNCHANGED.value, 0),
            "flagged": by_status.get(Status.FLAGGED.value, 0),
            "skipped": by_status.get(Status.SKIPPED.value, 0),
            "errors": by_status.get(Status.ERROR.value, 0),
            "changes_by_kind": dict(kinds),
            "findings_by_kind": dict(findings),
            "encodings": dict(encodings),
            "skipped_reasons": dict(skipped),
        }

    def finish(self) -> int:
        """Print the closing summary (or the JSON document) and return the exit code."""
        if self.fmt == "json":
            doc = {
                "mode": self.mode,
                "files": [o.to_dict() for o in self.outcomes],
                "summary": self.summary(),
                "exit_code": self.exit_code(),
            }
            json.dump(doc, self._out, ensure_ascii=False, indent=2)
            self._out.write("\n")
        if self.verbosity >= 0 and len(self.outcomes) != 1:
            if self.table and self.fmt == "text":
                self._err.write(self.summary_table())
            self._err.write(self.summary_line() + "\n")
        return self.exit_code()

    def summary_line(self) -> str:
        """black's closing line: ``2 files fixed, 5 unchanged, 1 skipped.``"""
        s = self.summary()
        verb = (
            "fixed"
            if self.mode == "fix" and any(o.written for o in self.outcomes)
            else "would be fixed"
        )
        parts = [f"{_plural(s['changed'], 'file')} {verb}"] if s["changed"] else []
        parts.append(
            f"{_plural(s['unchanged'], 'file')} unchanged"
            if not parts
            else f"{s['unchanged']} unchanged"
        )
        for key, word in (
            ("flagged", "need attention"),
            ("skipped", "skipped"),
            ("errors", "failed"),
        ):
            if s[key]:
                parts.append(f"{s[key]} {word}")
        return ", ".join(parts) + "."

    def summary_table(self) -> str:
        """The closing table of a bulk run: counts, skip reasons, kinds, encodings.

        >>> r = Reporter(mode="check")
        >>> r.outcomes = [FileOutcome("a", Status.UNCHANGED, Result("", "", encoding="utf-8")),
        ...               FileOutcome("b", Status.SKIPPED, message="binary file (NUL); skipped")]
        >>> print(r.summary_table(), end="")
        files scanned     1
          changed         0
          unchanged       1
        skipped           1   binary file 1
        encodings             utf-8 1
        """
        s = self.summary()
        rows: list[tuple[str, object, str]] = [
            ("files scanned", s["scanned"], ""),
            ("  changed", s["changed"], _listing(s["changes_by_kind"], "changes: ")),
            ("  unchanged", s["unchanged"], ""),
        ]
        if s["flagged"]:
            rows.append(("  need attention", s["flagged"], ""))
        if s["errors"]:
            rows.append(("  errors", s["errors"], ""))
        if s["skipped"]:
            rows.append(("skipped", s["skipped"], _listing(s["skipped_reasons"])))
        if s["findings_by_kind"]:
            rows.append(("findings", "", _listing(s["findings_by_kind"], "not changed: ")))
        if s["encodings"]:
            rows.append(("encodings", "", _listing(s["encodings"])))
        width = max(len(str(n)) for _, n, _ in rows)
        return "".join(
            f"{label:<18}{n!s:>{width}}{'   ' + detail if detail else ''}\n"
            for label, n, detail in rows
        )

    def exit_code(self) -> int:
        statuses = {o.status for o in self.outcomes}
        if Status.ERROR in statuses:
            return EXIT_ERROR
        if Status.FLAGGED in statuses:
            return EXIT_FOUND
        if any(o.result is not None and o.result.needs_attention for o in self.outcomes):
            return EXIT_FOUND
        if Status.CHANGED in statuses and (
            self.mode != "fix"
            or not all(o.written for o in self.outcomes if o.status is Status.CHANGED)
        ):
            return EXIT_FOUND
        if Status.SKIPPED in statuses and any(
            not _routine_skip(o) for o in self.outcomes if o.status is Status.SKIPPED
        ):
            return EXIT_FOUND
        return EXIT_OK


def _routine_skip(outcome: FileOutcome) -> bool:
    """Binary files, links, ignored and excluded paths are routine; other skips need a
    person (an encoding too ambiguous to guess, a file over the size cap)."""
    from fixenc.files import ROUTINE_SKIPS

    return outcome.message.startswith(ROUTINE_SKIPS)


def skip_category(message: str) -> str:
    """The reason a summary counts a skip under: the message up to ``;`` or ``(``.

    >>> skip_category("larger than the size cap (70.0 MiB > 64.0 MiB); raise it")
    'larger than the size cap'
    """
    return message.split(";")[0].split("(")[0].strip()


def _listing(counts: object, lead: str = "") -> str:
    """``mojibake 3, variant 2`` from a mapping, largest first; empty if none."""
    assert isinstance(counts, dict)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return lead + ", ".join(f"{key} {n}" for key, n in ordered) if ordered else ""


def _plural(n: object, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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
            label = f"{_KIND_COLOR[f.kind]}{f.kind.value}{_RESET}" if color else f.kind.value
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
            region = f" [{p.region}]" if p.region else ""
            out.append(f"    {lines}: {p.label} ({p.confidence:.2f}){region}{evidence}")
    return "\n".join(out) + "\n"
