"""Stage: repair mojibake that lost bytes, and flag damage that cannot be undone (after
the round-trip stages).

What it fixes: most mojibake met in the wild is lossy. Two families are searched:

* **UTF-8 read as a double-byte codec with replacement** (``涓�鏂囩紪鐮佹祴璇�`` for
  中文编码测试): every U+FFFD stands for one byte the reader could not place. Each lost
  byte is enumerated among the values that keep the UTF-8 stream valid.
* **A double-byte stream knocked out of step** by byte-level insertions or replacements
  (``規(guī)?;?`` for 規模化, ``當(dāng)?shù)仄髽I`` for 當地企業): a lone lead byte was shown as
  ``?`` (sometimes swallowing the following ASCII byte), a narrowed full-width punctuation
  mark took the place of two bytes, an inserted annotation split a character. Each ``?``
  is enumerated as the lost byte; each neighbouring punctuation mark is tried as its
  full-width original; each neighbouring ``(pinyin)`` is tried as an insertion (kept as
  evidence only when its reading matches the character it split).

The whole-span decodings are ranked with the plausibility model; the winner is applied
only when it is plausible and clearly ahead of the runner-up and of the text as it is.
Otherwise a Finding lists the top candidates with their scores.

What it flags, never invents: ``锟斤拷`` (U+FFFD saved as UTF-8 and read as GBK), runs
of U+FFFD, ``烫烫烫``/``屯屯屯`` (uninitialised MSVC memory read as GBK), runs of ``?`` in
place of CJK characters. These are ``UNRECOVERABLE`` findings.

>>> from fixenc.model import Context, Options
>>> out = stage("规(guī)?;?、组织化", Context(Options()))
>>> [(c.before, c.after) for c in out.changes]
[('?;?', '模化')]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from fixenc import plausibility
from fixenc.model import (
    Change,
    Context,
    Finding,
    Kind,
    Op,
    StageOutput,
    Step,
    reported_only,
)
from fixenc.plausibility import evidence
from fixenc.stages.lost_bytes.cost import (
    MIN_LEAD,
    TOP_CANDIDATES,
    Loss,
    LostSpan,
    Reading,
    candidates,
)
from fixenc.stages.lost_bytes.dbcs import dbcs_lost
from fixenc.stages.lost_bytes.unrecoverable import flag
from fixenc.stages.lost_bytes.utf8 import utf8_lost

__all__ = ["Reading", "stage"]

# The lead a UTF-8 reading needs. Measured on the clean catalogues read as GBK and
# Shift_JIS with replacement (scripts/build_clean_corpus.py, 400 lines, with the
# one-character rule below): a lead of 8 dB applied 276 readings, 247 right (89 %);
# 10 dB applied 256, 234 right (91 %); 12 dB applied 236, 218 right (92 %). The wrong
# ones are mostly a final character with no right-hand context (页边距 → 页边路). 8 keeps
# recoveries such as 涓�鏂囩紪鐮佹祴璇� → 中文编码测试 (8.4 dB ahead of 中文编码测评).
MIN_LEAD_UTF8 = 8.0
# A self-contained reading (a UTF-8 span) must hold at least this many CJK characters.
MIN_CJK_SELF_CONTAINED = 2
CONFIDENCE_CLEAR = 0.8
CONFIDENCE_CANDIDATES = 0.5


def stage(text: str, context: Context) -> StageOutput | None:
    """See ``_stage``. In text decoded from a legacy file, a lost-byte reading is a
    guess about the file's history, not about our decoding: reported, not applied."""
    out = _stage(text, context)
    if context.origin.legacy:
        return reported_only(out, "lost bytes; not applied to text decoded from a legacy file")
    return out


def _stage(text: str, context: Context) -> StageOutput | None:
    """Repair lost-byte mojibake and flag unrecoverable damage; ``None`` on clean text."""
    if not plausibility.has_suspects(text, context):
        return None
    options = context.options
    changes: list[Change] = []
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for start, end, readings, loss in _damaged_spans(text, options.lang, context):
        if any(start < e and end > s for s, e in taken):
            continue
        if evidence.quoted_on_purpose(text, start, end, source_code=context.options.is_source_code):
            continue  # a library about encodings quotes garble on purpose
        before = text[start:end]
        if not _surviving_bytes(before):
            continue  # nothing of the original survives: flagged below as unrecoverable
        best = readings[0] if readings else None
        self_contained = loss is Loss.UTF8
        if best is not None and _clear_winner(before, readings, self_contained):
            taken.append((start, end))
            changes.append(
                Change(
                    kind=Kind.MOJIBAKE,
                    start=start,
                    end=end,
                    before=before,
                    after=best.text,
                    reason=f"{loss.value}: {best.hypothesis}",
                    confidence=CONFIDENCE_CLEAR,
                    steps=(Step(Op.REPLACE, best.text),),
                )
            )
        elif readings:
            taken.append((start, end))
            findings.append(
                Finding(
                    kind=Kind.MOJIBAKE,
                    start=start,
                    end=end,
                    text=before,
                    reason=f"{loss.value}; no candidate is clearly ahead, left unchanged",
                    confidence=CONFIDENCE_CANDIDATES,
                    candidates=candidates(readings[:TOP_CANDIDATES]),
                )
            )
    findings.extend(flag(text, context, taken))
    if not changes and not findings:
        return None
    return StageOutput(tuple(changes), tuple(findings))


def _surviving_bytes(span: str) -> bool:
    """A span of U+FFFD whose other non-ASCII characters are none kept nothing of the
    original bytes: every "reading" of it would be invented (``备注：���`` offered 開, 間,
    運). Out-of-step spans (``?;?``) carry their surviving bytes as ASCII and pass."""
    return "\ufffd" not in span or any(not ch.isascii() and ch != "\ufffd" for ch in span)


def _clear_winner(before: str, readings: Sequence[Reading], self_contained: bool) -> bool:
    """The best reading leads the runner-up by MIN_LEAD, and a self-contained one (a
    whole UTF-8 span) is plausible on its own; a reading of a few characters inside a
    sentence was already ranked in its context."""
    best = readings[0]
    if self_contained:
        score = plausibility.score(best.text)
        if not score.plausible or score.cjk < MIN_CJK_SELF_CONTAINED:
            return False  # one character from one lost byte is a guess, not a recovery
    runner = readings[1].cost if len(readings) > 1 else float("inf")
    return runner - best.cost >= (MIN_LEAD_UTF8 if self_contained else MIN_LEAD)


def _damaged_spans(text: str, lang: str | None, context: Context) -> Iterator[LostSpan]:
    """(start, end, readings best first, how bytes were lost) for each damaged span."""
    seen_end = -1
    for s, e in plausibility.suspects(text, context):
        if s < seen_end:
            continue
        chunk = text[s:e]
        if s > 0 and text[s - 1] == "\ufffd" and not chunk.strip("\ufffd"):
            continue  # inside a run of U+FFFD its first character already looked at
        if "\ufffd" in chunk:
            found = utf8_lost(text, s, lang)
            if found:
                seen_end = found[1]
                yield found
                continue
        if "?" in chunk:
            found = dbcs_lost(text, s + chunk.index("?"), lang)
            if found:
                seen_end = found[1]
                yield found
