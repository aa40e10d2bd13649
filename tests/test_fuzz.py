"""Promise 1, never crash, as properties over any input, plus the atheris target's CI run.

Every ``str`` (lone surrogates included) and every ``bytes`` comes back as a result or a
``fixenc.FixencError``; whatever is repaired is repaired for good (fixing the result
changes nothing), no restoring change deletes text, and every change replays. Generated
mojibake (real text pushed through a wrong codec, once or twice, with or without lost
bytes) makes the stages fire, which random text rarely does.

Hypothesis runs a short budget in CI; ``FIXENC_FUZZ=1`` runs 2,000 examples a property
(``FIXENC_FUZZ_EXAMPLES=N`` any other number).
The atheris target (``tests/fuzz/fuzz_fixenc.py``) runs a few hundred inputs in CI; its
long run is documented in that file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fixenc
from fixenc.pipeline import RESTORING_KINDS
from fixenc.replay import replays

EXAMPLES = int(
    os.environ.get("FIXENC_FUZZ_EXAMPLES", 2000 if os.environ.get("FIXENC_FUZZ") else 40)
)
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Any code point, lone surrogates included (hypothesis leaves them out by default).
ANY_CHAR = st.one_of(st.characters(), st.characters(categories=["Cs"]))
ANY_TEXT = st.text(alphabet=ANY_CHAR, max_size=120)

SOURCES = [
    "你好，世界！这是简体中文的测试文字。",
    "這是繁體中文的測試文字，用來檢查。",
    "日本語のテキストです。カタカナ。",
    "서울에서 만나요. 한국어 문장입니다.",
    "Café au lait, naïve façade, “quoted” — Straße.",
    "Добрый день, это русский текст.",
]
# (written as, read as): the garble families fixenc repairs, and some it only reports.
CODEC_PAIRS = [
    ("utf-8", "cp1252"),
    ("utf-8", "latin-1"),
    ("utf-8", "gbk"),
    ("utf-8", "big5"),
    ("utf-8", "shift_jis"),
    ("utf-8", "cp949"),
    ("gbk", "latin-1"),
    ("gbk", "big5"),
    ("big5", "gbk"),
    ("euc-kr", "cp437"),
    ("shift_jis", "cp1252"),
    ("cp1251", "cp1252"),
]


@st.composite
def mojibake(draw: st.DrawFn) -> str:
    """Clean text with one or two garbled stretches, as real damaged files have."""
    pieces = draw(st.lists(st.sampled_from(SOURCES), min_size=1, max_size=3))
    out = []
    for piece in pieces:
        layers = draw(st.integers(0, 2))
        for _ in range(layers):
            written, read = draw(st.sampled_from(CODEC_PAIRS))
            errors = draw(st.sampled_from(["replace", "ignore"]))
            piece = piece.encode(written, errors="replace").decode(read, errors=errors)
        out.append(piece)
    return draw(st.sampled_from([" ", "\n", ""])).join(out)


def _check(text: str) -> None:
    result = fixenc.repair(text)
    assert fixenc.fix_text(result.text) == result.text
    for change in result.changes:
        assert replays(change), change
        assert not (
            change.kind in RESTORING_KINDS and change.before.strip() and not change.after.strip()
        )


@SETTINGS
@given(st.one_of(ANY_TEXT, mojibake()))
def test_any_text_never_crashes_and_fixes_for_good(text: str) -> None:
    _check(text)
    fixenc.detect(text)


@SETTINGS
@given(
    st.one_of(st.binary(max_size=300), mojibake().map(lambda t: t.encode("utf-8", "surrogatepass")))
)
def test_any_bytes_give_a_result_or_a_fixenc_error(data: bytes) -> None:
    try:
        result = fixenc.fix_bytes(data)
    except fixenc.FixencError:
        return
    _check(result.text)
    with contextlib.suppress(fixenc.FixencError):
        fixenc.detect(data)


@SETTINGS
@given(st.sampled_from(SOURCES), st.sampled_from(["gbk", "big5", "shift_jis", "euc-kr", "cp1252"]))
def test_legacy_bytes_decode_or_refuse_clearly(text: str, encoding: str) -> None:
    try:
        data = (text * 3).encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        result = fixenc.fix_bytes(data)
    except fixenc.DecodeError as error:
        assert "--" not in str(error)  # the library speaks keyword arguments
        return
    _check(result.text)


# A short run of the atheris target: enough to prove the harness works and to catch a
# regression on its seed corpus; long runs are by hand (see the target's docstring).
FUZZ_RUNS = 300
FUZZ_SECONDS = 60


def test_atheris_target_short_run(tmp_path: Path) -> None:
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "tests" / "fuzz" / "corpus", corpus)
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "fuzz" / "fuzz_fixenc.py"),
            f"-runs={FUZZ_RUNS}",
            f"-max_total_time={FUZZ_SECONDS}",
            "-max_len=256",
            "-seed=1",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
        ],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=FUZZ_SECONDS * 5,
        check=False,
    )
    log = proc.stderr.decode(errors="replace")
    assert proc.returncode == 0, log[-3000:]
    assert "Done" in log or "run interrupted" in log or "max_total_time" in log, log[-3000:]
