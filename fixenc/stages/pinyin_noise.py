"""Stage: remove pinyin noise that a converter inserted after characters, ``來(lái)源``.

Runs after mojibake repair, before script variant conversion — OpenCC's phrase
matching breaks on a word with an inserted annotation: ``头(tóu)发`` → ``頭(tóu)發``).

Some Simplified→Traditional converters append the pinyin of a fixed list of the
characters they produce, by blind string replacement: ``来源`` becomes ``來(lái)源``.
Pinyin in parentheses is also perfectly legitimate — a textbook's ``你(nǐ)好(hǎo)``, a
glossary's ``銀行(yínháng)``, a name's reading ``劉(Liú)`` — so an annotation is removed
only with positive evidence, all of:

1. the annotated character is one a Simplified→Traditional conversion produces (it
   differs from its Simplified form), and the annotation follows it directly;
2. the bracketed text is one lower-case syllable that is a reading of that character
   (tone marks ``lái``, tone numbers ``lai2``, or the neutral tone);
3. the document shows the pattern repeatedly (``MIN_REPEAT``), nearly every pinyin
   annotation in it fits (``MIN_SHARE``; a textbook also annotates 你, 好), and most sit
   inside running text (``MIN_INSIDE``; a glossary annotates headwords before a colon);
4. the line holds no legitimate-looking pinyin (an annotation that fails 1–2): such a
   line is pinyin-annotated on purpose, and all of it is kept;
5. the character carries the same reading everywhere: blind replacement inserts one
   fixed syllable per character (the seed's 調 is ``diào`` even in 協調), while a text
   that teaches 長(zhǎng)輩 and 長(cháng)度 annotates on purpose.

Candidates that pass 1–2 but not the document test are reported as findings.

>>> from fixenc.model import Context, Options
>>> text = "來(lái)源:新聞網(wǎng),導(dǎo)報(bào)記者"
>>> [(c.before, c.after) for c in stage(text, Context(Options())).changes]
[('(lái)', ''), ('(wǎng)', ''), ('(dǎo)', ''), ('(bào)', '')]
>>> stage("你(nǐ)們(men)好(hǎo)", Context(Options())) is None
True
"""

from __future__ import annotations

import functools
import heapq
import re
import unicodedata
from collections.abc import Iterator

from fixenc.chars import HAN, PINYIN_TEXT, LazyPattern, line_start, readings
from fixenc.convert import convert_with
from fixenc.model import Candidate, Change, Context, Finding, Kind, Op, StageOutput, Step
from fixenc.protect import Protection

# A Han character directly followed by a bracketed run of Latin letters (with tone marks,
# possibly as combining marks), tone digits, spaces, apostrophes or hyphens.
_ANNOTATION = LazyPattern(f"(?P<char>[{HAN}])(?P<note>[(（](?P<body>{PINYIN_TEXT})[)）])")
# Quick pre-scans: no bracket after a Han character, no annotation. Each opens with its
# bracket and looks behind for the Han character: opening with the Han class made the
# engine try a match at every character of Chinese text. One pattern per bracket: one
# opening with a single character is skipped to by the engine's literal loop, where one
# opening with the class ``[(（]`` tests every character against it (1.3 → 0.3 ms per MB
# of CJK or Cyrillic text for both, issue 12).
_QUICK = (
    LazyPattern(f"\\((?<=[{HAN}]\\()"),
    LazyPattern(f"\uff08(?<=[{HAN}]\uff08)"),
)
_TONE_MARK = LazyPattern(
    "[\u0101\u00e1\u01ce\u00e0\u0113\u00e9\u011b\u00e8\u012b\u00ed\u01d0\u00ec"
    "\u014d\u00f3\u01d2\u00f2\u016b\u00fa\u01d4\u00f9\u01d6\u01d8\u01da\u01dc"
    "\u0144\u0148\u01f9\u1e3f\u1ebf\u1ec1\u0300-\u0304\u030c]"
)
_TONE_NUMBER = LazyPattern(r"[a-zü:v]+[0-5]\b", re.IGNORECASE)

# The pattern must recur: the seed article carries 176 annotations on 59 characters; a
# document with two annotations gives too little evidence to tell noise from intent.
MIN_REPEAT = 3
# Share of the document's pinyin-looking annotations that must fit the noise pattern.
# Converter noise fits 100% (it annotates only converted characters); a Traditional
# textbook annotates every character, of which only about a third differ from
# Simplified, so it scores far below this.
MIN_SHARE = 0.8
# Share of fitting annotations that must be followed by another Han character (inside
# running text). The seed article: 156 of 176 (0.89); a glossary line "書(shū)：book"
# scores 0.
MIN_INSIDE = 0.5


def _normal(body: str) -> str:
    """The syllable in the spellings ``chars.readings`` knows (NFC, ü/u: as v for numbers)."""
    body = unicodedata.normalize("NFC", body)
    if body and body[-1].isdigit():
        body = body.replace("ü", "v").replace("u:", "v")
    return body


@functools.cache
def _is_converted(char: str) -> bool:
    """True when ``char`` is what a Simplified→Traditional conversion produces.

    >>> _is_converted("來"), _is_converted("你"), _is_converted("来")
    (True, False, False)
    """
    return any(convert_with(config, char) != char for config in ("t2s", "tw2s", "hk2s"))


def _fits(char: str, body: str) -> bool:
    """Rules 1–2: a converted character annotated with one of its readings, lower case."""
    if body != body.lower() or " " in body:
        return False
    return _is_converted(char) and _normal(body) in readings(char)


def _looks_like_pinyin(char: str, body: str) -> bool:
    """Any annotation a reader would take for pinyin (tone marks or numbers, or a
    toneless reading of the character)."""
    if _TONE_MARK.search(unicodedata.normalize("NFD", body)) or _TONE_NUMBER.search(body):
        return True
    return body.lower() in readings(char)


def stage(text: str, context: Context) -> StageOutput | None:
    """Remove converter-inserted pinyin; ``None`` after one scan when there is none."""
    if all(quick.search(text) is None for quick in _QUICK):
        return None
    # Protected regions cost a pass of their own patterns over the whole text, so they
    # are found only once a bracket holds something that looks like pinyin: most
    # brackets after Han text (了(EOF), 表(1)) never do.
    protection: Protection | None = None
    fitting: list[re.Match[str]] = []
    pinyin_like = 0
    tainted_lines: set[int] = set()  # starts of lines with legitimate-looking pinyin
    readings: dict[str, set[str]] = {}
    for m in _annotations(text):
        char, body = m.group("char"), m.group("body")
        if not _looks_like_pinyin(char, body):
            continue
        if protection is None:
            protection = Protection.of(text, context.options)
        if protection.overlaps(m.start(), m.end()):
            continue
        pinyin_like += 1
        if _fits(char, body):
            fitting.append(m)
            readings.setdefault(char, set()).add(_normal(body))
        else:
            tainted_lines.add(line_start(text, m.start()))
    # Rule 5: a character read two ways is annotated on purpose.
    deliberate = [m for m in fitting if len(readings[m.group("char")]) > 1]
    if deliberate:
        tainted_lines.update(line_start(text, m.start()) for m in deliberate)
        fitting = [m for m in fitting if len(readings[m.group("char")]) == 1]
    if not fitting:
        return None
    inside = sum(1 for m in fitting if _HAN_AT.match(text, m.end()))
    share = len(fitting) / pinyin_like
    inside_share = inside / len(fitting)
    pattern = len(fitting) >= MIN_REPEAT and share >= MIN_SHARE and inside_share >= MIN_INSIDE
    usable = [m for m in fitting if line_start(text, m.start()) not in tainted_lines]
    if not pattern:
        if share < MIN_SHARE or inside_share < MIN_INSIDE:
            return None  # pinyin on purpose (textbook, glossary): nothing to say
        return StageOutput(findings=tuple(_finding(m, len(fitting)) for m in usable))
    # Confidence: the pattern's strength, n/(n+1) as in the variant stage, times how
    # cleanly the document fits it.
    confidence = len(fitting) / (len(fitting) + 1) * share
    changes = tuple(
        Change(
            kind=Kind.ANNOTATION,
            start=m.start("note"),
            end=m.end("note"),
            before=m.group("note"),
            after="",
            reason=(
                f"pinyin inserted by a converter: {m.group('body')!r} is a reading of "
                f"{m.group('char')}, a character Simplified→Traditional conversion produces; "
                f"the document carries {len(fitting)} such annotations"
            ),
            confidence=confidence,
            steps=(Step(Op.DELETE),),
        )
        for m in usable
    )
    return StageOutput(changes=changes) if changes else None


_HAN_AT = LazyPattern(f"[{HAN}]")


def _annotations(text: str) -> Iterator[re.Match[str]]:
    """``_ANNOTATION``'s matches, found from the brackets ``_QUICK`` skips to in C (both
    kinds, in the order of the text): a search opening with the Han class tries a match
    at every character of Chinese text. An annotation holds one bracket, right after its
    character, so each bracket gives at most one match and none overlap.

    >>> [m.group() for m in _annotations("來(lái)源(x) (y)長(zhǎng)")]
    ['來(lái)', '源(x)', '長(zhǎng)']
    """
    brackets = heapq.merge(*((q.start() for q in quick.finditer(text)) for quick in _QUICK))
    for at in brackets:
        m = _ANNOTATION.match(text, at - 1)
        if m is not None:
            yield m


def _finding(m: re.Match[str], count: int) -> Finding:
    return Finding(
        kind=Kind.ANNOTATION,
        start=m.start("note"),
        end=m.end("note"),
        text=m.group("note"),
        reason=(
            f"looks like converter-inserted pinyin after {m.group('char')}, but the document "
            f"shows the pattern only {count} time(s) (at least {MIN_REPEAT} needed to remove it)"
        ),
        confidence=count / (count + 1),
        candidates=(Candidate("", count / (count + 1), "remove the annotation"),),
    )
