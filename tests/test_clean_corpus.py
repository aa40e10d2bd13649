"""The clean-text corpus (scripts/build_clean_corpus.py) must come through unchanged.

A slice runs in every test run; the whole corpus (about 2.4 MB in ten languages) runs
with FIXENC_FULL=1.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator

import pytest
from conftest import ROOT

from fixenc.pipeline import repair

# Bytes of corpus checked in an ordinary run: the CPython CJK texts plus the start of
# each catalogue; the full corpus takes about a minute.
SLICE_BYTES = 120_000
CHUNK_LINES = 200


def _corpus(max_bytes: int) -> Iterator[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location(
        "build_clean_corpus", ROOT / "scripts" / "build_clean_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield from module.iter_corpus(max_bytes)


def _check(max_bytes: int) -> int:
    lines = list(_corpus(max_bytes))
    if not lines:
        pytest.skip("no corpus sources on this machine")
    size = 0
    for i in range(0, len(lines), CHUNK_LINES):
        chunk = "\n".join(line for _, line in lines[i : i + CHUNK_LINES])
        size += len(chunk.encode())
        result = repair(chunk)
        assert result.changes == (), [(c.before, c.after, c.reason) for c in result.changes]
        assert [f for f in result.findings if f.kind.value in ("mojibake", "unrecoverable")] == []
    return size


def test_clean_corpus_slice_is_unchanged() -> None:
    assert _check(SLICE_BYTES) > SLICE_BYTES // 2


@pytest.mark.skipif(
    not os.environ.get("FIXENC_FULL"), reason="set FIXENC_FULL=1 for the full corpus"
)
def test_full_clean_corpus_is_unchanged() -> None:
    assert _check(10_000_000) >= 1_000_000
