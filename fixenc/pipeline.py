"""The orchestrator: runs the text stages in order; never touches the file system.

Stage: all of them, in sequence. ``repair`` reads top to bottom as the algorithm:

1. fast path — pure ASCII text cannot carry any damage fixenc repairs, so it costs one scan;
2. East-Asian mojibake before Latin mojibake — ftfy, given GBK-read-as-Latin-1 garble,
   "fixes" part of it as UTF-8 and makes it worse, so CJK round trips claim their spans first;
3. lost bytes and unrecoverable damage after both round-trip repairs, on what is left;
4. annotation noise before variant conversion — OpenCC phrase matching breaks on a word
   with an inserted annotation (``头(tóu)发`` → ``頭(tóu)發``);
5. script variant conversion on clean text, so that it sees real words;
6. optional CJK punctuation last: it needs the annotations gone (``你(nǐ)`` is not
   punctuation) and works the same on either script variant.

Each stage is a function ``(text, options) -> StageOutput | None``. It returns ``None``
when it has nothing to say ("not mine, carry on"), otherwise changes located in *its own
input* text. The pipeline applies them, maps their offsets back to the text it was given,
and hands the new text to the next stage. Whatever a stage proposes inside a protected
region (URL, e-mail, Markdown code, source identifiers, ``fixenc: off``, protected terms;
see ``fixenc.protect``) is dropped: the user asked for it to stay as it is.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from fixenc.model import ATTENTION_KINDS, Change, Decoded, Finding, Kind, Options, Result
from fixenc.protect import Protection


@dataclass(frozen=True, slots=True)
class StageOutput:
    """What one stage proposes. Offsets are relative to the stage's input text;
    changes must not overlap each other; line/column are filled in by the pipeline."""

    changes: tuple[Change, ...] = ()
    findings: tuple[Finding, ...] = ()


Stage = Callable[[str, Options], "StageOutput | None"]


def _stages() -> tuple[tuple[str, Stage], ...]:
    """The stages in order (see the module docstring for why this order)."""
    # `from fixenc import annotations` would find the package's `from __future__ import
    # annotations` feature instead of the module, so import the stage function itself.
    from fixenc import punctuation, variant
    from fixenc.annotations import stage as annotations_stage
    from fixenc.mojibake import cjk, latin, lost_bytes

    return (
        ("cjk-mojibake", cjk.stage),
        ("latin-mojibake", latin.stage),
        ("lost-bytes", lost_bytes.stage),
        ("annotations", annotations_stage),
        ("variant", variant.stage),
        ("punctuation", punctuation.stage),
    )


def repair(text: str, options: Options | None = None, *, decoded: Decoded | None = None) -> Result:
    """Run every stage on ``text`` and collect what they changed and found."""
    options = options or Options()
    if text.isascii():
        # Nothing fixenc repairs can hide in ASCII: no mojibake, no Han, no pinyin marks.
        return _result(text, text, [], [], decoded)
    current = text
    offsets = _OffsetMap()
    changes: list[Change] = []
    findings: list[Finding] = []
    for _name, stage in _stages():
        out = stage(current, options)
        if out is None:
            continue
        protection = Protection.of(current, options) if out.changes or out.findings else None
        for finding in out.findings:
            if protection and protection.contains(finding.start, finding.end):
                continue  # the user protected it: nothing to report either
            start, end = offsets.to_original(finding.start, finding.end)
            findings.append(replace(finding, start=start, end=end))
        ordered = sorted(
            (c for c in out.changes if not (protection and protection.overlaps(c.start, c.end))),
            key=lambda c: (c.start, c.end),
        )
        if not ordered:
            continue
        for change in ordered:
            start, end = offsets.to_original(change.start, change.end)
            changes.append(replace(change, start=start, end=end))
        current = _apply(current, ordered)
        offsets.record(ordered)
    return _result(text, current, changes, findings, decoded)


def _apply(text: str, ordered: Sequence[Change]) -> str:
    parts: list[str] = []
    pos = 0
    for change in ordered:
        if change.start < pos:
            raise ValueError(f"overlapping changes at offset {change.start}")
        parts.append(text[pos : change.start])
        parts.append(change.after)
        pos = change.end
    parts.append(text[pos:])
    return "".join(parts)


def _result(
    original: str,
    text: str,
    changes: list[Change],
    findings: list[Finding],
    decoded: Decoded | None,
) -> Result:
    locate = _Locator(original) if changes or findings else None
    all_changes = [locate.change(c) for c in changes] if locate else []
    if decoded is not None and is_legacy(decoded.encoding):
        all_changes.insert(0, _decode_change(decoded))
    all_changes.sort(key=lambda c: (c.start, c.end, c.kind is not Kind.DECODE))
    return Result(
        text=text,
        original=original,
        changes=tuple(all_changes),
        findings=tuple(
            sorted((locate.finding(f) for f in _one_report(findings)), key=lambda f: f.start)
        )
        if locate
        else (),
        encoding=decoded.encoding if decoded else None,
        encoding_confidence=decoded.confidence if decoded else None,
        decoded=decoded,
    )


def _one_report(findings: list[Finding]) -> list[Finding]:
    """One problem, one report: drop script-variant findings over text that an earlier
    stage already reported as damaged — garble has no script variant, and telling the
    reader that ``浼氫笂澶`` is "Traditional" only hides the real finding."""
    damaged = [(f.start, f.end) for f in findings if f.kind in ATTENTION_KINDS]
    if not damaged:
        return findings
    return [
        f
        for f in findings
        if f.kind is not Kind.VARIANT or not any(s < f.end and f.start < e for s, e in damaged)
    ]


def is_legacy(encoding: str) -> bool:
    """Legacy encodings are transcoded to UTF-8 on write; Unicode ones are kept."""
    return not encoding.startswith("utf") and encoding != "ascii"


def _decode_change(decoded: Decoded) -> Change:
    """Transcoding a legacy file to UTF-8 is a change of the whole file."""
    return Change(
        kind=Kind.DECODE,
        start=0,
        end=len(decoded.text),
        before="",
        after="",
        reason=f"file was {decoded.encoding} (confidence {decoded.confidence:.2f}); written as UTF-8",
        confidence=decoded.confidence,
        line=1,
        column=1,
    )


class _OffsetMap:
    """Maps spans of the current text back to the pipeline's input text.

    It keeps every replaced region as (current start, current end, original start,
    original end), sorted. A boundary outside all regions shifts by the length delta of
    the regions to its left; a boundary strictly inside a region widens to that region's
    original extent, so a later change over an earlier one reports the whole original span.
    """

    def __init__(self) -> None:
        self._regions: list[tuple[int, int, int, int]] = []
        self._ends: list[int] = []

    def _point(self, pos: int, *, is_end: bool) -> int:
        i = bisect.bisect_right(self._ends, pos)  # regions[:i] end at or before pos
        if i < len(self._regions) and self._regions[i][0] < pos:
            region = self._regions[i]
            return region[3] if is_end else region[2]
        if i == 0:
            return pos
        _, cur_end, _, orig_end = self._regions[i - 1]
        return pos - cur_end + orig_end

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if not self._regions:
            return start, end
        return self._point(start, is_end=False), self._point(end, is_end=True)

    def record(self, ordered: Sequence[Change]) -> None:
        """Fold one stage's applied changes (in current offsets, sorted) into the map."""
        new: list[tuple[int, int, int, int]] = []
        delta = 0  # length change made by this stage's edits left of the cursor
        i = 0
        old = self._regions
        for change in ordered:
            while i < len(old) and old[i][1] <= change.start and old[i][0] < change.start:
                cs, ce, os_, oe = old[i]
                new.append((cs + delta, ce + delta, os_, oe))
                i += 1
            while i < len(old) and old[i][0] < change.end:
                i += 1  # overlapped: to_original already widened the change over it
            orig_start, orig_end = self.to_original(change.start, change.end)
            cur_start = change.start + delta
            new.append((cur_start, cur_start + len(change.after), orig_start, orig_end))
            delta += len(change.after) - (change.end - change.start)
        new.extend((cs + delta, ce + delta, os_, oe) for cs, ce, os_, oe in old[i:])
        self._regions = new
        self._ends = [region[1] for region in new]


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Locator:
    """Turns offsets of the input text into 1-based line and column numbers."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def change(self, change: Change) -> Change:
        line, column = self.position(change.start)
        return replace(change, line=line, column=column)

    def finding(self, finding: Finding) -> Finding:
        line, column = self.position(finding.start)
        return replace(finding, line=line, column=column)
