"""Write fixenc/data/variant-prefilters.txt: what the variant stage's prefilters look for.

Derived from the installed OpenCC's dictionaries (``fixenc.stages.variant.prefilter.
derive_prefilters``, which dumps them with the ``opencc_dict`` tool the wheel ships) and
the zh-Hant frequency table; the package reads the result instead of dumping them. Run it
after upgrading OpenCC; ``tests/test_variant_prefilter.py`` fails while the shipped file
differs from what the installed OpenCC gives.

    python scripts/build_variant_prefilters.py
"""

from __future__ import annotations

from pathlib import Path

from fixenc.stages.variant.prefilter import (
    MAINLAND_CONFIG,
    MAINLAND_DICTIONARY,
    PREFILTERS_FILE,
    derive_prefilters,
    mainland_config,
)

DATA = Path(__file__).resolve().parent.parent / "fixenc" / "data"
HEADER = (
    "# The variant stage's prefilters (fixenc/stages/variant/prefilter.py says what they\n"
    "# mean), derived from OpenCC's dictionaries (Apache-2.0) by\n"
    "# scripts/build_variant_prefilters.py. Do not edit by hand.\n"
)


def main() -> int:
    derived = derive_prefilters()
    (DATA / PREFILTERS_FILE).write_text(HEADER + derived.dump(), encoding="utf-8")
    (DATA / MAINLAND_DICTIONARY).write_text(derived.dictionary(), encoding="utf-8")
    (DATA / MAINLAND_CONFIG).write_text(mainland_config(), encoding="utf-8")
    print(f"wrote {DATA}/variant-* (OpenCC {derived.version}, {len(derived.mainland)} strings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
