"""Write fixenc/data/plausibility-<model>.packed: the Han tables in the form the package
loads (``fixenc.plausibility.tables.pack``), derived from the plausibility-*.tsv.gz files.

Loading the packed form takes milliseconds and leaves no fragmented heap behind in the
process that forks the workers; parsing the TSVs took 0.4 s and 40 MiB of it (issue 12).
Run it after ``scripts/build_plausibility_tables.py``; ``tests/test_plausibility.py``
fails while a shipped packed table differs from what its TSV gives.

    python scripts/build_packed_tables.py
"""

from __future__ import annotations

import zlib
from pathlib import Path

from fixenc.plausibility.tables import MODELS, PACKED_FILE, pack, read_tsv

DATA = Path(__file__).resolve().parent.parent / "fixenc" / "data"
# zlib's best compression: the files are written once and read at every start.
LEVEL = 9


def main() -> int:
    for name in MODELS:
        target = DATA / PACKED_FILE.format(name=name)
        target.write_bytes(zlib.compress(pack(read_tsv(name)), LEVEL))
        print(f"wrote {target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
