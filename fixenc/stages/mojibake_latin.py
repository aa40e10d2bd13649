"""Stage: repair Latin mojibake and Unicode hygiene, via ftfy in a restricted configuration.
 ftfy is the best tool for UTF-8 read as Windows-1252/Latin-1
(``CafÃ©`` → ``Café``), but its defaults rewrite correct text: NFKC on full-width forms
turns ``你好，世界！`` into ``你好,世界!``, quotes are uncurled, line breaks and ligatures
normalised. fixenc turns every such style fix off and keeps only the ones that undo damage.

Why it is safe: ftfy runs only on lines that contain a UTF-8-lead-plus-continuation pair
as seen through Windows-1252 (or a C1 control / lone surrogate); each result is split into
per-span changes that are replayed from their recorded steps before they are accepted, and
a span that ftfy's own badness measure still calls bad after the repair (a partial fix,
such as GBK-read-as-Latin-1 ``ÖÐÎÄ±àÂë`` → ``ÖÐÎıàÂë``) is reported instead of applied.

Turn it off with ``Options`` stages (not yet exposed) when a file legitimately contains
such byte-pair sequences, e.g. a table of mojibake examples.

>>> from fixenc.model import Context, Options
>>> out = stage("Caf\\u00c3\\u00a9 au lait", Context(Options()))
>>> [(c.before, c.after) for c in out.changes]
[('Ã©', 'é')]
"""

from __future__ import annotations

import difflib
import re

from ftfy import TextFixerConfig, fix_and_explain
from ftfy.badness import is_bad

from fixenc.chars import CP1252_HIGH, LINE
from fixenc.model import Candidate, Change, Context, Finding, Kind, Op, StageOutput, Step
from fixenc.plausibility import evidence
from fixenc.replay import replay

# Only fixes that undo damage; every style normalisation is off (see module docstring).
_CONFIG = TextFixerConfig(
    unescape_html=False,  # &amp; in HTML or code is correct text, not damage
    remove_terminal_escapes=False,  # escapes in logs are content
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,  # ﬁ is a style choice
    fix_character_width=False,  # NFKC narrows full-width CJK punctuation
    uncurl_quotes=False,  # curly quotes are correct text
    fix_line_breaks=False,  # newline style is kept by the file layer
    fix_surrogates=True,
    remove_control_chars=False,  # control characters can be content
    normalization=None,  # NFC would rewrite text that was never damaged
    explain=True,
)

# Windows-1252's view of UTF-8 continuation bytes 0x80–0xBF (0x80–0x9F are the cp1252
# specials, kept as C1 code points where cp1252 leaves them undefined).
_CONT = f"\u0080-\u00bf{CP1252_HIGH}"
# A whole UTF-8 sequence seen through Latin-1/cp1252 — a lead byte with as many
# continuation bytes as it announces (2-, 3- and 4-byte forms) — or a C1 control
# character, or a lone surrogate. Requiring the whole sequence keeps correct text such
# as "café’s" (é then a curly apostrophe, one continuation short of a 3-byte form) off
# the slow path; nothing that fails this test can make ftfy act with _CONFIG.
_SUSPECT = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
    "|[\u0080-\u009f]|[\ud800-\udfff]"
)

# ftfy gives no score; a round-trip repair that replays exactly is near certain, a
# repair by a partial heuristic (decode_inconsistent_utf8, lossy sequences) less so.
CONFIDENCE_ROUND_TRIP = 0.95
CONFIDENCE_HEURISTIC = 0.8
# Equal runs this short between two edits are merged into one change: a mojibake word
# such as "rÃ©sumÃ©" is one repair, not two.
MERGE_GAP = 2


def stage(text: str, context: Context) -> StageOutput | None:
    """Repair Latin mojibake line by line; ``None`` when no line is suspect."""
    if not _SUSPECT.search(text):
        return None
    changes: list[Change] = []
    findings: list[Finding] = []
    for match in LINE.finditer(text):
        line = match.group()
        if not line or not _SUSPECT.search(line):
            continue
        fixed, plan = fix_and_explain(line, config=_CONFIG)
        if fixed == line or not plan:
            continue
        steps = tuple(Step(Op(op), arg) for op, arg in plan)
        base = match.start()
        for start, end, after in _spans(line, fixed):
            before = line[start:end]
            if evidence.quoted_on_purpose(
                text, base + start, base + end, source_code=context.options.is_source_code
            ):
                continue
            if is_bad(after):
                # Judged on every plan, not only decoding ones: the plan ftfy picks for
                # a line depends on its other spans, and fixing twice must equal fixing once.
                findings.append(
                    Finding(
                        kind=Kind.MOJIBAKE if _mojibake_steps(steps) else Kind.HYGIENE,
                        start=base + start,
                        end=base + end,
                        text=before,
                        reason="looks damaged, but ftfy's repair still looks damaged; not applied",
                        confidence=CONFIDENCE_HEURISTIC,
                        candidates=(Candidate(after, CONFIDENCE_HEURISTIC, "ftfy"),),
                    )
                )
                continue
            changes.append(_change(base + start, base + end, before, after, steps))
    if not changes and not findings:
        return None
    return StageOutput(tuple(changes), tuple(findings))


def _change(start: int, end: int, before: str, after: str, steps: tuple[Step, ...]) -> Change:
    try:
        replays = replay(steps, before) == after
    except (ValueError, UnicodeError):
        replays = False
    exact = replays and all(s.op in (Op.ENCODE, Op.DECODE, Op.TRANSCODE) for s in steps)
    kind = Kind.MOJIBAKE if _mojibake_steps(steps) else Kind.HYGIENE
    return Change(
        kind=kind,
        start=start,
        end=end,
        before=before,
        after=after,
        reason=_reason(steps),
        confidence=CONFIDENCE_ROUND_TRIP if exact else CONFIDENCE_HEURISTIC,
        steps=steps if replays else (Step(Op.REPLACE, after),),
    )


def _mojibake_steps(steps: tuple[Step, ...]) -> bool:
    return any(
        s.op is Op.DECODE or s.arg in ("decode_inconsistent_utf8", "replace_lossy_sequences")
        for s in steps
    )


def _reason(steps: tuple[Step, ...]) -> str:
    encodes = [s.arg for s in steps if s.op is Op.ENCODE]
    decodes = [s.arg for s in steps if s.op is Op.DECODE]
    if encodes and decodes:
        return f"{decodes[-1]} text read as {encodes[0].removeprefix('sloppy-')} (ftfy)"
    if any(s.arg == "decode_inconsistent_utf8" for s in steps):
        return "UTF-8 read as Windows-1252 inside otherwise correct text (ftfy)"
    names = ", ".join(s.arg for s in steps)
    return f"Unicode hygiene: {names} (ftfy)"


def _spans(before: str, after: str) -> list[tuple[int, int, str]]:
    """The edited spans of one line as (start, end, replacement).

    Nearby edits merge, and each span widens over neighbouring Latin-1/cp1252
    characters that the diff happened to align as equal (``Å“`` → ``“`` keeps the
    ``“``), so that the recorded steps replay on the span alone.
    """
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    spans: list[list[int]] = []  # [i1, i2, j1, j2]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= MERGE_GAP:
            spans[-1][1], spans[-1][3] = i2, j2
        else:
            spans.append([i1, i2, j1, j2])
    for span in spans:
        i1, i2, j1, j2 = span
        while (
            i1 > 0 and j1 > 0 and before[i1 - 1] == after[j1 - 1] and _WIDEN.match(before[i1 - 1])
        ):
            i1, j1 = i1 - 1, j1 - 1
        while (
            i2 < len(before)
            and j2 < len(after)
            and before[i2] == after[j2]
            and _WIDEN.match(before[i2])
        ):
            i2, j2 = i2 + 1, j2 + 1
        span[:] = [i1, i2, j1, j2]
    merged: list[list[int]] = []
    for span in spans:
        if merged and span[0] <= merged[-1][1]:
            merged[-1][1], merged[-1][3] = span[1], span[3]
        else:
            merged.append(span)
    return [(i1, i2, after[j1:j2]) for i1, i2, j1, j2 in merged]


# Characters a single-byte codec can produce from UTF-8 bytes: what a span may widen over.
_WIDEN = re.compile(f"[\u00a0-\u00ff{_CONT}]")
