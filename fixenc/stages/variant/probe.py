"""The OpenCC probe of the variant stage: which positions a configuration changes.

Every question the stage asks OpenCC ("would ``s2t`` change this character here?",
"which spans differ between this text and its conversion?") goes through these helpers,
so that the per-character comparison stays in one place.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import operator
import re

from fixenc.convert import convert_with

# Widening a change that does not replay on its own (a phrase needs its neighbour):
# OpenCC's phrase keys are at most a few characters, so a few steps either side suffice.
REPLAY_WIDEN_MAX = 4

# Equal-length conversions are compared chunk by chunk (string equality runs in C) and
# character by character only inside differing chunks; 256 is a few lines of prose.
_CHUNK = 256


def _changed(text: str, config: str) -> set[int]:
    """The positions of ``text`` that ``config`` would change, in context."""
    out = convert_with(config, text)
    if out == text:
        return set()
    if len(out) == len(text):
        positions: set[int] = set()
        for base in range(0, len(text), _CHUNK):
            a, b = text[base : base + _CHUNK], out[base : base + _CHUNK]
            if a != b:
                positions.update(base + i for i in range(len(a)) if a[i] != b[i])
        return positions
    return {i for i1, i2, _j1, _j2 in _diff(text, out) for i in range(i1, i2)}


# Characters no OpenCC configuration rewrites: line breaks and CJK sentence punctuation.
# Two texts split at them line up piece by piece, which keeps every diff small (difflib is
# quadratic in the length it is given). Line breaks come first: no OpenCC dictionary key
# holds one, so the lines of a text and of its conversion always pair up.
_LINE_BREAK = re.compile("([\r\n])")
_ANCHOR = re.compile("([。！？，；])")


def _diff(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The differing (i1, i2, j1, j2) spans of ``a`` and its conversion ``b``.

    Line by line, then piece by piece between anchors; pieces of equal length compare
    position by position, others through difflib. Each span depends only on its own line,
    so a text gives the same spans whether it is converted whole or line by line.

    >>> _diff("头发\\n算法", "頭髮\\n演算法")
    [(0, 2, 0, 2), (3, 3, 3, 4)]
    """
    if len(a) == len(b) and _breaks(a) == _breaks(b):
        # Every line keeps its length: the per-line runs are the runs of the whole text
        # (a run never crosses a line break, which is the same character in both).
        return [(k, m, k, m) for k, m in _runs(a, b)]
    spans: list[tuple[int, int, int, int]] = []
    for i, j, x, y in _aligned(a, b, _LINE_BREAK):
        if len(x) == len(y):
            spans += [(i + k, i + m, j + k, j + m) for k, m in _runs(x, y)]
            continue
        for i2, j2, xp, yp in _aligned(x, y, _ANCHOR):
            if len(xp) == len(yp):
                spans += [
                    (i + i2 + k, i + i2 + m, j + j2 + k, j + j2 + m) for k, m in _runs(xp, yp)
                ]
                continue
            matcher = difflib.SequenceMatcher(None, xp, yp, autojunk=False)
            spans += [
                (i + i2 + i1, i + i2 + i3, j + j2 + j1, j + j2 + j3)
                for tag, i1, i3, j1, j3 in matcher.get_opcodes()
                if tag != "equal"
            ]
    return spans


_BREAK = re.compile("[\r\n]")


def _breaks(text: str) -> list[int]:
    """The positions of the line breaks of ``text``."""
    return [m.start() for m in _BREAK.finditer(text)]


def _aligned(a: str, b: str, anchor: re.Pattern[str]) -> list[tuple[int, int, str, str]]:
    """The differing pieces of ``a`` and ``b`` between anchors, with their offsets; the
    whole texts as one piece when the anchors do not pair up."""
    a_parts, b_parts = anchor.split(a), anchor.split(b)
    if len(a_parts) != len(b_parts):
        return [(0, 0, a, b)] if a != b else []
    out: list[tuple[int, int, str, str]] = []
    i = j = 0
    for x, y in zip(a_parts, b_parts, strict=True):
        if x != y:
            out.append((i, j, x, y))
        i += len(x)
        j += len(y)
    return out


# From this length on, equal-length texts are compared as integers (see ``_differing``).
# Below it, walking the characters is as fast; measured on 1 MB of Chinese, the integer
# comparison took a third of the time of the character walk.
_WIDE_COMPARE = 4096


def _differing(x: str, y: str) -> list[int]:
    """The positions where equal-length ``x`` and ``y`` differ.

    Walking two CJK strings in Python creates a string object per character; for long
    texts both are encoded as UTF-32 and XORed as two integers (in C), and the positions
    are the nonzero 32-bit words of the result.

    >>> _differing("我们的软件", "我們的軟體"), _differing("ab" * 3000, "ab" * 2999 + "aB")
    ([1, 3, 4], [5999])
    """
    if len(x) < _WIDE_COMPARE:
        return list(itertools.compress(itertools.count(), map(operator.ne, x, y)))
    a = x.encode("utf-32-le", "surrogatepass")
    b = y.encode("utf-32-le", "surrogatepass")
    xor = (int.from_bytes(a, "little") ^ int.from_bytes(b, "little")).to_bytes(len(a), "little")
    return list(itertools.compress(itertools.count(), memoryview(xor).cast("I")))


def _runs(x: str, y: str) -> list[tuple[int, int]]:
    """The runs ``[k, m)`` where equal-length ``x`` and ``y`` differ.

    >>> _runs("我们的软件", "我們的軟體")
    [(1, 2), (3, 5)]
    """
    at = _differing(x, y)
    if not at:
        return []
    # A run starts where a position does not follow the one before, and ends likewise.
    starts = [k for k, before in zip(at, [-2, *at[:-1]], strict=True) if k != before + 1]
    ends = [k + 1 for k, after in zip(at, [*at[1:], -2], strict=True) if after != k + 1]
    return list(zip(starts, ends, strict=True))


@functools.cache
def _changes_alone(config: str, char: str) -> bool:
    return convert_with(config, char) != char
