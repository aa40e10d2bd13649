"""Large files stream in whole-line pieces, and the result is the whole-file result.

Real files, real pipeline, tiny pieces (``chunk_bytes`` of a few KiB) so that a small
file crosses many piece edges, with damage on the lines next to every edge. Throughput
and memory are printed by ``benchmarks/bench_large_stream.py``, not asserted here.
"""

from __future__ import annotations

import io
import os
import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run_cli

from fixenc.decode import charsets
from fixenc.files import Streaming
from fixenc.files import stream as stream_
from fixenc.model import Change, Finding, Options, Status
from fixenc.process import Job, process_data, process_path

CHUNK = 2048
STREAM = Streaming(min_bytes=0, chunk_bytes=CHUNK)

# Lines of each kind; damage is every third line, so both sides of every edge have some.
CLEAN = [
    "plain English line number {i}",
    "你好，世界！这是第{i}行简体中文。",
    "這是第{i}行繁體中文的測試文字。",
    "日本語のテキスト、{i}行目です。",
    "한국어 문서 {i}번째 줄입니다.",
    "Привет, мир: строка {i}.",
]
DAMAGED = [
    "CafÃ© au lait, crÃ¨me brÃ»lÃ©e #{i}",  # UTF-8 read as cp1252
    "浣犲ソ锛屼笘鐣岋紒 #{i}",  # UTF-8 Chinese read as GBK
    "ÐŸÑ€Ð¸Ð²ÐµÑ‚ #{i}",  # UTF-8 Russian read as cp1252
    "锟斤拷 lost #{i}",  # unrecoverable: a finding
]


def _text(lines: int, *, damaged: bool = True, newline: str = "\n", para: int = 0) -> str:
    out = []
    for i in range(lines):
        if damaged and i % 3 == 0:
            out.append(DAMAGED[(i // 3) % len(DAMAGED)].format(i=i))
        else:
            out.append(CLEAN[i % len(CLEAN)].format(i=i))
        if para and i % para == para - 1:
            out.append("")  # a blank line: a paragraph edge
    return newline.join(out) + newline


def _numbered(template: str, lines: int) -> str:
    return "".join(template.format(i=i) for i in range(lines))


@dataclass(frozen=True)
class Case:
    data: bytes
    keep_encoding: bool = False


CASES = [
    pytest.param(Case(_text(600).encode()), id="utf8-lf"),
    pytest.param(Case(_text(600, newline="\r\n").encode()), id="utf8-crlf"),
    pytest.param(Case(_text(600, newline="\r").encode()), id="utf8-cr-only"),
    pytest.param(Case(b"\xef\xbb\xbf" + _text(600, para=5).encode()), id="utf8-bom-paragraphs"),
    pytest.param(Case(_text(600).rstrip("\n").encode()), id="no-final-newline"),
    pytest.param(Case(_text(600, damaged=False).encode()), id="clean-unchanged"),
    pytest.param(
        Case(
            (
                "<meta charset=gbk>\n" + _numbered("这是一段简体中文的测试文字，第{i}行。\n", 800)
            ).encode("gbk")
        ),
        id="gbk-with-declaration",
    ),
    pytest.param(
        Case(
            _numbered("這是第{i}段繁體中文的測試文字。\n\n", 800).encode("big5"), keep_encoding=True
        ),
        id="big5-keep-encoding",
    ),
    pytest.param(
        Case(_numbered("日本語のテキストです。古いソフトウェア{i}。\n", 800).encode("shift_jis")),
        id="shift-jis",
    ),
]


def _key(record: Change | Finding) -> tuple[object, ...]:
    extra = (record.before, record.after) if isinstance(record, Change) else (record.text,)
    return (
        record.kind,
        record.start,
        record.end,
        record.line,
        record.column,
        record.reason,
        *extra,
    )


@pytest.mark.parametrize("case", CASES)
def test_streamed_file_equals_whole_file(tmp_path: Path, case: Case) -> None:
    """Same bytes written, same status, same records at whole-file offsets and lines."""
    assert len(case.data) > 10 * CHUNK  # many edges
    path = tmp_path / "big.txt"
    path.write_bytes(case.data)
    whole = process_data(case.data, Job(Options(), keep_encoding=case.keep_encoding), source=path)
    job = Job(Options(), write=True, keep_encoding=case.keep_encoding, streaming=STREAM)
    streamed = process_path(path, job)
    assert whole.outcome.result is not None and streamed.outcome.result is not None
    assert streamed.outcome.status is whole.outcome.status
    assert path.read_bytes() == whole.data
    assert [_key(c) for c in streamed.outcome.result.changes] == [
        _key(c) for c in whole.outcome.result.changes
    ]
    assert [_key(f) for f in streamed.outcome.result.findings] == [
        _key(f) for f in whole.outcome.result.findings
    ]
    assert streamed.outcome.result.encoding == whole.outcome.result.encoding
    assert streamed.outcome.written is (whole.outcome.status is Status.CHANGED)


def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_bytes(_text(600, damaged=False).encode())
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    outcome = process_path(path, Job(Options(), write=True, streaming=STREAM)).outcome
    assert (outcome.status, outcome.written) == (Status.UNCHANGED, False)
    assert path.stat().st_mtime_ns == 1_000_000_000
    assert not [p for p in tmp_path.iterdir() if p != path]  # no temporary file left


def test_read_only_damaged_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "ro.txt"
    data = _text(600).encode()
    path.write_bytes(data)
    path.chmod(0o444)
    outcome = process_path(path, Job(Options(), write=True, streaming=STREAM)).outcome
    assert outcome.status is Status.ERROR and "read-only" in outcome.message
    assert path.read_bytes() == data


def test_backup_is_taken_before_the_replacement(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    data = _text(600).encode()
    path.write_bytes(data)
    job = Job(Options(), write=True, backup_suffix=".orig", streaming=STREAM)
    assert process_path(path, job).outcome.written
    assert (tmp_path / "b.txt.orig").read_bytes() == data
    assert path.read_bytes() != data


def test_output_dir_copy(tmp_path: Path) -> None:
    path = tmp_path / "in.txt"
    data = _text(600).encode()
    path.write_bytes(data)
    out = tmp_path / "out" / "in.txt"
    outcome = process_path(path, Job(Options(), write=True, streaming=STREAM), output_path=out)
    assert outcome.outcome.written and path.read_bytes() == data
    assert out.read_bytes() == process_data(data, Job(Options()), source=path).data


LATER = [
    # (what the start reads as, what comes after the detection prefix, outcome)
    pytest.param("ascii", "Café, later UTF-8\n".encode(), "utf-8", id="ascii-start-utf8-later"),
    pytest.param(
        "gbk", "€ and 𠀀 need GB18030\n".encode("gb18030"), "gb18030", id="gbk-needs-superset"
    ),
    pytest.param("utf-8", b"\xff\xfe not text in any reading\n", None, id="undecodable-later"),
]


@pytest.mark.parametrize(("start", "later", "encoding"), LATER)
def test_bytes_after_the_detection_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str, later: bytes, encoding: str | None
) -> None:
    """Detection reads a bounded prefix; later bytes that do not fit it send the file
    through the encoding's supersets, or leave it untouched."""
    monkeypatch.setattr(stream_, "DETECT_BYTES", 4096)
    head = {
        "ascii": "plain ASCII line\n",
        "gbk": "这是一段简体中文的测试文字。\n",
        "utf-8": "你好，世界！\n",
    }[start]
    codec = "gbk" if start == "gbk" else "utf-8"
    data = head.encode(codec) * 600 + later + head.encode(codec) * 10
    path = tmp_path / "late.txt"
    path.write_bytes(data)
    outcome = process_path(path, Job(Options(), write=True, streaming=STREAM)).outcome
    if encoding is None:
        assert outcome.status is Status.SKIPPED and path.read_bytes() == data
        assert not [p for p in tmp_path.iterdir() if p != path]
        return
    assert outcome.result is not None and outcome.result.encoding == encoding
    assert path.read_bytes() == data.decode(encoding).encode()


def test_utf16_is_read_whole(tmp_path: Path) -> None:
    """UTF-16 cannot be cut at line breaks by bytes: the file goes the whole-file way."""
    path = tmp_path / "wide.txt"
    data = "\ufeff你好\n".encode("utf-16-le") * 3000
    path.write_bytes(data)
    outcome = process_path(path, Job(Options(), streaming=STREAM)).outcome
    assert outcome.result is not None and outcome.result.original  # text kept: read whole


def test_pieces_end_at_line_edges() -> None:
    rng = random.Random(7)
    lines = [
        "x" * rng.choice([0, 1, 5, 80, 3000]) + rng.choice(["\n", "\r\n", "\r"])
        for _ in range(3000)
    ]
    data = "".join(lines).encode()
    parts = list(stream_.pieces(io.BytesIO(data), chunk_bytes=CHUNK))
    assert b"".join(parts) == data
    for part in parts[:-1]:
        assert part.endswith((b"\n", b"\r"))
        assert len(part) <= 2 * CHUNK + 3000  # a piece plus at most one line
    # A CRLF is never split between two pieces.
    offset = 0
    for part in parts[:-1]:
        offset += len(part)
        assert data[offset - 1 : offset + 1] != b"\r\n"


def test_a_line_without_breaks_is_cut_at_a_space() -> None:
    data = b"word " * (CHUNK * stream_.MAX_LINE_CHUNKS // 5 + 100)
    parts = list(stream_.pieces(io.BytesIO(data), chunk_bytes=CHUNK))
    assert b"".join(parts) == data and len(parts) > 1
    assert all(p.endswith(b" ") for p in parts[:-1])


def test_line_breaks_are_never_inside_a_character() -> None:
    """The byte edges are exact: in every ASCII-compatible codec fixenc decodes, no
    multi-byte character holds a byte of a line break, a space or a tab (checked on the
    codecs' own tables: each lead byte followed by each of those bytes)."""
    breaks = b"\n\r \t"
    streamable = [c for c in charsets.known() if stream_.ascii_compatible(c)]
    assert len(streamable) > 40
    for codec in streamable:
        for lead in range(0x80, 0x100):
            for b in breaks:
                try:
                    text = bytes([lead, b]).decode(codec)
                except UnicodeDecodeError:
                    continue
                assert text.endswith(chr(b)), (codec, hex(lead), hex(b))


def test_cli_streams_large_files(tmp_path: Path) -> None:
    """The command line streams a file from ``STREAM_MIN_BYTES`` on: the listing gives
    whole-file lines (damage in the first and the last piece), and the repair is that
    of the whole file."""
    damaged = "CafÃ© au lait\n"
    lines = stream_.STREAM_MIN_BYTES // 22 + 1000
    body = "plain ASCII text line\n" * lines
    path = tmp_path / "huge.txt"
    path.write_text(damaged + body + damaged, encoding="utf-8")
    checked = run_cli("check", "-j1", str(path))
    assert checked.returncode == 1
    listing = checked.stdout.decode()
    assert "huge.txt:1:4: mojibake" in listing and f"huge.txt:{lines + 2}:4: mojibake" in listing
    assert "[-Ã©-]{+é+}" in listing  # no line around it: a streamed file's text is not kept
    done = run_cli("fix", "-j1", str(path))
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == "Café au lait\n" + body + "Café au lait\n"
