"""Record mode: JSONL (plain, gzip, zstd) and Parquet shards, one field repaired per record."""

from __future__ import annotations

import gzip
import json
import os
import pickle
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import record_corpus
from conftest import run_cli

import fixenc.fixer
import fixenc.runner
from fixenc import ConfigError, Fixer
from fixenc.errors import FileError
from fixenc.records import (
    LineFix,
    RecordStatus,
    fix_line,
    fix_raw_line,
    fix_shard,
    log_entry,
)

zstandard = pytest.importorskip("zstandard")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

FIXER = Fixer()
# Enough lines for every kind of record several times over (about 60 damaged).
CORPUS_LINES = 300


@pytest.fixture(scope="module")
def corpus() -> list[record_corpus.Line]:
    return list(record_corpus.lines(CORPUS_LINES, seed=7))


# ----- one line at a time ---------------------------------------------------------------

LINE_CASES = [
    # (id, line, expected output line, status)
    ("clean-kept", '{"id": 1, "text": "Café"}\n', '{"id": 1, "text": "Café"}\n', "unchanged"),
    ("ascii-fast", '{"text":"plain"}', '{"text":"plain"}', "unchanged"),
    (
        "only-the-field-changes",
        '{ "n" : 1.50, "big": 1e400, "text" :  "CafÃ©", "z": [1,2] }\n',
        '{ "n" : 1.50, "big": 1e400, "text" :  "Café", "z": [1,2] }\n',
        "changed",
    ),
    (
        "escaped-stays-escaped",
        '{"text": "Caf\\u00c3\\u00a9"}\n',
        '{"text": "Caf\\u00e9"}\n',
        "changed",
    ),
    (
        "nested-text-key-untouched",
        '{"meta": {"text": "CafÃ©"}, "text": "ÄãºÃ£¬ÊÀ½ç£¡"}\n',
        '{"meta": {"text": "CafÃ©"}, "text": "你好，世界！"}\n',
        "changed",
    ),
    (
        "duplicate-key-last-wins",
        '{"text": "CafÃ©", "text": "naÃ¯ve"}\n',
        '{"text": "CafÃ©", "text": "naïve"}\n',
        "changed",
    ),
    ("crlf-kept", '{"text": "CafÃ©"}\r\n', '{"text": "Café"}\r\n', "changed"),
    ("bom-kept", '\ufeff{"text": "CafÃ©"}\n', '\ufeff{"text": "Café"}\n', "changed"),
    ("blank", "  \n", "  \n", "blank"),
    ("truncated", '{"id": 3, "text": "CafÃ©\n', '{"id": 3, "text": "CafÃ©\n', "malformed"),
    ("array", '["text", "CafÃ©"]\n', '["text", "CafÃ©"]\n', "malformed"),
    ("trailing-garbage", '{"text": "CafÃ©"} x\n', '{"text": "CafÃ©"} x\n', "malformed"),
    ("no-field", '{"body": "CafÃ©"}\n', '{"body": "CafÃ©"}\n', "no-field"),
    ("null-field", '{"text": null}\n', '{"text": null}\n', "no-field"),
    ("number-field", '{"text": 12}\n', '{"text": 12}\n', "no-field"),
    ("lone-surrogate", '{"text": "caf\udce9"}\n', '{"text": "caf\udce9"}\n', "malformed"),
    (
        "unrecoverable-flagged",
        '{"text": "中文锟斤拷锟斤拷测试"}\n',
        '{"text": "中文锟斤拷锟斤拷测试"}\n',
        "flagged",
    ),
]


@pytest.mark.parametrize(
    ("line", "expected", "status"), [c[1:] for c in LINE_CASES], ids=[c[0] for c in LINE_CASES]
)
def test_fix_line(line: str, expected: str, status: str) -> None:
    fix = fix_line(line, FIXER)
    assert (fix.line, fix.status.value) == (expected, status)
    assert fix_line(fix.line, FIXER).line == fix.line  # fixing twice == fixing once


RAW_CASES = [
    ("latin-1-bytes", b'{"text": "caf\xe9"}\n', "malformed"),
    ("cut-utf8", b'{"text": "\xe4\xbd"}\n', "malformed"),
    ("utf8", '{"text": "CafÃ©"}\n'.encode(), "changed"),
]


@pytest.mark.parametrize(
    ("raw", "status"), [c[1:] for c in RAW_CASES], ids=[c[0] for c in RAW_CASES]
)
def test_fix_raw_line_passes_undecodable_bytes_through(raw: bytes, status: str) -> None:
    data, fix = fix_raw_line(raw, FIXER)
    assert fix.status.value == status
    if fix.status is RecordStatus.MALFORMED:
        assert data == raw and fix.error.startswith("not UTF-8")


def test_other_field_and_id_field() -> None:
    fix = fix_line(
        '{"key": "k9", "body": "CafÃ©", "text": "CafÃ©"}', FIXER, field="body", id_field="key"
    )
    assert fix.line == '{"key": "k9", "body": "Café", "text": "CafÃ©"}'
    assert log_entry("s.jsonl", 4, fix)["id"] == "k9"


# ----- whole shards ---------------------------------------------------------------------


def _write_jsonl(path: Path, data: bytes) -> None:
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data))
    elif path.name.endswith(".zst"):
        path.write_bytes(zstandard.ZstdCompressor().compress(data))
    else:
        path.write_bytes(data)


def _read_jsonl(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        return gzip.decompress(data)
    if path.name.endswith(".zst"):
        return b"".join(zstandard.ZstdDecompressor().read_to_iter(data))
    return data


@pytest.mark.parametrize(
    "name", ["corpus.jsonl", "corpus.jsonl.gz", "corpus.jsonl.zst", "corpus.ndjson"]
)
def test_shard_round_trip_changes_only_damaged_fields(
    tmp_path: Path, corpus: list[record_corpus.Line], name: str
) -> None:
    source = tmp_path / name
    _write_jsonl(source, b"".join(line.data for line in corpus))
    before = source.read_bytes()
    seen: list[tuple[int, LineFix]] = []
    out = tmp_path / "out" / name
    summary = fix_shard(source, FIXER, destination=out, on_record=lambda n, f: seen.append((n, f)))
    assert source.read_bytes() == before  # the original is left alone
    got = _read_jsonl(out).splitlines(keepends=True)
    assert len(got) == len(corpus)  # nothing dropped
    for number, (line, written) in enumerate(zip(corpus, got, strict=True), 1):
        assert written == line.expected, (number, line.kind)
    malformed = [n for n, line in enumerate(corpus, 1) if line.kind == "malformed"]
    assert [n for n, f in seen if f.status is RecordStatus.MALFORMED] == malformed
    damaged = sum(line.kind == "damaged" for line in corpus)
    assert (summary.changed, summary.malformed, summary.records) == (
        damaged,
        len(malformed),
        len(corpus),
    )
    assert summary.no_field == sum(line.kind == "no-field" for line in corpus)
    assert not [p for p in (tmp_path / "out").iterdir() if p.name != name]  # no temp left


def test_in_place_is_idempotent_and_leaves_clean_shards_alone(
    tmp_path: Path, corpus: list[record_corpus.Line]
) -> None:
    shard = tmp_path / "s.jsonl.gz"
    _write_jsonl(shard, b"".join(line.data for line in corpus))
    shard.chmod(0o640)
    assert fix_shard(shard, FIXER).written
    assert _read_jsonl(shard) == b"".join(line.expected for line in corpus)
    assert shard.stat().st_mode & 0o777 == 0o640
    state = (shard.read_bytes(), shard.stat().st_mtime_ns)
    again = fix_shard(shard, FIXER)
    assert (again.changed, again.written) == (0, False)
    assert (shard.read_bytes(), shard.stat().st_mtime_ns) == state


def test_check_mode_writes_nothing(tmp_path: Path, corpus: list[record_corpus.Line]) -> None:
    shard = tmp_path / "s.jsonl"
    shard.write_bytes(b"".join(line.data for line in corpus))
    state = (shard.read_bytes(), shard.stat().st_mtime_ns)
    summary = fix_shard(shard, FIXER, write=False)
    assert summary.changed > 0 and not summary.written
    assert (shard.read_bytes(), shard.stat().st_mtime_ns) == state
    assert sorted(os.listdir(tmp_path)) == ["s.jsonl"]


def _gzip_truncated(data: bytes) -> bytes:
    return gzip.compress(data)[:-200]


def _zstd_truncated(data: bytes) -> bytes:
    packed: bytes = zstandard.ZstdCompressor().compress(data)
    return packed[:-200]


def _zstd_corrupt(data: bytes) -> bytes:
    packed: bytes = zstandard.ZstdCompressor().compress(data)
    middle = len(packed) // 2
    return packed[:middle] + bytes(64) + packed[middle + 64 :]


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("s.jsonl.gz", _gzip_truncated),
        ("s.jsonl.zst", _zstd_truncated),
        ("s.jsonl.zst", _zstd_corrupt),
    ],
    ids=["gzip-truncated", "zstd-truncated", "zstd-corrupt"],
)
@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "output-dir"])
def test_broken_stream_is_an_error_and_writes_nothing(
    tmp_path: Path, corpus: list[record_corpus.Line], name: str, damage: Any, in_place: bool
) -> None:
    """A shard cut short must never become a shorter output shard."""
    shard = tmp_path / name
    shard.write_bytes(damage(b"".join(line.data for line in corpus)))
    before = shard.read_bytes()
    destination = None if in_place else tmp_path / "out" / name
    with pytest.raises(FileError, match="cannot read or write the shard"):
        fix_shard(shard, FIXER, destination=destination)
    assert shard.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == sorted([name] if in_place else [name, "out"])
    assert not destination or not os.listdir(tmp_path / "out")  # no temporary file left


def test_zstd_of_several_frames(tmp_path: Path, corpus: list[record_corpus.Line]) -> None:
    """Concatenated frames (``zstd -c a >> shard``) are one stream, as zstd reads them."""
    halves = b"".join(x.data for x in corpus[:100]), b"".join(x.data for x in corpus[100:])
    shard = tmp_path / "s.jsonl.zst"
    shard.write_bytes(b"".join(zstandard.ZstdCompressor().compress(h) for h in halves))
    summary = fix_shard(shard, FIXER, destination=tmp_path / "o" / shard.name)
    assert summary.records == len(corpus)
    assert _read_jsonl(tmp_path / "o" / shard.name) == b"".join(x.expected for x in corpus)


def test_streaming_memory_is_bounded(tmp_path: Path) -> None:
    """A shard many times larger than the memory the run allocates: it is never read whole."""
    line = json.dumps({"id": 0, "text": "plain ASCII web text " * 20, "n": 1}).encode() + b"\n"
    shard = tmp_path / "big.jsonl"
    count = 40_000  # about 19 MB
    with shard.open("wb") as handle:
        for _ in range(count):
            handle.write(line)
    tracemalloc.start()
    try:
        summary = fix_shard(shard, FIXER, destination=tmp_path / "out.jsonl")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert summary.records == count
    assert peak < 4 * 2**20, peak  # the read buffer (1 MiB) and a line or two


# ----- Parquet --------------------------------------------------------------------------


def _parquet_rows(
    corpus: list[record_corpus.Line],
) -> tuple[list[dict[str, Any]], list[str | None]]:
    rows, expected = [], []
    for line in corpus:
        if line.kind == "malformed":
            continue
        record = json.loads(line.data)
        rows.append(
            {"id": record["id"], "text": record.get("text"), "score": record["meta"]["score"]}
        )
        expected.append(json.loads(line.expected).get("text"))
    return rows, expected


def test_parquet_round_trip(tmp_path: Path, corpus: list[record_corpus.Line]) -> None:
    rows, expected = _parquet_rows(corpus)
    table = pa.Table.from_pylist(rows).replace_schema_metadata({"origin": "crawl-7"})
    source = tmp_path / "part-0.parquet"
    pq.write_table(table, source, compression="zstd", row_group_size=64)
    logged: list[int] = []
    out = tmp_path / "out" / "part-0.parquet"
    summary = fix_shard(source, FIXER, destination=out, on_record=lambda n, f: logged.append(n))
    result = pq.read_table(out)
    assert result.column("text").to_pylist() == expected
    assert result.column("id").equals(table.column("id"))
    assert result.column("score").equals(table.column("score"))
    assert result.schema.metadata == {b"origin": b"crawl-7"}
    assert pq.ParquetFile(out).metadata.row_group(0).column(1).compression == "ZSTD"
    changed_rows = [
        i for i, (row, want) in enumerate(zip(rows, expected, strict=True)) if row["text"] != want
    ]
    assert logged == changed_rows and summary.changed == len(changed_rows)


@pytest.mark.parametrize(
    ("column", "message"), [("body", "no column 'body'"), ("score", "holds double, not strings")]
)
def test_parquet_wrong_column_is_an_error(tmp_path: Path, column: str, message: str) -> None:
    source = tmp_path / "p.parquet"
    pq.write_table(pa.table({"text": ["a"], "score": [1.0]}), source)
    with pytest.raises(FileError, match=message):
        fix_shard(source, Fixer(field=column), destination=tmp_path / "o.parquet")
    assert not (tmp_path / "o.parquet").exists()


# ----- the Fixer -------------------------------------------------------------------------


def test_fixer_pickles_small_and_reuses_process_state() -> None:
    fixer = Fixer(target="zh-Hans", protected_terms=("臺灣",), field="body")
    data = pickle.dumps(fixer)
    assert len(data) < 600  # options only: the caches stay in each process
    copy = pickle.loads(data)
    assert copy == fixer and hash(copy) == hash(fixer) and copy.field == "body"
    record = {"id": 1, "body": "這份報告 CafÃ© 臺灣", "n": [1]}
    assert copy(record) == {"id": 1, "body": "这份报告 Café 臺灣", "n": [1]}
    assert record["body"] == "這份報告 CafÃ© 臺灣"  # the input is not mutated
    assert copy("這份報告") == "这份报告"


def test_fixer_builds_state_lazily_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    warmed: list[object] = []
    monkeypatch.setattr(fixenc.fixer, "_WARMED", set())
    monkeypatch.setattr(fixenc.runner, "warm", warmed.append)
    fixer = pickle.loads(pickle.dumps(Fixer(target="zh-TW")))
    assert warmed == []  # unpickling builds nothing
    fixer("這份報告")
    fixer({"text": "软件"})
    Fixer(target="zh-TW")("网络")  # another fixer with the same options shares the state
    assert warmed == [fixer.options]
    fixer("ascii only")  # ASCII never needs the state
    assert len(warmed) == 1


@pytest.mark.parametrize("value", [b"bytes", 12, None], ids=["bytes", "int", "none"])
def test_fixer_refuses_other_values(value: object) -> None:
    with pytest.raises(TypeError, match="a Fixer repairs a str or a mapping"):
        FIXER(value)  # type: ignore[call-overload]


def test_fixer_rejects_unknown_target() -> None:
    with pytest.raises(ConfigError, match="target must be one of"):
        Fixer(target="zh-XX")


def test_fixer_record_without_field() -> None:
    record, result = FIXER.fix_record({"id": 1})
    assert (record, result) == ({"id": 1}, None)


# ----- the command line -------------------------------------------------------------------


def test_cli_record_mode(tmp_path: Path, corpus: list[record_corpus.Line]) -> None:
    shard = tmp_path / "crawl-00.jsonl.zst"
    _write_jsonl(shard, b"".join(line.data for line in corpus))
    before = shard.read_bytes()
    log = tmp_path / "changes.jsonl"
    proc = run_cli(
        "fix",
        str(shard),
        "--field",
        "text",
        "--output-dir",
        str(tmp_path / "clean"),
        "--change-log",
        str(log),
    )
    err = proc.stderr.decode()
    assert proc.returncode == 1, err  # malformed lines need a person
    assert shard.read_bytes() == before
    assert _read_jsonl(tmp_path / "clean" / shard.name) == b"".join(
        line.expected for line in corpus
    )
    malformed = [n for n, line in enumerate(corpus, 1) if line.kind == "malformed"]
    for n in malformed:
        assert f"{shard}:{n}: malformed record passed through unchanged" in err
    damaged = sum(line.kind == "damaged" for line in corpus)
    assert f"fixed {damaged} of {len(corpus)} records" in err
    entries = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert [e["line"] for e in entries if e["status"] == "malformed"] == malformed
    changed = [e for e in entries if e["status"] == "changed"]
    assert len(changed) == damaged
    for entry in changed:
        line = corpus[entry["line"] - 1]
        assert entry["id"] == json.loads(line.data)["id"]
        assert entry["kinds"] and sum(entry["counts"].values()) >= 1
        assert set(entry["kinds"]) <= {"mojibake", "annotation"}


def test_cli_check_then_fix_in_place(tmp_path: Path) -> None:
    shard = tmp_path / "s.jsonl"
    lines = [x for x in record_corpus.lines(40, seed=3, malformed=0.0)]
    shard.write_bytes(b"".join(line.data for line in lines))
    check = run_cli("check", str(shard), "--field", "text")
    assert check.returncode == 1 and "would fix" in check.stderr.decode()
    assert shard.read_bytes() == b"".join(line.data for line in lines)
    fix = run_cli("fix", str(shard), "--field", "text")
    assert fix.returncode == 0, fix.stderr.decode()
    assert shard.read_bytes() == b"".join(line.expected for line in lines)
    again = run_cli("check", str(shard), "--field", "text")
    assert again.returncode == 0 and "would fix 0 of" in again.stderr.decode()


def test_cli_bad_shard_is_an_error_and_the_others_still_run(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text('{"id": 1, "text": "CafÃ©"}\n', encoding="utf-8")
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(gzip.compress('{"id": 2, "text": "CafÃ©"}\n'.encode() * 50)[:-30])
    log = tmp_path / "log.jsonl"
    args = ("fix", str(bad), str(tmp_path / "nope.jsonl"), str(good), "--field", "text")
    proc = run_cli(*args, "--change-log", str(log))
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "nope.jsonl: no such file" in err and "bad.jsonl.gz: cannot read" in err
    assert good.read_text(encoding="utf-8") == '{"id": 1, "text": "Café"}\n'
    entries = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    statuses = [(Path(str(e["shard"])).name, e["status"]) for e in entries]
    # bad.jsonl.gz's records before the cut are logged, then the shard's error says that
    # none of them landed.
    assert statuses[-3:] == [
        ("bad.jsonl.gz", "error"),
        ("nope.jsonl", "error"),
        ("good.jsonl", "changed"),
    ]


def test_cli_parquet_with_change_log(tmp_path: Path, corpus: list[record_corpus.Line]) -> None:
    rows, expected = _parquet_rows(corpus)
    shard = tmp_path / "part-3.parquet"
    pq.write_table(pa.Table.from_pylist(rows), shard)
    log = tmp_path / "log.jsonl"
    proc = run_cli("fix", str(shard), "--field", "text", "--change-log", str(log))
    assert proc.returncode == 0, proc.stderr.decode()
    assert pq.read_table(shard).column("text").to_pylist() == expected
    entries = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    changed = [
        i for i, (row, want) in enumerate(zip(rows, expected, strict=True)) if row["text"] != want
    ]
    assert [e["row"] for e in entries] == changed
    assert [e["id"] for e in entries] == [rows[i]["id"] for i in changed]


def test_cli_shards_in_parallel_match_one_process(tmp_path: Path) -> None:
    """``-j 2`` repairs shards in worker processes: same files, messages and change log."""
    outputs = {}
    for jobs in ("1", "2"):
        root = tmp_path / f"j{jobs}"
        (root / "shards").mkdir(parents=True)
        for seed in range(3):
            corpus = record_corpus.lines(40, seed=100 + seed)
            (root / "shards" / f"s{seed}.jsonl").write_bytes(b"".join(x.data for x in corpus))
        proc = run_cli(
            "fix", "shards", "--field", "text", "-j", jobs, "--change-log", "log.jsonl", cwd=root
        )
        files = {p.name: p.read_bytes() for p in sorted((root / "shards").iterdir())}
        outputs[jobs] = (proc.returncode, proc.stderr, (root / "log.jsonl").read_bytes(), files)
    assert outputs["1"] == outputs["2"]
    assert outputs["1"][2].count(b'"status": "malformed"') >= 1


@pytest.mark.parametrize("command", ["fix", "check"])
def test_cli_standard_input(command: str, corpus: list[record_corpus.Line]) -> None:
    """``zstdcat shard | fixenc fix - --field text | zstd``: a stage of a pipeline."""
    proc = run_cli(command, "-", "--field", "text", stdin=b"".join(x.data for x in corpus))
    err = proc.stderr.decode()
    assert proc.returncode == 1, err  # malformed lines (fix) or changes (check) to report
    expected = b"".join(x.expected for x in corpus) if command == "fix" else b""
    assert proc.stdout == expected
    malformed = [n for n, line in enumerate(corpus, 1) if line.kind == "malformed"]
    assert [n for n in range(1, len(corpus) + 1) if f"<stdin>:{n}: malformed" in err] == malformed


@pytest.mark.parametrize(
    "extra",
    [("--diff",), ("--report", "r.html"), ("--backup", ".orig"), ("--keep-encoding",)],
    ids=["diff", "report", "backup", "keep-encoding"],
)
def test_cli_file_mode_options_are_refused_in_record_mode(
    tmp_path: Path, extra: tuple[str, ...]
) -> None:
    shard = tmp_path / "s.jsonl"
    shard.write_text('{"text": "CafÃ©"}\n', encoding="utf-8")
    proc = run_cli("fix", str(shard), "--field", "text", *extra, cwd=tmp_path)
    assert proc.returncode == 2 and "--field takes shard files" in proc.stderr.decode()
    assert shard.read_text(encoding="utf-8") == '{"text": "CafÃ©"}\n'
    assert sorted(os.listdir(tmp_path)) == ["s.jsonl"]


def test_cli_verbose_lists_each_record(tmp_path: Path) -> None:
    shard = tmp_path / "s.jsonl"
    shard.write_text(
        '{"text": "ok"}\n{"text": "CafÃ© ÄãºÃ"}\n{"text": "中文锟斤拷锟斤拷测试"}\n',
        encoding="utf-8",
    )
    err = run_cli("check", str(shard), "--field", "text", "-v").stderr.decode()
    assert f"{shard}:2: would fix mojibake 2\n" in err
    assert f"{shard}:3: needs attention: unrecoverable 1\n" in err
    assert f"{shard}:1:" not in err
