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

Each stage is a function ``(text, context) -> StageOutput | None`` (``model.Stage``); the
context carries the options and what is worth computing once per text version. A stage
returns ``None`` when it has nothing to say ("not mine, carry on"), otherwise changes
located in *its own input* text. The pipeline applies them, maps their offsets back to the text it was given,
and hands the new text to the next stage. Whatever a stage proposes inside a protected
region (URL, e-mail, Markdown code, source identifiers, ``fixenc: off``, protected terms;
see ``fixenc.protect``) is dropped: the user asked for it to stay as it is.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from fixenc.chars import LineIndex, line_end
from fixenc.decode import is_legacy, is_single_byte
from fixenc.model import (
    ATTENTION_KINDS,
    Change,
    Context,
    Decoded,
    Detection,
    Finding,
    Kind,
    Options,
    Origin,
    Result,
    Stage,
    moved,
)
from fixenc.protect import Protection
from fixenc.stages import (
    lost_bytes,
    mojibake_cjk,
    mojibake_latin,
    pinyin_noise,
    punctuation,
    variant,
)

# The stages in order (see the module docstring for why this order).
STAGES: tuple[tuple[str, Stage], ...] = (
    ("cjk-mojibake", mojibake_cjk.stage),
    ("latin-mojibake", mojibake_latin.stage),
    ("lost-bytes", lost_bytes.stage),
    ("pinyin-noise", pinyin_noise.stage),
    ("variant", variant.stage),
    ("punctuation", punctuation.stage),
)


# Kinds whose repairs restore characters the text already had (the bytes are there,
# misread): such a repair never leaves a span empty. Annotation removal deletes by
# design; variant and punctuation changes replace one character with another.
RESTORING_KINDS = frozenset({Kind.MOJIBAKE, Kind.HYGIENE})
# How many times a repair is re-run with more lines refused before every changed line
# is refused. One round settled every unstable input found so far (issue 15's seven
# minimal cases and the property tests); two more cost little, since each round runs
# only on text that already failed the check.
MAX_SETTLE_ROUNDS = 3
_ASCII_BLANKS = " \t\n\r\f\v"
_DELETES = "not applied: the repair would delete text rather than restore it"
_UNSTABLE = (
    "not applied: repairing the result again would change it further, so this repair "
    "is not trustworthy"
)


def repair(text: str, options: Options | None = None, *, decoded: Decoded | None = None) -> Result:
    """Run every stage on ``text`` and collect what they changed and found.

    The result is checked the way a user would check it: by repairing it again. A
    repair that a second pass would continue (``ы·▒╬╝ё╝ф╠`` → ``ы該關ё╝ф╠`` → ``ы該關注安``)
    is not evidence but a chain of guesses, and "fix twice == fix once" is a promise:
    the lines where the second pass would change something have their repairs refused
    (reported as findings) and the repair runs again, until the result is stable.
    """
    options = options or Options()
    if text.isascii():
        # Nothing fixenc repairs can hide in ASCII: no mojibake, no Han, no pinyin marks.
        return _result(text, text, [], [], decoded)
    origin = _origin(decoded)
    refused: list[tuple[int, int]] = []
    attempt = _pass(text, options, refused, origin)
    for _round in range(MAX_SETTLE_ROUNDS):
        if not attempt.changes:
            break
        # Refused lines are verbatim in the result; the second pass refuses them too,
        # as repairing the result would (so that it asks only about the rest).
        again = _pass(
            attempt.text, options, [attempt.offsets.to_current(s) for s in refused], origin
        )
        # Only a repair that would go on restoring is a chain of guesses. A conversion a
        # second pass extends (t2s keeps 陞 in 楊聯陞 by phrase, a second run reads a mixed
        # clause) is OpenCC's phrase boundary, listed in tests/compat as known.
        unstable = [c for c in again.changes if c.kind in RESTORING_KINDS]
        if not unstable:
            break
        lines = LineIndex(text)
        for change in unstable:
            start, end = attempt.offsets.to_original(change.start, change.end)
            refused.append(_lines_of(text, lines, start, end))
        attempt = _pass(text, options, refused, origin)
    else:
        restoring = [c for c in attempt.changes if c.kind in RESTORING_KINDS]
        if restoring:  # still unsettled: refuse every line a restoring change touches
            lines = LineIndex(text)
            refused.extend(_lines_of(text, lines, c.start, c.end) for c in restoring)
            attempt = _pass(text, options, refused, origin)
    return _result(text, attempt.text, attempt.changes, attempt.findings, decoded)


@dataclass(slots=True)
class _Pass:
    """One run of the stages: the text it ends with, what it changed and found (in the
    input's offsets), and the map from its text back to the input."""

    text: str
    changes: list[Change]
    findings: list[Finding]
    offsets: _OffsetMap


def _pass(text: str, options: Options, refused: Sequence[tuple[int, int]], origin: Origin) -> _Pass:
    """The stages in order over ``text``; a change touching a ``refused`` span of the
    input, or one that would delete text, becomes a finding instead."""
    context = Context(options, origin=origin)
    current = text
    offsets = _OffsetMap()
    changes: list[Change] = []
    findings: list[Finding] = []
    for _name, stage in STAGES:
        out = stage(current, context)
        if out is None:
            continue
        protection = Protection.of(current, options) if out.changes or out.findings else None
        for finding in out.findings:
            if protection and protection.contains(finding.start, finding.end):
                continue  # the user protected it: nothing to report either
            start, end = offsets.to_original(finding.start, finding.end)
            findings.append(moved(finding, start=start, end=end))
        ordered: list[Change] = []
        for change in sorted(
            (c for c in out.changes if not (protection and protection.overlaps(c.start, c.end))),
            key=lambda c: (c.start, c.end),
        ):
            start, end = offsets.to_original(change.start, change.end)
            why = _refusal(change, start, end, refused, current)
            if why:
                located = moved(change, start=start, end=end)
                refusal = moved(Finding.from_change(located, change.reason), reason=why)
                findings.append(refusal)
                continue
            ordered.append(change)
            changes.append(moved(change, start=start, end=end))
        if not ordered:
            continue
        current = _apply(current, ordered)
        offsets.record(ordered)
    return _Pass(current, changes, findings, offsets)


def _refusal(
    change: Change, start: int, end: int, refused: Sequence[tuple[int, int]], text: str
) -> str:
    """Why ``change`` (at ``start``–``end`` of the input) must not be applied, or ``""``.

    >>> c = Change(Kind.MOJIBAKE, 0, 3, "r", 0.9, before="â šÂ", after="")
    >>> _refusal(c, 0, 3, [], "â šÂ") == _DELETES
    True
    >>> nbsp = Change(Kind.MOJIBAKE, 3, 4, "r", 0.9, before="혻", after="\xa0")
    >>> _refusal(nbsp, 3, 4, [], "GNU혻:")
    ''
    >>> lossy = Change(Kind.MOJIBAKE, 6, 7, "r", 0.9, before="Ä", after="")
    >>> _refusal(lossy, 6, 7, [], "SlovenÄ\ufffdina")  # Ä� → �: the lost character
    ''

    """
    # a no-break or ideographic space is a character restored (혻 → U+00A0 is UTF-8 C2 A0
    # read as CP949); only nothing, or ASCII blanks, would be text deleted
    deletes = (
        change.kind in RESTORING_KINDS
        and change.before.strip()
        and not change.after.strip(_ASCII_BLANKS)
    )
    if deletes and not _collapses_into_replacement(text, change):
        return _DELETES
    if any(start <= e and s <= end for s, e in refused):
        return _UNSTABLE
    return ""


# Characters of a UTF-8 sequence a single-byte reader shows before a lost byte: at most
# the lead and two continuation bytes of a four-byte sequence.
MAX_LOSSY_PREFIX = 3


def _collapses_into_replacement(text: str, change: Change) -> bool:
    """A lossy sequence (``Ä�``: a lead byte whose continuation was lost) is repaired by
    dropping what is shown of it beside the U+FFFD that stays for the lost character:
    not a deletion of text. The span must be short and hold no U+FFFD itself (a repair
    that swallowed ``â šÂ¬Ã¢â€�`` whole deleted ten characters)."""
    return (
        "\ufffd" not in change.before
        and len(change.before) <= MAX_LOSSY_PREFIX
        and "\ufffd" in (text[change.end : change.end + 1], text[change.start - 1 : change.start])
    )


def _lines_of(text: str, lines: LineIndex, start: int, end: int) -> tuple[int, int]:
    """The span of the whole input lines that ``start``–``end`` touches.

    >>> _lines_of("ab\\ncd\\nef", LineIndex("ab\\ncd\\nef"), 4, 5)
    (3, 5)
    """
    _, column = lines.position(start)
    return start - column + 1, line_end(text, max(start, end - 1))


def _origin(decoded: Decoded | None) -> Origin:
    """The typed fact the stages read: was this text decoded from a legacy encoding?"""
    if decoded is None or not is_legacy(decoded.encoding):
        return Origin.TEXT
    return (
        Origin.LEGACY_SINGLE_BYTE if is_single_byte(decoded.encoding) else Origin.LEGACY_MULTI_BYTE
    )


def detect(
    text: str, options: Options | None = None, *, decoded: Decoded | None = None
) -> Detection:
    """What ``repair`` would change and find, as findings, plus the script-variant map.

    Every would-be change becomes a ``Finding`` whose first candidate is the repair.
    """
    options = options or Options()
    result = repair(text, options, decoded=decoded)
    findings = [Finding.from_change(c, "applied by fix") for c in result.changes]
    findings.extend(result.findings)
    findings.sort(key=lambda f: (f.start, f.end))
    return Detection(
        findings=tuple(findings),
        passages=variant.passages(text, options),
        encoding=decoded.encoding if decoded else None,
        encoding_confidence=decoded.confidence if decoded else None,
        encoding_candidates=decoded.candidates if decoded else (),
    )


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
    index = LineIndex(original) if changes or findings else None
    all_changes = [_located(c, index) for c in changes] if index else []
    if decoded is not None and is_legacy(decoded.encoding):
        all_changes.insert(0, _decode_change(decoded))
    all_changes.sort(key=lambda c: (c.start, c.end, c.kind is not Kind.DECODE))
    return Result(
        text=text,
        original=original,
        changes=tuple(all_changes),
        findings=tuple(
            sorted((_located(f, index) for f in _one_report(findings)), key=lambda f: f.start)
        )
        if index
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


def _decode_change(decoded: Decoded) -> Change:
    """Transcoding a legacy file to UTF-8 is a change of the whole file."""
    return Change(
        Kind.DECODE,
        0,
        len(decoded.text),
        f"file was {decoded.encoding} (confidence {decoded.confidence:.2f}); written as UTF-8",
        decoded.confidence,
        before="",
        after="",
        line=1,
        column=1,
    )


_R = TypeVar("_R", Change, Finding)


def _located(record: _R, index: LineIndex) -> _R:
    """``record`` with its line and column filled in."""
    line, column = index.position(record.start)
    return moved(record, line=line, column=column)


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

    def to_current(self, span: tuple[int, int]) -> tuple[int, int]:
        """Where a span of the input that no region touches lies in the current text."""
        start, end = span
        delta = 0
        for cur_start, cur_end, orig_start, orig_end in self._regions:
            if orig_end > start:
                break
            delta += (cur_end - cur_start) - (orig_end - orig_start)
        return start + delta, end + delta

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
