"""Japanese and Korean paragraphs of the variant stage, told apart without segmenting.

Kana or hangul make a paragraph, or a whole document, Japanese or Korean
(``segment._Analysis._foreign``): its kanji or hanja are not Chinese script variants, so
the full analysis converts and reports nothing there, and what it finds depends only on
the other paragraphs. This module finds those Chinese paragraphs with the segmentation's
own rule, so that the stage's fast paths look at them alone: a Japanese or Korean
document costs the kana count (``_is_foreign`` stops once the rest of the text cannot
change the answer); a document that mixes such paragraphs with Chinese ones costs a pass
over its paragraphs, then the candidate scans of the Chinese ones (``_nothing_to_do``),
and when those are in one script and need converting, their conversion at once
(``whole_chinese``).

Why the rule can be decided here. The analysis marks a paragraph foreign when the whole
document is, or when ``_is_foreign`` holds on the paragraph's units, or when the document
has foreign paragraphs and every Han character of this one is in their national
character set. Its units cover the paragraph, except that a line labelled ``mixed`` can
be cut down to its runs of CJK text, which drops the Han-free text around them. So the
units span from the first line's start, or its first Han character, to the last line's
end, or just after its last Han character; they hold every Han character of the
paragraph and at most its kana. The share is therefore bounded by the two extremes, and
a line that lacks the candidates of either script is never ``mixed`` (evidence is a
subset of the candidates), so it is never cut. When the bounds disagree (a short
paragraph whose first or last line could be cut around many kana), the analysis decides.
"""

from __future__ import annotations

import bisect
import collections
import functools
import re

from fixenc.chars import LINE_BREAK
from fixenc.model import Change, Options, StageOutput
from fixenc.protect import Protection
from fixenc.stages.variant.evidence import (
    _BMP_HAN,
    _HAN,
    _PROBES_SIMP,
    _PROBES_TRAD,
    _SUPPLEMENTARY_HAN,
    _candidate_regex,
    _in_charset,
)
from fixenc.stages.variant.plan import _why
from fixenc.stages.variant.render import _convert_piece, _document_evidence, _document_reason
from fixenc.stages.variant.segment import (
    _KANA_HANGUL,
    _is_foreign,
    _national_charset,
    _paragraphs,
)
from fixenc.stages.variant.whole import _NOT_WHOLE, _whole_plan
from fixenc.targets import spec

Span = tuple[int, int]

# Kana or hangul are looked for in this many first characters before anything else: a
# Japanese or Korean document shows them in its first lines, and its share is counted
# at once (the candidate scans would find kanji or hanja everywhere, and the fast path's
# further checks cost more: computing protected regions alone was 24 ms per MB of
# Korean). A Chinese text pays a scan of 4,096 characters, about 4 µs.
KANA_PEEK = 4_096


def japanese_or_korean(text: str) -> bool | None:
    """Whether the analysis marks the whole document Japanese or Korean, when kana or
    hangul occur in its first ``KANA_PEEK`` characters; else ``None`` (not asked)."""
    if _KANA_HANGUL.search(text, 0, KANA_PEEK) is None:
        return None
    return _is_foreign(text, 0, len(text))


def chinese_spans(text: str, whole: bool | None = None) -> tuple[Span, ...] | None:
    """The runs of paragraphs the full analysis does not mark Japanese or Korean, or
    ``None`` when that depends on how a paragraph's lines are segmented. ``whole``:
    whether the whole document is Japanese or Korean, when already known. Below, 很好 is
    Japanese too: both characters are in JIS X 0208, and the document has a Japanese
    paragraph; 这 is not.

    >>> chinese_spans("東京の天気は晴れです。\\n\\n" + "我们这里很好。" * 9 + "\\n\\n很好\\n\\n这里\\n")
    ((13, 76), (82, 84))
    >>> chinese_spans("東京の天気は晴れです。\\n")
    ()
    """
    if whole is None:
        whole = _is_foreign(text, 0, len(text))
    if whole:
        return ()
    paragraphs = _paragraphs(text)
    # A paragraph's share is counted only where kana or hangul occur (one search per
    # such paragraph); they are no whitespace, so each lies inside a paragraph.
    by_share = [False] * len(paragraphs)
    starts = [start for start, _end in paragraphs]
    pos = 0
    while (m := _KANA_HANGUL.search(text, pos)) is not None:
        k = bisect.bisect_right(starts, m.start()) - 1
        start, pos = paragraphs[k]
        by_share[k] = _is_foreign(text, start, pos)
    codecs = tuple(
        dict.fromkeys(
            _national_charset(text, start, end)
            for (start, end), foreign in zip(paragraphs, by_share, strict=True)
            if foreign
        )
    )
    out: list[Span] = []
    joined = False  # the previous paragraph is Chinese: only blank lines between
    for (start, end), share in zip(paragraphs, by_share, strict=True):
        foreign = _marked(text, start, end, share, codecs)
        if foreign is None:
            return None
        if foreign:
            joined = False
        elif joined:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
            joined = True
    return tuple(out)


def _marked(text: str, start: int, end: int, share: bool, codecs: tuple[str, ...]) -> bool | None:
    """Whether the analysis marks the paragraph Japanese or Korean, given its own
    ``share`` and the document's foreign ``codecs``; ``None`` when the range of its units
    decides (the share of the paragraph says yes, that of its narrowest range no)."""
    if share:
        narrow = _narrowest(text, start, end)
        if narrow == (start, end) or _is_foreign(text, *narrow):
            return True
    if codecs and _in_their_charset(text, start, end, codecs):
        return True
    return None if share else False


def _in_their_charset(text: str, start: int, end: int, codecs: tuple[str, ...]) -> bool:
    """Every Han character here is in one of ``codecs`` (``_foreign_neighbourhood``):
    there is one, and none of the characters the codec lacks."""
    return _HAN.search(text, start, end) is not None and any(
        _lacking(codec).search(text, start, end) is None for codec in codecs
    )


@functools.cache
def _lacking(codec: str) -> re.Pattern[str]:
    """Every Han character that ``codec`` (``shift_jis``, ``euc_kr``) lacks, as one class:
    the BMP ones it cannot encode (about 14 ms per codec, once) and every supplementary
    one (both are two-byte BMP sets: a test checks)."""
    members = "".join(
        chr(i)
        for first, last in _BMP_HAN
        for i in range(first, last + 1)
        if not _in_charset.__wrapped__(chr(i), codec)  # not cached: 28,000 entries
    )
    return re.compile(f"[{re.escape(members)}{_SUPPLEMENTARY_HAN}]")


def _narrowest(text: str, start: int, end: int) -> Span:
    """The narrowest range the paragraph's units can span (see the module docstring):
    from the first Han character of its first line when that line can be ``mixed``, to
    just after the last Han character of its last line when that one can.

    >>> _narrowest("の東語の学の\\nです", 0, 9)
    (1, 9)
    """
    first_end = _line_end(text, start, end)
    last_start = _line_start(text, start, end)
    narrow_start, narrow_end = start, end
    if _mixable(text, start, first_end):
        m = _HAN.search(text, start, first_end)
        narrow_start = m.start() if m else start
    if _mixable(text, last_start, end):
        last = collections.deque(_HAN.finditer(text, last_start, end), maxlen=1)
        narrow_end = last[0].end() if last else end
    return narrow_start, narrow_end


def _mixable(text: str, start: int, end: int) -> bool:
    """Whether the line holds candidates of both scripts (else it is never ``mixed``)."""
    return all(_candidate_regex(p).search(text, start, end) for p in (_PROBES_TRAD, _PROBES_SIMP))


def _line_end(text: str, start: int, end: int) -> int:
    m = LINE_BREAK.search(text, start, end)
    return m.start() if m else end


def _line_start(text: str, start: int, end: int) -> int:
    return max(text.rfind("\n", start, end), text.rfind("\r", start, end)) + 1 or start


class _SpanCandidates:
    """``whole._Candidates`` for the Chinese spans only: whether they hold candidates of
    each script, one scan per span each, run only when asked."""

    def __init__(self, text: str, spans: tuple[Span, ...]) -> None:
        self._text = text
        self._spans = spans

    @functools.cached_property
    def trad(self) -> bool:
        return self._has(_PROBES_TRAD)

    @functools.cached_property
    def simp(self) -> bool:
        return self._has(_PROBES_SIMP)

    def absent(self, _pattern: re.Pattern[str] | None) -> bool:
        """Never known here (``whole._Candidates.absent`` answers for a whole text)."""
        return False

    def _has(self, probes: tuple[str, ...]) -> bool:
        pattern = _candidate_regex(probes)
        return any(pattern.search(self._text, start, end) for start, end in self._spans)


def whole_chinese(text: str, options: Options, spans: tuple[Span, ...]) -> StageOutput | None:
    """The Chinese ``spans`` converted at once when they are in one script: what the
    full analysis gives, as ``whole._whole_document`` gives it for a Chinese document;
    ``whole._NOT_WHOLE`` when that does not apply.

    The plan is ``whole._whole_plan``'s for the text with everything outside the spans
    blanked (``_blanked``: offsets, lines and paragraphs stay), so it sees the Chinese
    paragraphs alone. It holds only where the protected regions are those of the text
    itself; the changes are made in the spans only, and their reasons and confidence
    count the candidates of the whole text, Japanese paragraphs included, as the
    analysis does (``render._document_evidence``).
    """
    target = spec(options.target)
    if not target.converts:
        return _NOT_WHOLE
    plan = _whole_plan(_blanked(text, spans), options)
    if plan is None:
        return _NOT_WHOLE
    protection = Protection.of(text, options)
    if protection.spans != plan.protection.spans:
        return _NOT_WHOLE
    why = _why(plan.label, target)
    deciding, confidence = _document_evidence(text, protection, plan.probes)
    changes: list[Change] = []
    for seg_start, seg_end, config in plan.segments:
        reason = _document_reason(why, config, plan.label, deciding)
        for start, end in spans:
            for piece_start, piece_end in protection.free(max(seg_start, start), min(seg_end, end)):
                changes += _convert_piece(text, piece_start, piece_end, config, reason, confidence)
    return StageOutput(tuple(changes)) if changes else None


_LINE_CONTENT = re.compile(r"[^\r\n]+")


def _blanked(text: str, spans: tuple[Span, ...]) -> str:
    """``text`` with every character outside ``spans`` but the line breaks a space.

    >>> _blanked("東京の\\n\\n中文\\n\\nです\\n", ((5, 7),))
    '   \\n\\n中文\\n\\n  \\n'
    """
    pieces: list[str] = []
    kept = 0
    for start, end in [*spans, (len(text), len(text))]:
        gap = text[kept:start]
        pieces.append(_LINE_CONTENT.sub(lambda m: " " * len(m.group()), gap))
        pieces.append(text[start:end])
        kept = end
    return "".join(pieces)
