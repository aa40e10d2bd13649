"""The OpenCC probe of the variant stage: which positions a configuration changes.

Every question the stage asks OpenCC ("would ``s2t`` change this character here?",
"which spans differ between this text and its conversion?") goes through these helpers,
so that the per-character comparison stays in one place.
"""

from __future__ import annotations

import difflib
import functools
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
# quadratic in the length it is given).
_ANCHOR = re.compile("([\r\n。！？，；])")


def _diff(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """The differing (i1, i2, j1, j2) spans of ``a`` and its conversion ``b``."""
    a_parts, b_parts = _ANCHOR.split(a), _ANCHOR.split(b)
    if len(a_parts) != len(b_parts):
        a_parts, b_parts = [a], [b]
    spans: list[tuple[int, int, int, int]] = []
    i = j = 0
    for x, y in zip(a_parts, b_parts, strict=True):
        if x != y:
            if len(x) == len(y):
                k = 0
                while k < len(x):
                    if x[k] == y[k]:
                        k += 1
                        continue
                    m = k
                    while m < len(x) and x[m] != y[m]:
                        m += 1
                    spans.append((i + k, i + m, j + k, j + m))
                    k = m
            else:
                matcher = difflib.SequenceMatcher(None, x, y, autojunk=False)
                spans += [
                    (i + i1, i + i2, j + j1, j + j2)
                    for tag, i1, i2, j1, j2 in matcher.get_opcodes()
                    if tag != "equal"
                ]
        i += len(x)
        j += len(y)
    return spans


@functools.cache
def _changes_alone(config: str, char: str) -> bool:
    return convert_with(config, char) != char
