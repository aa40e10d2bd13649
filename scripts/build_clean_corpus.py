"""Build the clean-text corpus that fixenc must leave unchanged.

Run: python scripts/build_clean_corpus.py [OUT] [--max-bytes N]

The text comes from what this machine already ships, so nothing is downloaded and the
text is real prose written by people:

* gettext catalogues (``/usr/share/locale/<lang>/LC_MESSAGES/*.mo``) of the Debian
  packages installed here: human translations in Simplified and Traditional Chinese,
  Japanese, Korean, German, French, Spanish, Portuguese and Russian (licences: those of
  the packages, GPL/LGPL mostly; the corpus is built locally and never committed);
* CPython's own CJK codec test texts (``Lib/test/cjkencodings/*-utf8.txt``).

Each catalogue entry becomes one line (format strings such as ``%s`` are kept: they are
part of real-world text). Output is UTF-8, one entry per line, grouped by source, with
``# source`` header lines. Without OUT the corpus goes to stdout.
"""

from __future__ import annotations

import argparse
import gettext
import sys
import sysconfig
from collections.abc import Iterator, Sequence
from pathlib import Path

LOCALE_DIR = Path("/usr/share/locale")
LANGS = ("zh_CN", "zh_TW", "zh_HK", "ja", "ko", "de", "fr", "es", "pt_BR", "ru")
# Per-language cap, so that no single language dominates: 10 languages × 250 KB ≈ 2.5 MB.
PER_LANG_BYTES = 250_000
DEFAULT_MAX_BYTES = 3_000_000


def _catalogue_entries(lang: str, *, keys: bool = False) -> Iterator[str]:
    """Each distinct non-blank line of the translations of ``lang``'s catalogues (with
    ``keys``, of the English messages they translate), header left out, in a fixed order."""
    seen: set[str] = set()
    for path in sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.mo")):
        try:
            with path.open("rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        except (OSError, UnicodeError, ValueError, gettext.error):  # type: ignore[attr-defined]
            continue
        for key in sorted(catalog, key=repr):
            value = key if keys else catalog[key]
            if not isinstance(value, str) or not value.strip() or not key:
                continue
            for line in value.splitlines():
                line = line.strip()
                if line and line not in seen:
                    seen.add(line)
                    yield line


def _cpython_texts() -> Iterator[tuple[str, str]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    folder = stdlib / "test" / "cjkencodings"
    for path in sorted(folder.glob("*-utf8.txt")):
        text = path.read_text("utf-8", errors="strict")
        for line in text.splitlines():
            if line.strip():
                yield f"cpython:{path.name}", line


def iter_corpus(max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[tuple[str, str]]:
    """Yield (source, line) pairs, at most ``max_bytes`` of UTF-8 text in all."""
    total = 0
    for source, line in _cpython_texts():
        total += len(line.encode()) + 1
        yield source, line
    for lang in LANGS:
        used = 0
        for line in _catalogue_entries(lang):
            size = len(line.encode()) + 1
            if used + size > PER_LANG_BYTES or total + size > max_bytes:
                break
            used += size
            total += size
            yield f"locale:{lang}", line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", nargs="?", help="output file (default: stdout)")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES)
    args = parser.parse_args(argv)
    lines: list[str] = []
    current = None
    for source, line in iter_corpus(args.max_bytes):
        if source != current:
            lines.append(f"# {source}")
            current = source
        lines.append(line)
    text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"{len(text.encode()):,} bytes, {len(lines):,} lines -> {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
