"""The library: one-call use, rich results, files, and detection without edits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import fixenc
from fixenc.model import Kind, Op, Step
from fixenc.replay import replay


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(lambda: fixenc.fix_text("CafÃ©"), "Café", id="fix_text"),
        pytest.param(lambda: fixenc.repair("CafÃ©").text, "Café", id="repair"),
        pytest.param(lambda: fixenc.fix_bytes("CafÃ©".encode()).text, "Café", id="fix_bytes-utf8"),
        pytest.param(
            lambda: fixenc.fix_bytes("编码测试，这是简体中文的句子。".encode("gbk")).text,
            "编码测试，这是简体中文的句子。",
            id="fix_bytes-gbk",
        ),
        pytest.param(
            lambda: fixenc.fix_bytes("设计".encode("gbk"), lang="zh").text,
            "设计",
            id="fix_bytes-hint",
        ),
    ],
)
def test_one_call(call, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert call() == expected


def test_result_is_rich_and_serialisable() -> None:
    result = fixenc.repair("ok\nCafÃ© and naÃ¯ve")
    assert result.changed
    assert [(c.kind, c.line, c.column, c.before, c.after) for c in result.changes] == [
        (Kind.MOJIBAKE, 2, 4, "Ã©", "é"),
        (Kind.MOJIBAKE, 2, 13, "Ã¯", "ï"),
    ]
    assert all(replay(c.steps, c.before) == c.after for c in result.changes)
    assert json.loads(json.dumps(result.to_dict()))["changes"][0]["steps"] == [
        ["encode", "latin-1"],
        ["decode", "utf-8"],
    ]
    assert result.counts() == {"mojibake": 2}


def test_legacy_bytes_record_a_decode_change() -> None:
    result = fixenc.fix_bytes("這是繁體中文的測試文字，用來檢查編碼偵測。".encode("big5"))
    assert result.encoding == "big5"
    assert 0 < (result.encoding_confidence or 0) <= 1
    assert [c.kind for c in result.changes] == [Kind.DECODE]


@pytest.mark.parametrize(
    ("steps", "before", "after"),
    [
        pytest.param(
            [Step(Op.ENCODE, "latin-1"), Step(Op.DECODE, "utf-8")], "CafÃ©", "Café", id="latin"
        ),
        pytest.param(
            [Step(Op.ENCODE, "gbk"), Step(Op.DECODE, "utf-8")], "浣犲ソ", "你好", id="gbk"
        ),
        pytest.param(
            [Step(Op.ENCODE, "sloppy-windows-1252"), Step(Op.DECODE, "utf-8")],
            "â€œ",
            "“",
            id="sloppy",
        ),
        pytest.param([Step(Op.REPLACE, "x")], "y", "x", id="replace"),
        pytest.param([Step(Op.DELETE)], "(lái)", "", id="delete"),
    ],
)
def test_steps_replay(steps: list[Step], before: str, after: str) -> None:
    assert replay(steps, before) == after


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([Step(Op.ENCODE, "latin-1")], id="ends-in-bytes"),
        pytest.param([Step(Op.APPLY, "not_a_fixer")], id="unknown-fixer"),
        pytest.param([Step(Op.DECODE, "utf-8")], id="decode-text"),
    ],
)
def test_bad_plans_raise(steps: list[Step]) -> None:
    with pytest.raises(ValueError):
        replay(steps, "abc")


def test_fix_path_writes_atomically_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"\xef\xbb\xbfCaf\xc3\x83\xc2\xa9\r\n")
    path.chmod(0o640)
    result = fixenc.fix_path(path)
    assert result.text == "Café\r\n"
    assert path.read_bytes() == b"\xef\xbb\xbfCaf\xc3\xa9\r\n"  # BOM and CRLF kept
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]  # no temp file left


def test_fix_path_leaves_clean_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_text("你好，世界！\n", encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    fixenc.fix_path(path)
    assert path.stat().st_mtime_ns == 1_000_000_000


@pytest.mark.parametrize(
    ("make", "error"),
    [
        pytest.param(lambda p: p / "missing.txt", fixenc.FileError, id="missing"),
        pytest.param(lambda p: p, fixenc.FileError, id="directory"),
    ],
)
def test_fix_path_errors(tmp_path: Path, make, error: type[Exception]) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error):
        fixenc.fix_path(make(tmp_path))


def test_fix_path_binary(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(fixenc.BinaryInputError):
        fixenc.fix_path(path)
    assert path.read_bytes() == b"\x00\x01\x02abc"


def test_detect_changes_nothing_and_lists_would_be_repairs() -> None:
    text = "ok CafÃ©"
    detection = fixenc.detect(text)
    assert [(f.kind, f.text, f.candidates[0].text) for f in detection.findings] == [
        (Kind.MOJIBAKE, "Ã©", "é")
    ]
    assert json.loads(json.dumps(detection.to_dict()))["findings"][0]["line"] == 1


def test_detect_bytes_reports_encoding_evidence() -> None:
    detection = fixenc.detect("编码测试，这是简体中文的句子，用来检查。".encode("gbk"))
    assert detection.encoding == "gb18030"
    assert detection.encoding_candidates[0].encoding == "gb18030"
