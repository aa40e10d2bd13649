"""Audit what fixenc does to real files: every change, every high-confidence finding.

Run: python scripts/audit_real_files.py OUT.jsonl ROOT [ROOT ...] [--jobs N] [--max-mb N]
     python scripts/audit_real_files.py --summary OUT.jsonl

Principle 1 ("do no harm") is judged on files nobody here wrote. Each file under the
roots goes through the command line's own file flow (``process.process_data``: decode,
repair, transcode) with default options and nothing written; gzip-compressed files
(manual pages, changelogs) are unpacked first and judged by their inner name. One JSON
line per file records its kind (the first path component under its root), size,
encoding, status, every change but the transcoding record, and every mojibake or
unrecoverable finding at confidence ``HIGH`` or more. Two properties are checked too:

* **idempotency**: the repaired text, repaired again, must not change;
* **round trip**: a file decoded from a legacy encoding must encode back to its bytes.

Roots used for the audit of issue 12 (Debian 12): ``/usr/share/i18n``,
``/usr/share/X11/locale``, ``/usr/share/common-licenses``, ``/etc``, ``/usr/share/man``,
``/usr/share/doc``, CPython's ``Lib`` (its tests and ``cjkencodings`` included), the
virtual environment's ``site-packages``, ``~/.cache/fixenc/compat`` (the upstream
suites), and Debian packages unpacked with ``apt-get download`` + ``dpkg-deb -x``
(``manpages-*``, ``fortunes-*``, ``w*`` word lists, ``hunspell-*``, ``aspell-*``,
``debian-reference-*``). ``--summary`` prints the files with changes, findings, a broken
property or a crash, then the totals per kind.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from multiprocessing import Pool
from pathlib import Path
from typing import Any

# Findings at or above this confidence are listed (the Latin stage's heuristic repairs
# are 0.8; round trips 0.95; unrecoverable damage 1.0).
HIGH = 0.7
# Files larger than this (after unpacking) are left out: a dictionary of 35 MB costs a
# minute on a shared machine and says no more than its first megabytes.
DEFAULT_MAX_MB = 8.0
# Suffixes of files that are never text.
BINARY_SUFFIXES = frozenset(
    [
        ".pyc",
        ".so",
        ".png",
        ".gif",
        ".jpg",
        ".jpeg",
        ".ico",
        ".zip",
        ".whl",
        ".bz2",
        ".xz",
        ".lz4",
        ".zst",
        ".mo",
        ".db",
        ".pickle",
        ".pkl",
        ".tar",
        ".wav",
        ".au",
        ".exe",
        ".dll",
        ".bin",
        ".ttf",
        ".otf",
        ".woff",
        ".woff2",
        ".icns",
        ".bmp",
        ".tif",
        ".tiff",
        ".mp3",
        ".ogg",
        ".7z",
        ".egg",
        ".a",
        ".o",
        ".deb",
        ".jar",
        ".class",
        ".npy",
        ".npz",
        ".sqlite",
        ".sqlite3",
        ".rws",
        ".ocd2",
    ]
)


def files(roots: Sequence[Path]) -> Iterator[tuple[str, Path]]:
    """(kind, path) for every regular file under ``roots``, in a stable order."""
    for root in roots:
        for dirpath, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", ".git"))
            for name in sorted(names):
                path = Path(dirpath) / name
                rel = path.relative_to(root).parts
                kind = f"{root.name}/{rel[0]}" if len(rel) > 1 else root.name
                yield kind, path


def audit(item: tuple[str, Path, int]) -> dict[str, Any] | None:
    """One file's record, or None for a file that is not audited."""
    from fixenc import process
    from fixenc.model import ATTENTION_KINDS, Kind, Options
    from fixenc.pipeline import repair

    kind, path, max_bytes = item
    if path.is_symlink() or not path.is_file() or path.suffix.lower() in BINARY_SUFFIXES:
        return None
    try:
        if path.stat().st_size > max_bytes:
            return None
        data = path.read_bytes()
        source = path
        if path.suffix == ".gz":
            data = gzip.decompress(data)
            source = path.with_suffix("")
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if len(data) > max_bytes:
        return None
    record: dict[str, Any] = {"kind": kind, "path": str(path), "bytes": len(data)}
    job = process.Job(Options())
    outcome = process.process_data(data, job, name=str(path), source=source, explicit=False)
    result = outcome.outcome.result
    record["status"] = outcome.outcome.status.value
    if result is None:
        skip = outcome.outcome.skip
        record["skip"] = skip.value if skip is not None else outcome.outcome.message
        return record
    record["encoding"] = result.encoding
    record["changes"] = [
        [c.kind.value, c.line, c.before, c.after, c.reason, round(c.confidence, 3)]
        for c in result.changes
        if not (c.kind is Kind.DECODE and not c.before and not c.after)
    ]
    record["findings"] = [
        [f.kind.value, f.line, f.text, f.candidates[0].text if f.candidates else None, f.reason]
        for f in result.findings
        if f.kind in ATTENTION_KINDS and f.confidence >= HIGH
    ]
    if result.changes:
        options = process._options_for(Options(), source)
        again = repair(result.text, options)
        if again.text != result.text:
            record["not_idempotent"] = [[c.line, c.before, c.after] for c in again.changes]
    decoded = result.decoded
    if decoded is not None and decoded.encoding not in process.UNCHANGED_BYTES:
        try:
            back = decoded.bom + decoded.text.encode(decoded.encoding)
        except UnicodeEncodeError:
            back = b""
        if back != data and not decoded.encoding.startswith("utf"):
            record["round_trip_fails"] = True
    return record


def run(out: Path, roots: Sequence[Path], jobs: int, max_mb: float) -> int:
    items = [(kind, path, int(max_mb * 1e6)) for kind, path in files(roots)]
    with Pool(jobs) as pool, out.open("w", encoding="utf-8") as fh:
        for record in pool.imap(audit, items, chunksize=4):
            if record is not None:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return summary(out)


def summary(out: Path) -> int:
    """Print what needs a look, then the totals; exit 1 when anything changed."""
    count: Counter[str] = Counter()
    size: Counter[str] = Counter()
    flagged = 0
    # Lines are split at "\n" only: the records keep U+2028 and U+0085 as they are.
    with out.open(encoding="utf-8", newline="\n") as fh:
        records = [json.loads(line) for line in fh]
    for record in records:
        count[record["kind"]] += 1
        size[record["kind"]] += record["bytes"]
        keys = ("changes", "findings", "not_idempotent", "round_trip_fails")
        if any(record.get(key) for key in keys):
            flagged += 1
            print(f"== {record['path']} ({record.get('encoding')}, {record['status']})")
            for key in keys[:3]:
                for item in (record.get(key) or [])[:8]:
                    print(f"   {key}: {item}")
            if record.get("round_trip_fails"):
                print("   the legacy reading does not encode back to the file's bytes")
    for kind in sorted(count):
        print(f"{kind:40} {count[kind]:7} files {size[kind] / 1e6:9.1f} MB")
    print(f"{'total':40} {sum(count.values()):7} files {sum(size.values()) / 1e6:9.1f} MB")
    return 1 if flagged else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("roots", type=Path, nargs="*")
    parser.add_argument("--summary", action="store_true", help="only summarise OUT")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-mb", type=float, default=DEFAULT_MAX_MB)
    args = parser.parse_args(argv)
    if args.summary:
        return summary(args.out)
    return run(args.out, args.roots, args.jobs, args.max_mb)


if __name__ == "__main__":
    sys.exit(main())
