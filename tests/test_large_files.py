"""Legacy files of any size decode whole and never crash (issue 9: a GBK file over
11 KB raised OverflowError in the plausibility ranking; a 35 MB one ran for minutes).

Times are printed by ``benchmarks/bench_large_legacy.py``, not asserted here. The 30 MB
files run with FIXENC_FULL=1.
"""

from __future__ import annotations

import os

import pytest
from large_legacy import PROSE, legacy_file

import fixenc

FULL = os.environ.get("FIXENC_FULL") == "1"
SIZES = [
    pytest.param(10_000, id="10KB"),
    pytest.param(1_000_000, id="1MB"),
    pytest.param(
        30_000_000,
        id="30MB",
        marks=pytest.mark.skipif(not FULL, reason="30 MB files run with FIXENC_FULL=1"),
    ),
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("codec", list(PROSE))
def test_large_legacy_file_decodes_whole(codec: str, size: int) -> None:
    data, text = legacy_file(codec, size)
    result = fixenc.fix_bytes(data)
    assert result.text == text
    assert result.text.encode(codec) == data
