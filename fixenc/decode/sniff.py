"""The first look at raw bytes: byte-order marks and binary files.

Stage: decode (its first step). A BOM is proof of the encoding; NUL bytes without one,
or a high share of control bytes, mean the bytes are not text at all. The file layer
asks ``looks_binary`` about a large file's first bytes before reading the rest.

>>> bom_of(b"\\xef\\xbb\\xbfabc")
(b'\\xef\\xbb\\xbf', 'utf-8')
>>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00"), looks_binary("é".encode("utf-16"))
(True, False)
"""

from __future__ import annotations

import codecs
import re

from fixenc.errors import BinaryInputError

BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How much of the file the binary sniff reads: git and file(1) look at the first 8 KiB.
SNIFF_BYTES = 8192
# Control bytes other than \t \n \r \f \v and ESC above this share of the sniffed bytes
# mean binary. 10% is well above what real text carries (form feeds in old source,
# stray ESC in logs) and well below what executables and images show.
MAX_CONTROL_RATIO = 0.10
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
BINARY_NUL = "binary file (contains NUL bytes); skipped"
BINARY_CONTROL = "binary file (many control bytes); skipped"


def bom_of(data: bytes) -> tuple[bytes, str] | None:
    """The byte-order mark ``data`` starts with and its codec, or ``None``."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return bom, encoding
    return None


def looks_binary(head: bytes) -> bool:
    """NUL bytes without a byte order mark: ``reject_binary`` would refuse the bytes."""
    return b"\x00" in head and bom_of(head) is None


def reject_binary(data: bytes) -> None:
    """Raise ``BinaryInputError`` when ``data`` (its first SNIFF_BYTES) is not text."""
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise BinaryInputError(BINARY_NUL)
    if head and len(_CONTROL.findall(head)) / len(head) > MAX_CONTROL_RATIO:
        raise BinaryInputError(BINARY_CONTROL)
