"""The first look at raw bytes: byte-order marks, BOM-less UTF-16/32, binary files.

Stage: decode (its first step). A BOM is proof of the encoding. NUL bytes without one
are either UTF-16/UTF-32 written without a BOM (``unicode_without_bom``: the bytes read
as text with no control or unassigned characters in exactly one of the four layouts)
or binary; a high share of control bytes also means binary. The file layer asks
``looks_binary`` about a large file's first bytes before reading the rest.

>>> bom_of(b"\\xef\\xbb\\xbfabc")
(b'\\xef\\xbb\\xbf', 'utf-8')
>>> looks_binary(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00"), looks_binary("é".encode("utf-16"))
(True, False)
>>> unicode_without_bom("Grüße, 你好\\n".encode("utf-16-le"))
'utf-16-le'

"""

from __future__ import annotations

import codecs
import re
import unicodedata

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
# ISO-2022 text (Korean, Japanese) designates its character sets with ESC $ ...; the
# Korean form then switches with SO/SI, which are control bytes to the binary check.
ISO2022_DESIGNATION = b"\x1b$"
# The 7-bit encodings whose text is ASCII bytes: ISO-2022 (ESC sequences) and HZ (~{ ~}).
SEVEN_BIT_MARKERS = (ISO2022_DESIGNATION, b"~{")
BINARY_NUL = "binary file (contains NUL bytes); skipped"
BINARY_CONTROL = "binary file (many control bytes); skipped"


def seven_bit_escapes(data: bytes) -> bool:
    """Whether ASCII ``data`` holds the escapes of ISO-2022 or HZ text."""
    return any(marker in data for marker in SEVEN_BIT_MARKERS)


def bom_of(data: bytes) -> tuple[bytes, str] | None:
    """The byte-order mark ``data`` starts with and its codec, or ``None``."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return bom, encoding
    return None


# The layouts tried for NUL-bearing bytes without a BOM, UTF-32 first (UTF-32 text also
# reads as UTF-16 with a NUL character after each one).
UNICODE_LAYOUTS = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")
# At most one character in this many of a BOM-less UTF-16/32 reading may be a control
# or unassigned character: the wrong layout of real text turns newlines and spaces into
# unassigned code points (U+0A00, U+0D00) on nearly every line.
MAX_BAD_RATIO = 0.01
# Text has spaces or line breaks; a few binary bytes can read as clean UTF-16 letters.
_WHITESPACE = re.compile("[ \t\n\r]")


def unicode_without_bom(data: bytes) -> str | None:
    """The one UTF-16/UTF-32 layout ``data`` reads as clean text in, or ``None``."""
    head = data[:SNIFF_BYTES]
    if b"\x00" not in head:
        return None
    found = []
    for layout in UNICODE_LAYOUTS:
        unit = 4 if "32" in layout else 2
        if len(data) % unit:
            continue
        try:
            text = codecs.getincrementaldecoder(layout)("strict").decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        bad = sum(1 for ch in text if _bad_char(ch))
        if bad <= MAX_BAD_RATIO * len(text) and _WHITESPACE.search(text):
            found.append((-sum(1 for ch in text if ch.isascii()), layout))
            if unit == 4:
                break  # a clean UTF-32 reading settles it
    if not found:
        return None
    found.sort()
    if len(found) > 1 and found[0][0] == found[1][0]:
        return None  # two layouts read equally well: not for us to pick
    return found[0][1]


def _bad_char(ch: str) -> bool:
    if ch in "\t\n\r\f\v":
        return False
    return unicodedata.category(ch) in ("Cc", "Cn", "Cs", "Co")


def looks_binary(head: bytes) -> bool:
    """NUL bytes without a byte order mark or a UTF-16/32 layout: ``reject_binary``
    would refuse the bytes."""
    return b"\x00" in head and bom_of(head) is None and unicode_without_bom(head) is None


def reject_binary(data: bytes) -> None:
    """Raise ``BinaryInputError`` when ``data`` (its first SNIFF_BYTES) is not text."""
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise BinaryInputError(BINARY_NUL)
    controls = len(_CONTROL.findall(head))
    if ISO2022_DESIGNATION in head:
        controls -= head.count(b"\x0e") + head.count(b"\x0f")  # its shift-out/shift-in
    if head and controls / len(head) > MAX_CONTROL_RATIO:
        raise BinaryInputError(BINARY_CONTROL)
