"""The Reporter: every word fixenc prints about a run, and its exit code.

Stage: report. One ``Reporter`` owns wording and exit codes, so the CLI, the pre-commit
hooks and JSON consumers all agree (ruff's exit codes, black's wording): 0 nothing to do
or all fixed; 1 ``check``/``--diff`` found something to change or damage a person must
look at; 2 usage or I/O error. Messages go to stderr, data (diffs, change listings,
JSON) to stdout; colour only on a TTY and never with NO_COLOR. Exit codes are decided on
statuses and skip reasons (enums), never on message text.
"""

from __future__ import annotations

import enum
import json
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal, TextIO

from fixenc.model import FileOutcome, Kind, Result, SkipReason, Status
from fixenc.report.text import (
    describe_counts,
    finding_words,
    findings_view,
    inline_view,
    transcode_note,
    unified_diff,
    use_color,
)

Mode = Literal["fix", "check", "diff"]
Format = Literal["text", "json"]


class ExitCode(enum.IntEnum):
    """What a run tells its caller (ruff's convention, plus the shells' 130)."""

    OK = 0  # nothing to do, or everything was fixed
    FOUND = 1  # check/--diff found something, or damage that needs a person
    ERROR = 2  # usage error, or an input that could not be read, decoded or written
    INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C or SIGTERM


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
    # Finding kinds the user silenced (``--ignore``, ``ignore = [...]``): dropped from
    # every listing, the JSON and the page, and from the exit code, as ruff drops an
    # ignored rule's diagnostics.
    ignore: frozenset[Kind] = frozenset()
    # False under a hook: pre-commit runs fixenc on batches of files in parallel, and a
    # closing summary per batch reads as contradictory totals (black and ruff print
    # only their per-file lines there).
    closing: bool = True

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
        """Record one outcome and print what belongs to it.

        ``-q`` prints errors only: no listing, no per-file lines; data asked for by a
        flag (``--diff``, ``--format json``) is still printed.
        """
        outcome = self.silence(outcome)
        self.outcomes.append(outcome)
        if self.fmt == "text" and show_data:
            self._show(outcome)
        line = self.file_line(outcome)
        if line and (outcome.status is Status.ERROR or self.verbosity >= 0):
            self._err.write(line + "\n")
        self._err.flush()

    def _show(self, outcome: FileOutcome) -> None:
        """The data of one outcome: a diff, or the listing of changes and findings."""
        result = outcome.result
        if result is None:
            return
        if self.mode == "diff":
            note = transcode_note(outcome)
            if note:
                self._out.write(note + "\n")
            if outcome.status is Status.CHANGED:
                self._out.write(unified_diff(outcome))
            if result.findings and self.verbosity >= 0:
                # A diff cannot show what was not changed; the findings go to stderr so
                # that stdout stays a patch.
                self._err.write(findings_view(outcome, color=use_color(self._err)))
            return
        listing = self.mode == "check" or self.verbosity > 0
        if (
            listing
            and self.verbosity >= 0
            and (outcome.status is not Status.UNCHANGED or result.findings)
        ):
            self._out.write(inline_view(outcome, color=use_color(self._out)))

    def silence(self, outcome: FileOutcome) -> FileOutcome:
        """``outcome`` without the findings of ignored kinds; a file flagged only for
        those is unchanged."""
        result = outcome.result
        if not self.ignore or result is None:
            return outcome
        kept = tuple(f for f in result.findings if f.kind not in self.ignore)
        if len(kept) == len(result.findings):
            return outcome
        result = replace(result, findings=kept)
        status = outcome.status
        if status is Status.FLAGGED and not result.needs_attention:
            status = Status.UNCHANGED
        return replace(outcome, result=result, status=status)

    def file_line(self, outcome: FileOutcome) -> str:
        """The one line a person reads about a file (black's wording)."""
        status = outcome.status
        if status is Status.ERROR:
            return f"error: {outcome.path}: {outcome.message}"
        if status is Status.SKIPPED and outcome.skip is SkipReason.AMBIGUOUS_ENCODING:
            return self._ambiguous_line(outcome)
        if status is Status.SKIPPED:
            return (
                f"{outcome.path}: skipped: {outcome.message}"
                if self.verbosity > 0 or not _routine(outcome)
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
        if result is not None and result.findings:
            return f"{outcome.path}: {finding_words(result)}, nothing changed"
        return f"{outcome.path}: unchanged" if self.verbosity > 0 else ""

    # How many candidates the one-line report names.
    SHOWN_CANDIDATES = 4

    def _ambiguous_line(self, outcome: FileOutcome) -> str:
        """An ambiguous encoding: the candidates, and how to settle it (never a guess)."""
        shown = outcome.encoding_candidates[: self.SHOWN_CANDIDATES]
        names = ", ".join(f"{g.encoding} {g.confidence:.2f}" for g in shown) or "none"
        first = shown[0].encoding if shown else "ENCODING"
        lead = "left untouched" if self.mode == "fix" else "would leave untouched"
        return (
            f"{outcome.path}: {lead}: ambiguous encoding (candidates: {names}); settle it "
            f"with --assume-encoding {first} (or another candidate) or a language hint "
            "such as --lang ru (assume-encoding / lang in [tool.fixenc])"
        )

    @staticmethod
    def _flag_suffix(result: Result, lead: str = ";") -> str:
        return f"{lead} {finding_words(result)} (not changed)" if result.findings else ""

    def summary(self) -> dict[str, object]:
        by_status = Counter(o.status.value for o in self.outcomes)
        with_findings = sum(
            1
            for o in self.outcomes
            if o.status is Status.UNCHANGED and o.result is not None and o.result.findings
        )
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
                skipped[outcome.skip.value if outcome.skip else Status.SKIPPED.value] += 1
        return {
            "files": len(self.outcomes),
            "scanned": len(self.outcomes) - by_status.get(Status.SKIPPED.value, 0),
            "changed": by_status.get(Status.CHANGED.value, 0),
            "unchanged": by_status.get(Status.UNCHANGED.value, 0),
            # unchanged files with findings that need no person (a mixed-script document)
            "with_findings": with_findings,
            "flagged": by_status.get(Status.FLAGGED.value, 0),
            "skipped": by_status.get(Status.SKIPPED.value, 0),
            "errors": by_status.get(Status.ERROR.value, 0),
            "changes_by_kind": dict(kinds),
            "findings_by_kind": dict(findings),
            "encodings": dict(encodings),
            "skipped_reasons": dict(skipped),
        }

    def finish(self) -> ExitCode:
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
        if self.closing and self.verbosity >= 0 and len(self.outcomes) != 1:
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
            ("with_findings", "with findings"),
            ("flagged", "need attention"),
            ("skipped", "skipped"),
            ("errors", "failed"),
        ):
            if s[key]:
                parts.append(f"{s[key]} {word}")
        return ", ".join(parts) + "."

    def summary_table(self) -> str:
        """The closing table of a bulk run: counts, skip reasons, kinds, encodings.

        >>> from fixenc.model import SkipReason
        >>> r = Reporter(mode="check")
        >>> r.outcomes = [FileOutcome("a", Status.UNCHANGED, Result("", "", encoding="utf-8")),
        ...               FileOutcome("b", Status.SKIPPED, skip=SkipReason.BINARY)]
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
        if s["with_findings"]:
            rows.append(("    with findings", s["with_findings"], ""))
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

    def exit_code(self) -> ExitCode:
        """ruff's convention, decided on statuses and skip reasons only."""
        statuses = {o.status for o in self.outcomes}
        if Status.ERROR in statuses:
            return ExitCode.ERROR
        if Status.FLAGGED in statuses:
            return ExitCode.FOUND
        if any(o.result is not None and o.result.needs_attention for o in self.outcomes):
            return ExitCode.FOUND
        if self.mode != "fix" and any(
            o.result is not None and o.result.findings for o in self.outcomes
        ):
            return ExitCode.FOUND  # check and --diff report every finding not ignored
        if Status.CHANGED in statuses and (
            self.mode != "fix"
            or not all(o.written for o in self.outcomes if o.status is Status.CHANGED)
        ):
            return ExitCode.FOUND
        if Status.SKIPPED in statuses and any(
            not _routine(o) for o in self.outcomes if o.status is Status.SKIPPED
        ):
            return ExitCode.FOUND
        return ExitCode.OK


def _routine(outcome: FileOutcome) -> bool:
    """Binary files, links, ignored and excluded paths are routine; other skips need a
    person (an encoding too ambiguous to guess, a file over the size cap)."""
    return outcome.skip is not None and outcome.skip.routine


def _listing(counts: object, lead: str = "") -> str:
    """``mojibake 3, variant 2`` from a mapping, largest first; empty if none."""
    assert isinstance(counts, dict)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return lead + ", ".join(f"{key} {n}" for key, n in ordered) if ordered else ""


def _plural(n: object, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
