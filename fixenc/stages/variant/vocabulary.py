"""Regional vocabulary of the variant stage: mainland words in Traditional text.

OpenCC's Taiwan phrase table maps mainland words to Taiwan ones (软件→軟體, 信息→資訊);
Traditional text still carrying the mainland word was very likely machine-converted.
"""

from __future__ import annotations

from fixenc.convert import convert_with
from fixenc.protect import Protection
from fixenc.stages.variant.evidence import _HAN
from fixenc.stages.variant.prefilter import prefilters
from fixenc.stages.variant.probe import REPLAY_WIDEN_MAX, _diff


def _mainland_words(
    text: str, protection: Protection, first: int = 0, last: int | None = None
) -> list[tuple[int, int, str, str]]:
    """Mainland words in Traditional text, found through OpenCC's Taiwan phrase table.

    ``s2tw`` and ``s2twp`` differ only by that table, so where they disagree on the
    Simplified form of the text, the text holds a word the table maps to Taiwan usage.
    Each hit widens to the shortest span that triggers the phrase on its own, i.e. the
    word itself. Only ``[first, last)`` is looked at (the whole text by default).

    The three passes run only over the lines where the prefilter finds a string that
    can become a phrase-table key (``prefilter``); elsewhere the two conversions agree.
    OpenCC converts each line on its own, so the lines' passes are the text's.
    """
    out: list[tuple[int, int, str, str]] = []
    filters = prefilters()
    for start, end in protection.free(first, len(text) if last is None else last):
        piece = text[start:end]
        if not _HAN.search(piece):
            continue
        if filters is None:
            spans = _lines(piece)
        elif not (spans := filters.mainland_lines(piece)):
            continue
        lines = [piece[s:e] for s, e in spans]
        joined = "\n".join(lines)
        simplified = convert_with("t2s", joined)
        plain = convert_with("s2tw", simplified)
        phrased = convert_with("s2twp", simplified)
        if plain == phrased:
            continue
        # The text's conversion keeps its length unless one of these lines changes its
        # own (the other lines hold no key that could: see ``prefilter``).
        if len(plain) != len(joined):
            continue
        offsets = [s for s, _e in spans]
        plain_lines, phrased_lines = plain.split("\n"), phrased.split("\n")
        for offset, a, b in zip(offsets, plain_lines, phrased_lines, strict=True):
            if a == b:
                continue
            for i1, i2, _j1, _j2 in _diff(a, b):
                word = _phrase_around(piece, offset + i1, offset + i2)
                if word is None:
                    continue
                s, e = word
                if out and out[-1][1] > start + s:
                    continue  # one phrase can yield several diff opcodes
                taiwan = convert_with("s2twp", convert_with("t2s", piece[s:e]))
                out.append((start + s, start + e, piece[s:e], taiwan))
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each line of ``text``, without its "\\n".

    >>> _lines("ab\\n\\nc")
    [(0, 2), (3, 3), (4, 5)]
    """
    out: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        out.append((start, start + len(line)))
        start += len(line) + 1
    return out


def _phrase_around(text: str, i1: int, i2: int) -> tuple[int, int] | None:
    for extra in range(REPLAY_WIDEN_MAX + 1):
        for left in range(extra + 1):
            s, e = i1 - left, i2 + extra - left
            if s < 0 or e > len(text) or e - s < 2:
                continue
            word = text[s:e]
            simplified = convert_with("t2s", word)
            if convert_with("s2tw", simplified) != convert_with("s2twp", simplified):
                return s, e
    return None
