"""Build the real-text negative corpus and check that fixenc changes nothing in it.

Run: python scripts/build_negative_corpus.py build OUT [--max-mb N]
     python scripts/build_negative_corpus.py check OUT [--limit-mb N] [--show N]

Every file is correct text written by people and installed from a package registry, so
fixenc must leave all of it byte for byte unchanged:

* Debian's documentation under ``/usr/share/doc`` (READMEs, changelogs, copyright files,
  HTML and Markdown manuals; gzip-compressed ones are unpacked);
* localized manual pages under ``/usr/share/man/<lang>`` — install more with
  ``apt-get install manpages-zh manpages-ja manpages-ru manpages-de manpages-fr
  manpages-es manpages-pl manpages-it`` (``manpages-ko`` is not in Debian 12);
* the sources of the Python packages installed beside fixenc (pip, setuptools, ftfy,
  chardet, pygments, hypothesis, mypy, …), checked as source code, as the file flow
  does for ``.py`` files — ftfy's and chardet's sources quote mojibake on purpose.

``build`` copies the UTF-8 text of those files into OUT (one file each, grouped by
source and language, with ``MANIFEST.tsv``: path, group, language, bytes, origin) and
never into the repository; files that are not UTF-8 or look binary are skipped.
``check`` runs fixenc's repair on each file and prints, per group and language, the
bytes checked and the changes fixenc would make (which must be zero), then the first
``--show`` changes in full. Exit status 1 when anything would change.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import sysconfig
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

DOC = Path("/usr/share/doc")
MAN = Path("/usr/share/man")
# Well-known packages whose sources are installed with fixenc's test extras and tools.
PACKAGES = (
    "pip", "setuptools", "ftfy", "chardet", "charset_normalizer", "pygments", "hypothesis",
    "mypy", "_pytest", "pytest", "rich", "wcwidth", "pypinyin", "opencc", "pathspec",
    "markdown_it", "mdurl", "packaging", "pluggy", "iniconfig", "execnet", "xdist",
    "grimp", "importlinter", "click", "typing_extensions", "mypy_extensions",
)  # fmt: skip
# Suffixes of text worth checking; man pages are matched by their section directory.
TEXT_SUFFIXES = (".txt", ".md", ".rst", ".html", ".htm", ".py", ".pyi", ".cfg", ".toml")
TEXT_NAMES = re.compile(r"^(README|NEWS|changelog|copyright|AUTHORS|TODO|FAQ|THANKS)", re.I)
# Debian's documentation alone is over 100 MB (mostly changelogs): it is capped so that
# the manual pages and the Python sources keep their share of the corpus.
GROUP_CAP = {"doc": 30_000_000}
# Larger files are cut: a few changelogs run to megabytes of the same shape.
MAX_FILE = 2_000_000


def _read(path: Path) -> str | None:
    """UTF-8 text of ``path`` (gunzipped), or None when it is binary or not UTF-8."""
    try:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if b"\x00" in data[:8192]:
        return None
    try:
        return data[:MAX_FILE].decode("utf-8")
    except UnicodeDecodeError as err:
        if err.start < MAX_FILE - 4:
            return None
        return data[: err.start].decode("utf-8")


def _sources() -> Iterator[tuple[str, str, Path]]:
    """(group, language, path) for every candidate file."""
    if MAN.is_dir():
        for lang_dir in sorted(MAN.iterdir()):
            if lang_dir.is_dir() and not lang_dir.name.startswith("man"):
                for path in sorted(lang_dir.rglob("*")):
                    if path.is_file():
                        yield "man", lang_dir.name.split(".")[0], path
    if DOC.is_dir():
        for path in sorted(DOC.rglob("*")):
            name = path.name.removesuffix(".gz")
            if path.is_file() and (name.endswith(TEXT_SUFFIXES) or TEXT_NAMES.match(name)):
                yield "doc", "mixed", path
    purelib = Path(sysconfig.get_paths()["purelib"])
    for package in PACKAGES:
        root = purelib / package
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix in (".py", ".pyi", ".txt", ".md", ".rst"):
                    yield "python", package, path


def build(out: Path, max_mb: float) -> int:
    out.mkdir(parents=True, exist_ok=True)
    manifest: list[str] = []
    total = 0
    per_group: Counter[str] = Counter()
    for i, (group, lang, path) in enumerate(_sources()):
        if per_group[group] >= GROUP_CAP.get(group, float("inf")):
            continue
        text = _read(path)
        if not text or text.isascii():
            continue  # ASCII cannot carry anything fixenc repairs: it would only pad the size
        suffix = ".py" if path.suffix in (".py", ".pyi") else ".txt"
        target = out / group / lang / f"{i:06d}-{path.name.removesuffix('.gz')}{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")
        size = len(text.encode("utf-8"))
        manifest.append(f"{target.relative_to(out)}\t{group}\t{lang}\t{size}\t{path}")
        total += size
        per_group[group] += size
        if total >= max_mb * 1e6:
            break
    (out / "MANIFEST.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    print(f"{len(manifest)} files, {total / 1e6:.1f} MB of non-ASCII text in {out}")
    return 0


def check_files(
    rows: Sequence[tuple[Path, str, str]],
) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]], list[tuple[Path, str]]]:
    """(bytes per group/language, changes per group/language, (file, change) pairs)."""
    from fixenc.model import Options
    from fixenc.pipeline import repair

    sizes: Counter[tuple[str, str]] = Counter()
    counts: Counter[tuple[str, str]] = Counter()
    shown: list[tuple[Path, str]] = []
    for path, group, lang in rows:
        text = path.read_text(encoding="utf-8")
        result = repair(text, Options(is_source_code=path.suffix == ".py"))
        sizes[group, lang] += len(text.encode("utf-8"))
        counts[group, lang] += len(result.changes)
        shown.extend(
            (path, f"{c.line}: {c.before!r} -> {c.after!r} ({c.reason})") for c in result.changes
        )
    return sizes, counts, shown


def check(out: Path, limit_mb: float | None, show: int) -> int:
    rows: list[tuple[Path, str, str]] = []
    total = 0
    for line in (out / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines():
        rel, group, lang, size, _origin = line.split("\t")
        rows.append((out / rel, group, lang))
        total += int(size)
        if limit_mb is not None and total >= limit_mb * 1e6:
            break
    sizes, counts, shown = check_files(rows)
    for key in sorted(sizes):
        print(f"{key[0]:8} {key[1]:20} {sizes[key] / 1e6:8.2f} MB  {counts[key]} changes")
    print(f"total    {sum(sizes.values()) / 1e6:.1f} MB, {sum(counts.values())} changes")
    for path, item in shown[:show]:
        print(f"{path}:{item}")
    return 1 if shown else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("out", type=Path)
    b.add_argument("--max-mb", type=float, default=80.0)
    c = sub.add_parser("check")
    c.add_argument("out", type=Path)
    c.add_argument("--limit-mb", type=float, default=None)
    c.add_argument("--show", type=int, default=20)
    args = parser.parse_args(argv)
    if args.command == "build":
        return build(args.out, args.max_mb)
    return check(args.out, args.limit_mb, args.show)


if __name__ == "__main__":
    sys.exit(main())
