"""Protected regions: spans of text that no text-rewriting stage may touch.

Stage: shared helper of the annotation, variant and punctuation stages (no edits of its
own). Converting script variants or punctuation inside a URL, an e-mail address, a
Markdown code span or fenced block, an HTML code element, or a program's identifiers
breaks them; a user can also protect terms (``Options.protected_terms``) and mark a
region with an inline ``fixenc: off`` … ``fixenc: on`` comment in any comment syntax.

In a source file (``Options.is_source_code``) only comments and string literals are
prose; everything else — identifiers included — is protected.

>>> text = "见 https://例子.com/路径 和 `代码` 与 a@b.cn"
>>> [text[s:e] for s, e in protected_spans(text, Options())]
['https://例子.com/路径', '`代码`', 'a@b.cn']
>>> text = "<p>Café</p><pre><code>// Prints: tÃ©st</code></pre>"
>>> [text[s:e] for s, e in protected_spans(text, Options())]
['<pre><code>// Prints: tÃ©st</code></pre>']
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from fixenc.model import Options

# A user's switch, in whatever comment syntax the file uses (`# fixenc: off`,
# `<!-- fixenc: off -->`, `// fixenc: off`). The region runs from the start of the "off"
# marker to the end of the "on" marker, or to the end of the text.
_OFF = re.compile(r"fixenc:\s*off\b", re.IGNORECASE)
_ON = re.compile(r"fixenc:\s*on\b", re.IGNORECASE)

# Characters that end a URL in running text: whitespace, quotes, brackets and CJK
# punctuation (a Chinese sentence often ends right after a link: `见https://a.cn。`).
_URL_STOP = r"\s<>\"'`()\[\]{}，。、；：！？「」『』（）【】《》“”‘’"
_URL = re.compile(rf"(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^{_URL_STOP}]+")
# ASCII only: ``\w`` would also match the Han text that runs up to an address
# (请发邮件至abc@example.com) and protect the whole sentence.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Markdown: a fenced block runs from its fence to the same fence (or the end of text);
# an inline code span is a run of backticks, anything, the same run.
_FENCE_OPEN = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})", re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
# HTML: the elements that hold code or program output, as Markdown's fences and spans do
# (``<pre><code>console.log(buf.toString('latin1')) // Prints: tÃ©st</code></pre>`` in
# Node.js's manual, which the Markdown source fences). An element runs to its own
# closing tag, or is not a region (an unclosed ``<pre>`` protects nothing).
# Openers and closers are found once each and paired by position, so that text full of
# unclosed tags costs a scan, not a scan per tag (an attribute list is bounded for the
# same reason).
_HTML_OPEN = re.compile(r"<(pre|code|samp|kbd|tt)\b[^<>]{0,1000}>", re.IGNORECASE)
_HTML_END = re.compile(r"</(pre|code|samp|kbd|tt)\s*>", re.IGNORECASE)
_HTML_CLOSE = ("</pre", "</code", "</samp", "</kbd", "</tt", "</PRE", "</CODE", "</TT")
# Source code: the prose in a program is its comments and string literals; everything
# else is code. Covers the comment syntaxes of the C family, Python, shell, SQL and HTML.
_SOURCE_PROSE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''  # Python triple-quoted strings and docstrings
    r"|/\*[\s\S]*?\*/|<!--[\s\S]*?-->"  # block comments
    r"|(?://|#|--)[^\n]*"  # line comments
    r'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''  # one-line string literals
)

Span = tuple[int, int]


# Every region found below needs one of these ASCII marks: "://" or "www." in a URL,
# "@" in an e-mail address, a backtick or "~~~" in Markdown code, ":" in a
# "fixenc: off" switch, "</" closing an HTML code element. Most prose has none, and ``str.__contains__`` runs at memory
# speed where each regex above costs a scan of its own (five scans: 68 MB/s on Chinese).
_MARKS = ("@", "`", "~~~", "www.", ":", "</")
# Letters of the switch's "fixenc" that, like its "c", match only their own two cases
# under IGNORECASE (tested over all of Unicode; "i" also matches "İ" and "ı").
_SWITCH_LETTERS = "fxenc"


def protected_spans(text: str, options: Options) -> tuple[Span, ...]:
    """The sorted, merged spans of ``text`` that must not be rewritten.

    >>> protected_spans("纯文本，没有代码。", Options())
    ()
    """
    if (
        not options.is_source_code
        and not any(options.protected_terms)
        and not any(_holds(text, mark) for mark in _MARKS)
    ):
        return ()
    # Each scan runs only when its own mark is in the text (a colon in prose, 問題就是:,
    # is no reason to scan 1 MB for URLs and e-mail addresses).
    # The switch's colon follows "fixenc", whose "c" matches only "c" or "C" even under
    # IGNORECASE (no other character folds to it), so "c:" is an exact pre-check that runs
    # at memory speed where the case-insensitive search costs about 4.5 ms per MB; so
    # are the other letters of ``_SWITCH_LETTERS``, each one search at memchr speed.
    switch = all(c in text or c.upper() in text for c in _SWITCH_LETTERS) and (
        _holds(text, "c:") or _holds(text, "C:")
    )
    spans: list[Span] = list(_switched_off(text)) if switch else []
    if _holds(text, "://") or _holds(text, "www."):
        spans += [m.span() for m in _URL.finditer(text)]
    if "@" in text:
        spans += [m.span() for m in _EMAIL.finditer(text)]
    if options.is_source_code:
        spans += _code(text)
    elif "`" in text or _holds(text, "~~~"):
        fences = _fences(text)
        spans += fences
        spans += [m.span() for m in _CODE_SPAN.finditer(text) if not _inside(m.span(), fences)]
    if _holds(text, "</") and any(tag in text for tag in _HTML_CLOSE):
        spans += _html_code(text)
    for term in options.protected_terms:
        if term:
            spans += [m.span() for m in re.finditer(re.escape(term), text)]
    return _merge(spans)


def _holds(text: str, mark: str) -> bool:
    """``mark in text``, looking for each of its characters first: a one-character
    search runs at memchr speed (0.02 ms per MB of Chinese), a longer one about 0.5 ms,
    and prose that holds ":" or "C" often lacks "/" or "c".

    >>> _holds("见 www.a.cn", "www."), _holds("见", "://"), _holds("问题: 见 C 语言", "C:")
    (True, False, False)
    """
    return all(c in text for c in mark) and (len(mark) == 1 or mark in text)


def _switched_off(text: str) -> Iterator[Span]:
    pos = 0
    while (off := _OFF.search(text, pos)) is not None:
        on = _ON.search(text, off.end())
        end = on.end() if on else len(text)
        yield off.start(), end
        pos = end


def _fences(text: str) -> list[Span]:
    """Markdown fenced code blocks: from an opening fence line to a closing fence of the
    same character at least as long, or to the end of the text."""
    spans: list[Span] = []
    pos = 0
    while (m := _FENCE_OPEN.search(text, pos)) is not None:
        fence = m.group(1)
        line_end = text.find("\n", m.end())
        if line_end < 0:
            spans.append((m.start(), len(text)))
            break
        close = re.compile(rf"^[ \t]{{0,3}}{fence[0]}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
        c = close.search(text, line_end + 1)
        end = c.end() if c else len(text)
        spans.append((m.start(), end))
        pos = end
    return spans


def _html_code(text: str) -> list[Span]:
    """HTML code elements: from an opening tag to the first closing tag of the same name
    after it (elements of one name nest rarely in code; an unclosed one protects nothing).

    >>> t = "<pre>a</pre> <tt>b <pre>c</TT> </pre>"
    >>> [t[s:e] for s, e in _html_code(t)]
    ['<pre>a</pre>', '<tt>b <pre>c</TT>']
    """
    closers: dict[str, list[int]] = {}
    ends: dict[int, int] = {}
    for m in _HTML_END.finditer(text):
        closers.setdefault(m.group(1).lower(), []).append(m.start())
        ends[m.start()] = m.end()
    spans: list[Span] = []
    pos = 0
    for m in _HTML_OPEN.finditer(text):
        starts = closers.get(m.group(1).lower())
        if m.start() < pos or not starts:
            continue
        i = bisect.bisect_left(starts, m.end())
        if i < len(starts):
            pos = ends[starts[i]]
            spans.append((m.start(), pos))
    return spans


def _code(text: str) -> list[Span]:
    """Everything outside comments and string literals."""
    spans: list[Span] = []
    pos = 0
    for m in _SOURCE_PROSE.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _inside(span: Span, spans: list[Span]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


class Protection:
    """Fast membership tests against a text's protected spans."""

    def __init__(self, spans: tuple[Span, ...]) -> None:
        self.spans = spans
        self._starts = [s for s, _ in spans]

    @classmethod
    def of(cls, text: str, options: Options) -> Protection:
        return cls(protected_spans(text, options))

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` touches a protected span.

        >>> Protection(((2, 4),)).overlaps(3, 5), Protection(((2, 4),)).overlaps(4, 6)
        (True, False)
        """
        i = bisect.bisect_right(self._starts, end - 1 if end > start else start) - 1
        return i >= 0 and self.spans[i][1] > start

    def contains(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies wholly inside one protected span.

        >>> Protection(((2, 6),)).contains(3, 5), Protection(((2, 6),)).contains(1, 5)
        (True, False)
        """
        i = bisect.bisect_right(self._starts, start) - 1
        return i >= 0 and self.spans[i][1] >= end

    def free(self, start: int, end: int) -> Iterator[Span]:
        """The unprotected pieces of ``[start, end)``, in order.

        >>> list(Protection(((2, 4),)).free(0, 6))
        [(0, 2), (4, 6)]
        """
        pos = start
        i = max(bisect.bisect_right(self._starts, start) - 1, 0)
        for s, e in self.spans[i:]:
            if s >= end:
                break
            if e <= pos:
                continue
            if s > pos:
                yield pos, s
            pos = max(pos, e)
        if pos < end:
            yield pos, end
