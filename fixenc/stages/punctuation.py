"""Stage: restore CJK punctuation (optional): ASCII ``, : ; ! ? ( )`` in Chinese → full width.

Runs last, and only with ``Options.cjk_punctuation`` (``--cjk-punctuation``).
Converters and byte-level find-and-replace narrow full-width punctuation to ASCII
(``工作，打赢`` → ``工作,打赢``). Widening it back is a style choice, so it is off by
default.

Why it is safe: a mark is widened only between two CJK characters (Han, or CJK
punctuation and quotes); a pair of parentheses only when it encloses Han text without
Latin letters (so ``你(nǐ)`` pinyin and ``f(x)`` stay) and stands between CJK text or
line boundaries. Protected regions (URLs, code, ``fixenc: off``) are never touched, and
``时间:12:30`` keeps its colons because a digit is not CJK.

>>> from fixenc.model import Context, Options
>>> out = stage("来源:各界导报,记者(张三)报道", Context(Options(cjk_punctuation=True)))
>>> "".join(c.after for c in out.changes)
'：，（）'
>>> stage("你(nǐ)好(hǎo)", Context(Options(cjk_punctuation=True))) is None
True
"""

from __future__ import annotations

import re

from fixenc.chars import CJK_PUNCT, HAN, NARROWED, LazyPattern
from fixenc.model import Change, Context, Kind, Op, StageOutput, Step
from fixenc.protect import Protection

# The marks widened: every narrowed mark but the full stop, which ASCII text between Han
# characters uses too (3.5 版, v2.0 的) and which maps to 。, not to a wider form of itself.
_WIDE = {mark: wide for mark, wide in NARROWED.items() if mark != "."}
# CJK neighbours: Han, CJK symbols and punctuation, full-width forms, curly quotes.
_CJK = f"{HAN}{CJK_PUNCT}"
_MARK = LazyPattern(f"(?<=[{_CJK}])[,:;!?](?=[{_CJK}])")
# A parenthesised run of Han text (no Latin letters, no nested parentheses) between CJK
# characters or line boundaries.
_PAREN = LazyPattern(
    f"(?:(?<=[{_CJK}])|(?<![^\\r\\n]))\\((?=[^()\\r\\n]*[{HAN}])[^()\\r\\nA-Za-z]*\\)(?=[{_CJK}]|\\r|\\n|$)"
)
_QUICK = LazyPattern(f"[{_CJK}][,:;!?(]|[,:;!?)][{_CJK}]|\\)\r?$", re.MULTILINE)

# Rounds of widening: each round can only enable marks next to the ones it widened, and
# real text has at most a bracket, a mark and a quote in a row.
MAX_ROUNDS = 4
# Every widened mark met the rule above; what is left uncertain is only whether the
# author wanted ASCII there, which the user answered by asking for this stage.
CONFIDENCE = 0.9


def stage(text: str, context: Context) -> StageOutput | None:
    """Widen ASCII punctuation in CJK context; ``None`` unless asked for and needed."""
    options = context.options
    if not options.cjk_punctuation or not _QUICK.search(text):
        return None
    protection = Protection.of(text, options)
    # Widening one mark makes it a CJK neighbour of the next ("(们!)": once the
    # parentheses are wide, "!" sits between CJK characters), so repeat to a fixed point;
    # every replacement keeps the length, so positions stay valid.
    positions: set[int] = set()
    current = text
    for _ in range(MAX_ROUNDS):
        found = {m.start() for m in _MARK.finditer(current)}
        for m in _PAREN.finditer(current):
            found.update((m.start(), m.end() - 1))
        found = {i for i in found - positions if not protection.overlaps(i, i + 1)}
        if not found:
            break
        positions |= found
        chars = list(current)
        for i in found:
            chars[i] = _WIDE[chars[i]]
        current = "".join(chars)
    changes = tuple(
        Change(
            kind=Kind.PUNCTUATION,
            start=i,
            end=i + 1,
            before=text[i],
            after=_WIDE[text[i]],
            reason=f"ASCII {text[i]!r} in Chinese text → full-width {_WIDE[text[i]]!r} "
            "(--cjk-punctuation)",
            confidence=CONFIDENCE,
            steps=(Step(Op.WIDEN),),
        )
        for i in sorted(positions)
    )
    return StageOutput(changes=changes) if changes else None
