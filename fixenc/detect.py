"""Span detection: where a text is damaged, and what explains it (stage: detect; pure).

The common case is one garbled paragraph inside a clean document, so detection works
on spans, not on whole texts: the cheap pass (``plausibility.suspects``) finds the few
places worth a look, and each of those is explained by the first hypothesis that fits —

* a lossless codec round trip (``mojibake.cjk``): "utf-8 text read as gbk";
* lost bytes (``mojibake.lost_bytes``): "utf-8 read as gbk, bytes lost", "gbk stream
  out of step";
* unrecoverable damage: 锟斤拷, U+FFFD runs, 烫烫烫/屯屯屯, ``???`` for CJK.

Nothing here edits text. Each span is a ``Finding``: its ``reason`` names the
hypothesis, and its first candidate (if any) is the repair the pipeline would make.
Spans the cheap pass flagged but no hypothesis explains (an accented word, a rare name)
are not reported: they are clean text.

>>> [(f.text, f.reason) for f in find_spans("正常的句子。浣犲ソ涓栫晫")]
[('浣犲ソ涓栫晫', 'utf-8 text read as gbk (lossless round trip)')]
"""

from __future__ import annotations

from fixenc.model import Finding, Options
from fixenc.mojibake import cjk, lost_bytes


def find_spans(text: str, options: Options | None = None) -> list[Finding]:
    """Every damaged span of ``text`` with the hypothesis that explains it, in order.

    >>> [(f.kind.value, f.text) for f in find_spans("锟斤拷 and 涓�鏂囩紪鐮佹祴璇�")]
    [('unrecoverable', '锟斤拷'), ('mojibake', '涓�鏂囩紪鐮佹祴璇�')]
    """
    options = options or Options()
    out: list[Finding] = list(cjk.findings(text, lang=options.lang))
    taken = [(f.start, f.end) for f in out]
    lossy = lost_bytes.stage(text, options)
    if lossy is not None:
        for change in lossy.changes:
            if _free(change.start, change.end, taken):
                out.append(Finding.from_change(change, change.reason))
        out.extend(f for f in lossy.findings if _free(f.start, f.end, taken))
    return sorted(out, key=lambda f: (f.start, f.end))


def _free(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return all(end <= s or start >= e for s, e in taken)
