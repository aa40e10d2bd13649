"""Encoding declarations inside a file: HTML ``<meta charset>`` and ``<?xml encoding?>``.

Stage: decode (its way back, for a legacy file written as UTF-8). A page transcoded to
UTF-8 that still says ``<meta charset=euc-jp>`` is misread by every browser, and an XML
file that still says ``encoding="gbk"`` by every parser. So when fixenc transcodes a
file, the declaration is updated to UTF-8 as one more recorded change (kind ``decode``,
replayable as a replacement). A file written back in its own encoding
(``--keep-encoding``) keeps its declaration.

Only the start of the file is searched (HTML requires the meta charset within its first
1024 bytes; the XML declaration comes first), and only markup: a declaration quoted in
prose further down is left alone.

>>> update_text('<?xml version="1.0" encoding="gbk"?><a/>')
'<?xml version="1.0" encoding="UTF-8"?><a/>'
"""

from __future__ import annotations

import dataclasses
import re

from fixenc.chars import LineIndex
from fixenc.model import Change, Kind, Op, Result, Step

# How far into the text declarations are looked for: HTML's 1024-byte rule, doubled for
# files whose head holds multi-byte characters before the meta element.
SCAN_CHARS = 2048
UTF8 = "UTF-8"
_NAME = r"([A-Za-z][A-Za-z0-9._:-]*)"
_DECLARATION = re.compile(
    r"<\?xml\b[^>]*?\bencoding\s*=\s*[\"']" + _NAME
    + r"|<meta\b[^>]*?\bcharset\s*=\s*[\"']?" + _NAME,
    re.IGNORECASE,
)  # fmt: skip
_IS_UTF8 = re.compile(r"utf-?8", re.IGNORECASE)


def _spans(text: str) -> list[tuple[int, int]]:
    """Where declared encoding names other than UTF-8 sit in the head of ``text``."""
    out = []
    for match in _DECLARATION.finditer(text, 0, SCAN_CHARS):
        group = 1 if match.group(1) is not None else 2
        if not _IS_UTF8.fullmatch(match.group(group)):
            out.append(match.span(group))
    return out


def update_text(text: str) -> str:
    """``text`` with its encoding declarations saying UTF-8."""
    for start, end in reversed(_spans(text)):
        text = text[:start] + UTF8 + text[end:]
    return text


def update(result: Result) -> Result:
    """``result`` with its declarations updated and one change recorded for each.

    Offsets of the changes refer to ``result.original``; the declarations are ASCII
    markup, which no repair stage touches, so they sit in the same order in both texts.
    """
    in_original = _spans(result.original)
    in_text = _spans(result.text)
    if not in_original or len(in_original) != len(in_text):
        return result
    index = LineIndex(result.original)
    changes = []
    for start, end in in_original:
        line, column = index.position(start)
        changes.append(
            Change(
                Kind.DECODE,
                start,
                end,
                "declared encoding updated: the file is written as UTF-8",
                1.0,
                before=result.original[start:end],
                after=UTF8,
                steps=(Step(Op.REPLACE, UTF8),),
                line=line,
                column=column,
            )
        )
    merged = sorted(
        (*result.changes, *changes), key=lambda c: (c.start, c.end, c.kind is not Kind.DECODE)
    )
    return dataclasses.replace(result, text=update_text(result.text), changes=tuple(merged))
