"""Write fixenc/data/rare-classes.txt: the cheap pass's rare Han and rare Hangul classes.

They are derived from the shipped frequency tables (``fixenc.plausibility.suspects.
derive_rare_classes``), which takes about a second because it loads all four tables; the
package reads the result instead, so that scanning clean text loads no table. Run it after
``scripts/build_plausibility_tables.py``; ``tests/test_plausibility.py`` fails while the
shipped file differs from what the tables give.

    python scripts/build_rare_classes.py
"""

from __future__ import annotations

from pathlib import Path

from fixenc.plausibility.suspects import RARE_CLASSES_FILE, derive_rare_classes

TARGET = Path(__file__).resolve().parent.parent / "fixenc" / "data" / RARE_CLASSES_FILE
HEADER = (
    "# Rare Han (CJK Unified Ideographs outside the common characters) and rare Hangul\n"
    "# syllables, as regex class bodies: derived from the plausibility-*.tsv.gz tables by\n"
    "# scripts/build_rare_classes.py. Do not edit by hand.\n"
)


def main() -> int:
    rare_han, rare_hangul = derive_rare_classes()
    TARGET.write_text(f"{HEADER}{rare_han}\n{rare_hangul}\n", encoding="utf-8")
    print(f"wrote {TARGET} ({len(rare_han)} + {len(rare_hangul)} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
