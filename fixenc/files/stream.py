"""Reading a large file as a run of whole-line pieces, so that memory does not grow with it.

Stage: read, for files too large to hold whole (``process`` streams them). A piece is
about ``chunk_bytes`` long and ends at a line edge, at a paragraph edge when one is near,
so that no repair span is cut: every stage works inside lines, and the script-variant
stage inside paragraphs. The piece edges are found in the *bytes*, which is exact for an
ASCII-compatible encoding (``ascii_compatible``): there a byte 0x0A or 0x0D is always a
line break, never half of a character (``tests/test_streaming.py`` checks this against
every codec's table). A line longer than ``max_line_bytes`` is cut at its last space, or,
if it has none, where the buffer ends: the only case in which a span can be cut.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# Pieces of 1 MiB: the work on each is that of a 1 MB file (the size the issue compares
# against), and the pipeline's peak memory for 1 MB of text stays near its fixed cost
# (issue 12 measured 184 MB for a 1 MB file, against 1.8 GB for 48 MB).
CHUNK_BYTES = 1 << 20
# Files from this size on are streamed by the command line: below it a whole read costs
# less than the tables the stages load (about 230 MiB) — 8 MiB of text peaks near 400 MiB
# whole — and the document-wide evidence of the stages sees the whole file.
STREAM_MIN_BYTES = 8 << 20
# The encoding of a streamed file is decided on this much of its start (cut at its last
# line break): ``decode`` ranks legacy readings on its first 64 KiB and confirms on the
# rest of what it is given, so 1 MiB confirms well past the ranking.
DETECT_BYTES = 1 << 20
# A line longer than this many pieces is cut anyway (memory must stay bounded).
MAX_LINE_CHUNKS = 16
# A paragraph edge (blank line) is preferred to a line edge if it lies in the last
# half of the buffer: pieces stay between half and one ``chunk_bytes`` plus a line.
PARAGRAPH_REACH = 0.5

_LINE_ENDS = (b"\n", b"\r")
_PARAGRAPHS = (b"\n\n", b"\r\n\r\n", b"\r\r")


@dataclass(frozen=True, slots=True)
class Streaming:
    """When the file flow streams a file, and in what pieces."""

    min_bytes: int = STREAM_MIN_BYTES
    chunk_bytes: int = CHUNK_BYTES


def ascii_compatible(encoding: str) -> bool:
    """Whether ASCII (line breaks and spaces included) is itself in ``encoding``: then a
    byte below 0x80 that is a line break or a space is one, and a file can be cut there.
    UTF-16/32 and the EBCDIC pages are not.

    >>> [ascii_compatible(e) for e in ("utf-8", "gb18030", "shift_jis", "utf-16-le", "cp500")]
    [True, True, True, False, False]
    """
    probe = "\r\n \t az"
    try:
        return probe.encode(encoding) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def pieces(handle: BinaryIO, chunk_bytes: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The rest of ``handle`` in pieces that end at line (preferably paragraph) edges.

    Joined, the pieces are exactly the bytes read.

    >>> import io
    >>> list(pieces(io.BytesIO(b"one\\ntwo\\n\\nthree\\r\\nfour"), chunk_bytes=6))
    [b'one\\n', b'two\\n\\n', b'three\\r\\n', b'four']
    """
    buffer = b""
    while True:
        block = handle.read(chunk_bytes)
        if not block:
            if buffer:
                yield buffer
            return
        buffer += block
        while len(buffer) >= chunk_bytes:
            cut = edge(buffer, chunk_bytes)
            if cut == 0:
                break  # no edge yet: read on
            yield buffer[:cut]
            buffer = buffer[cut:]


def edge(buffer: bytes, chunk_bytes: int) -> int:
    """Where to end the next piece of ``buffer``: 0 means read more first.

    A break at the very end of the buffer is not used: a CR there may be the first half
    of a CRLF whose LF is still unread.

    >>> edge(b"ab\\ncd\\r", 4), edge(b"abcdef", 4)
    (3, 0)
    >>> edge(b"abcdefgh\\n\\nij\\nk", 8), edge(b"a\\n\\nbcdefgh\\nij", 8)  # paragraph if near
    (10, 11)
    """
    end = len(buffer) - 1
    paragraph = max(
        (i + len(p) for p in _PARAGRAPHS if (i := buffer.rfind(p, 0, end)) >= 0), default=0
    )
    if paragraph >= len(buffer) * PARAGRAPH_REACH:
        return _after_crlf(buffer, paragraph)
    line = max(buffer.rfind(b, 0, end) + 1 for b in _LINE_ENDS)
    if line:
        return _after_crlf(buffer, line)
    if len(buffer) < chunk_bytes * MAX_LINE_CHUNKS:
        return 0
    space = max(buffer.rfind(b) + 1 for b in (b" ", b"\t"))
    return space or len(buffer)


def _after_crlf(buffer: bytes, cut: int) -> int:
    """Never end a piece between the CR and the LF of a CRLF."""
    return cut + 1 if buffer[cut - 1 : cut + 1] == b"\r\n" else cut


def incremental_decoder(encoding: str) -> codecs.IncrementalDecoder:
    """A strict decoder that keeps its state (a shift sequence, a character cut at a
    forced edge) from one piece to the next."""
    return codecs.getincrementaldecoder(encoding)(errors="strict")
