"""What fixenc knows about legacy encodings: which ones, their supersets, their languages.

Stage: decode (shared knowledge). The encodings are the ones chardet can name (its
registry), as Python codecs. Two facts are derived here rather than typed in:

* a single-byte code page's **Windows superset** is any other code page chardet knows
  that reads every printable byte of it the same and reads some byte it leaves as a C1
  control (or cannot read) as a printable character — computed from the codec tables;
* a multi-byte encoding named by its vendor extension (cp932, Big5-HKSCS, the 2004
  JIS sets) is read with its **base standard first** (``VENDOR_BASE``), because the
  extensions read some shared bytes differently (Shift_JIS 0x815F is ``\\``, cp932's is
  ``＼``); the extension is used only when the base cannot read the bytes.

>>> supersets("iso8859-1")
('cp1252',)
>>> chain("cp932")
('shift_jis', 'cp932', 'shift_jis_2004')
"""

from __future__ import annotations

import codecs
import functools

# Multi-byte vendor extensions and revisions → the base standard and its extensions in
# the order fixenc tries them (narrowest first). Shift_JIS, EUC-JP, Big5 and ISO-2022-JP
# extensions read some base bytes differently, so the base goes first.
FAMILIES: tuple[tuple[str, ...], ...] = (
    ("shift_jis", "cp932", "shift_jis_2004"),
    ("euc_jp", "euc_jis_2004"),
    ("big5", "cp950", "big5hkscs"),
    ("iso2022_jp", "iso2022_jp_2", "iso2022_jp_2004", "iso2022_jp_ext"),
    ("euc_kr", "cp949"),
    ("gb2312", "gbk", "gb18030"),
)
VENDOR_BASE = {
    member: family
    for family in FAMILIES
    for member in family
    # Korean and Chinese extensions read every base byte the same: chardet's own name
    # (cp949, gb18030) is kept, and nothing is gained by stepping down.
    if family[0] not in ("euc_kr", "gb2312")
}

# The code points a single-byte reading may not produce for a byte another code page
# reads as printable: C1 controls (what ISO 8859 puts at 0x80–0x9F).
_C1 = range(0x80, 0xA0)


def codec(name: str) -> str:
    """Python's canonical codec name for ``name`` (``LookupError`` if unknown)."""
    return codecs.lookup(name).name


@functools.cache
def known() -> tuple[str, ...]:
    """Every encoding chardet can name, as canonical Python codec names.

    Unicode encodings are left out: BOMs, strict UTF-8 and the UTF-16/32 sniff handle
    them before any legacy detection.
    """
    from chardet.registry import REGISTRY

    out = []
    for info in REGISTRY.values():
        name = codec(info.name)
        if not name.startswith("utf") and name != "ascii":
            out.append(name)
    return tuple(dict.fromkeys(out))


@functools.cache
def languages() -> dict[str, tuple[str, ...]]:
    """The languages chardet's registry lists for each encoding (by codec name)."""
    from chardet.registry import REGISTRY

    return {codec(info.name): tuple(info.languages) for info in REGISTRY.values()}


@functools.cache
def _byte_table(name: str) -> tuple[str | None, ...] | None:
    """What each of the 256 bytes reads as in a single-byte codec, or ``None`` when
    ``name`` is not single-byte."""
    try:
        # A multi-byte codec pairs up consecutive high bytes, so it reads fewer than
        # 256 characters from all 256 bytes in a row.
        if len(bytes(range(256)).decode(name, errors="replace")) != 256:
            return None
    except LookupError:
        return None
    table: list[str | None] = []
    for b in range(256):
        try:
            text = bytes([b]).decode(name)
        except UnicodeDecodeError:
            table.append(None)
            continue
        except LookupError:
            return None
        if len(text) != 1:
            return None
        table.append(text)
    if all(t is None for t in table[0x80:]):
        return None  # an escape-based codec (HZ, ISO-2022): nothing above ASCII alone
    return tuple(table)


def _printable(ch: str | None) -> bool:
    return ch is not None and not (ord(ch) in _C1 or (ch < " " and ch not in "\t\n\r\f\v"))


@functools.cache
def supersets(name: str) -> tuple[str, ...]:
    """The single-byte code pages chardet knows that extend ``name`` (see the module
    docstring), most additions first."""
    base = _byte_table(name)
    if base is None:
        return ()
    found: list[tuple[int, str]] = []
    for other in known():
        if other == name:
            continue
        table = _byte_table(other)
        if table is None:
            continue
        if any(_printable(a) and a != b for a, b in zip(base, table, strict=True)):
            continue
        added = sum(
            1 for a, b in zip(base, table, strict=True) if not _printable(a) and _printable(b)
        )
        if added:
            found.append((-added, other))
    return tuple(other for _, other in sorted(found))


# The bytes of ASCII's line breaks (LF, CR) and EBCDIC's own newline character (NL,
# which Unicode maps to U+0085 NEL).
ASCII_LINE_BREAKS = (0x0A, 0x0D)
NEL = "\x85"


@functools.cache
def line_breaks(name: str) -> frozenset[str]:
    """The control characters that are line breaks in a reading by the single-byte code
    page ``name``: in an EBCDIC page (which reads byte 0x0A as a C1 control), NEL and
    whatever it reads the ASCII line-break bytes as, since EBCDIC files converted byte for
    byte keep their ASCII line ends. They are the file's line structure, not a sign that
    the code page is wrong. Empty for ASCII-based pages.

    >>> sorted(line_breaks("cp500")), sorted(line_breaks("cp1252"))
    (['\\x85', '\\x8e'], [])
    """
    table = _byte_table(name)
    if table is None or table[0x0A] == "\n":
        return frozenset()
    found = {table[b] for b in ASCII_LINE_BREAKS} | {NEL}
    return frozenset(ch for ch in found if ch is not None and not _printable(ch))


@functools.cache
def reads_ascii(name: str) -> bool:
    """Whether ``name`` reads every printable ASCII byte as itself (not EBCDIC, HZ or
    ISO-2022, whose ASCII bytes can mean other characters).

    >>> reads_ascii("cp1252"), reads_ascii("gbk"), reads_ascii("cp500"), reads_ascii("hz")
    (True, True, False, False)
    """
    printable = bytes(range(0x20, 0x7F))
    try:
        return printable.decode(name, errors="replace") == printable.decode("ascii")
    except LookupError:
        return False


def is_single_byte(name: str) -> bool:
    return _byte_table(name) is not None


def chain(name: str) -> tuple[str, ...]:
    """The codecs to try, in order, for an encoding chardet named ``name``."""
    name = codec(name)
    for family in FAMILIES:
        if name in family and name in VENDOR_BASE:
            return family
    return (name, *supersets(name))
