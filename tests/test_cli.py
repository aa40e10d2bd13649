"""The real command line, in a subprocess, on real files."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, run_cli_process

DAMAGED = (
    "latin-mojibake.txt",
    "gbk-legacy.txt",
    "big5-legacy.txt",
    "gbk-read-as-latin1.txt",
    "utf8-read-as-gbk.txt",
    "000_825338dbf911db84.txt",
)
# Damage fixenc reports but cannot (or will not) repair: these keep the exit code at 1.
FLAGGED = ("unrecoverable.txt",)
CLEAN = (
    "clean-traditional.txt",
    "clean-punctuation.txt",
    "README.md",
    "000_825338dbf911db84.gold-zh-Hans.txt",
)
# Correct text fixenc leaves alone but reports, as ``detect`` does: Traditional text
# using mainland vocabulary (項目, 社區, 聯系: signs of machine conversion).
INFORMED = ("000_825338dbf911db84.gold-keep.txt",)


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    copy = tmp_path / "samples"
    shutil.copytree(SAMPLES, copy)
    for path in copy.iterdir():
        path.chmod(0o644)
    return copy


def _state(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.iterdir())}


def test_check_names_damaged_files_and_exits_1(samples: Path) -> None:
    before = _state(samples)
    proc = run_cli("check", str(samples))
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    for name in DAMAGED:
        assert f"{name}: would fix" in err
    for name in FLAGGED:
        assert f"{name}: needs attention" in err
    for name in CLEAN:
        assert name not in err and name not in proc.stdout.decode()
    for name in INFORMED:
        assert f"{name}: 5 variant findings, nothing changed" in err
        assert f"{name}:4:82: variant: mainland vocabulary" in proc.stdout.decode()
    assert _state(samples) == before  # check writes nothing


def test_fix_repairs_then_second_run_changes_nothing(samples: Path) -> None:
    originals = _state(samples)
    proc = run_cli("fix", str(samples))
    assert proc.returncode == 1, proc.stderr.decode()  # the flagged samples need a person
    assert "latin-mojibake.txt: fixed 10 mojibake" in proc.stderr.decode()
    assert (samples / "000_825338dbf911db84.txt").read_bytes() == (
        SAMPLES / "000_825338dbf911db84.gold-keep.txt"
    ).read_bytes()
    for name in FLAGGED:
        assert _state(samples)[name] == originals[name]  # reported, never changed

    latin = (samples / "latin-mojibake.txt").read_text(encoding="utf-8")
    assert "café" in latin and "crème brûlée" in latin and "“everything is fresh.”" in latin
    assert "Ã" not in latin and "â€" not in latin
    gbk = (samples / "gbk-legacy.txt").read_bytes()
    assert gbk.decode("utf-8") == originals["gbk-legacy.txt"][0].decode("gbk")
    assert b"\r\n" in gbk  # newline style kept
    big5 = (samples / "big5-legacy.txt").read_bytes()
    assert big5.decode("utf-8") == originals["big5-legacy.txt"][0].decode("big5")
    for name in CLEAN + INFORMED:
        assert _state(samples)[name] == originals[name]  # same bytes, same mtime

    after_first = _state(samples)
    again = run_cli("fix", str(samples))
    assert again.returncode == 1, again.stderr.decode()
    assert ": fixed" not in again.stderr.decode()
    assert "README.md" not in proc.stderr.decode()  # mojibake shown in code spans is documentation
    assert _state(samples) == after_first


def test_stdin_to_stdout() -> None:
    """The real command in a pipe (``python -m fixenc``): the other CLI tests run in-process."""
    proc = run_cli_process("fix", "-", stdin="CafÃ© au lait\n你好，世界！\n".encode())
    assert proc.returncode == 0
    assert proc.stdout.decode("utf-8") == "Café au lait\n你好，世界！\n"
    assert "<stdin>: fixed 1 mojibake" in proc.stderr.decode()


def test_stdin_keeps_bom_and_crlf() -> None:
    proc = run_cli("fix", "-", stdin=b"\xef\xbb\xbfCaf\xc3\x83\xc2\xa9\r\n")
    assert proc.stdout == b"\xef\xbb\xbfCaf\xc3\xa9\r\n"


@pytest.mark.parametrize(
    ("args", "code", "stdout_has", "stderr_has"),
    [
        pytest.param(("check", "-"), 1, "mojibake", "would fix", id="check-stdin"),
        pytest.param(("check", "--diff", "-"), 1, "+Café", "would fix", id="diff-stdin"),
        pytest.param(("check", "--exit-zero", "-"), 0, "mojibake", "would fix", id="exit-zero"),
    ],
)
def test_check_modes_on_stdin(
    args: tuple[str, ...], code: int, stdout_has: str, stderr_has: str
) -> None:
    proc = run_cli(*args, stdin="CafÃ©\n".encode())
    assert proc.returncode == code
    assert stdout_has in proc.stdout.decode()
    assert stderr_has in proc.stderr.decode()


def _binary(tmp: Path) -> Path:
    path = tmp / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return path


def _unreadable(tmp: Path) -> Path:
    if os.geteuid() == 0:  # root reads mode-000 files; the kernel refuses this one to anyone
        return Path("/proc/self/mem")
    path = tmp / "secret.txt"
    path.write_text("CafÃ©")
    path.chmod(0)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(
            lambda tmp: tmp / "no-such-dir", "no such file or directory", id="missing-dir"
        ),
        pytest.param(_binary, "binary file", id="binary"),
        pytest.param(_unreadable, "", id="unreadable"),
    ],
)
@pytest.mark.parametrize("command", ["fix", "check"])
def test_bad_input_is_one_line_exit_2_nothing_written(
    tmp_path: Path, make: Callable[[Path], Path], message: str, command: str
) -> None:
    path = make(tmp_path)
    before = (
        path.read_bytes()
        if path.is_file() and os.access(path, os.R_OK) and path.stat().st_size
        else None
    )
    proc = run_cli(command, str(path))
    err = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 2
    assert len(err) == 1 and err[0].startswith(f"error: {path}: ") and message in err[0]
    assert proc.stdout == b""
    if before is not None:
        assert path.read_bytes() == before


def test_binary_inside_a_directory_is_skipped_not_an_error(tmp_path: Path) -> None:
    _binary(tmp_path)
    (tmp_path / "ok.txt").write_text("CafÃ©\n", encoding="utf-8")
    proc = run_cli("fix", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "ok.txt").read_text(encoding="utf-8") == "Café\n"


def test_ambiguous_short_legacy_file_is_left_alone_with_candidates(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes("设计".encode("gbk"))
    proc = run_cli("fix", str(path))
    assert proc.returncode == 1
    assert "candidates" in proc.stderr.decode() and "--assume-encoding" in proc.stderr.decode()
    assert path.read_bytes() == "设计".encode("gbk")
    hinted = run_cli("fix", "--assume-encoding", "gbk", str(path))
    assert hinted.returncode == 0
    assert path.read_text(encoding="utf-8") == "设计"


def test_json_lists_every_change(samples: Path) -> None:
    proc = run_cli("check", "--format", "json", str(samples / "latin-mojibake.txt"))
    doc = json.loads(proc.stdout)
    (entry,) = doc["files"]
    assert entry["status"] == "changed"
    assert len(entry["changes"]) == 10
    first = entry["changes"][0]
    assert set(first) >= {
        "kind",
        "start",
        "end",
        "line",
        "column",
        "before",
        "after",
        "reason",
        "confidence",
        "steps",
    }
    assert doc["exit_code"] == 1 and proc.returncode == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(("--help",), "examples:", id="help-teaches"),
        pytest.param(("fix", "--help"), "--target", id="fix-help"),
        pytest.param(("--version",), "fixenc ", id="version"),
    ],
)
def test_help(args: tuple[str, ...], expected: str) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 0
    assert expected in proc.stdout.decode()


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("fix",), id="no-paths"),
        pytest.param(("frobnicate", "x"), id="unknown-command"),
        pytest.param(("fix", "--target", "klingon", "x"), id="bad-target"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    assert run_cli(*args).returncode == 2


def test_detect_prints_encoding_and_findings(samples: Path) -> None:
    proc = run_cli("detect", str(samples / "gbk-legacy.txt"), str(samples / "latin-mojibake.txt"))
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "encoding: gb18030" in out
    assert "mojibake: 'Ã©' → 'é'" in out


def test_colour_never_with_no_color(samples: Path) -> None:
    proc = run_cli("check", str(samples / "latin-mojibake.txt"))
    assert b"\x1b[" not in proc.stdout + proc.stderr


def test_repairable_samples_fix_with_exit_0_and_second_run_exit_0(samples: Path) -> None:
    """Without the samples that need a person, ``fix`` ends at 0 and so does a re-run."""
    for name in FLAGGED:
        (samples / name).unlink()
    first = run_cli("fix", str(samples))
    assert first.returncode == 0, first.stderr.decode()
    after = _state(samples)
    second = run_cli("fix", str(samples))
    assert second.returncode == 0, second.stderr.decode()
    assert ": fixed" not in second.stderr.decode()
    assert _state(samples) == after


def test_check_reports_ambiguous_with_candidates_and_fix_leaves_it(tmp_path: Path) -> None:
    """check: exit 1, the file reported ambiguous with its candidates (in JSON too);
    fix: the file untouched, the report says how to settle it; settled, it is fixed."""
    path = tmp_path / "legacy.txt"
    data = "设计".encode("gbk")
    path.write_bytes(data)
    checked = run_cli("check", str(path))
    assert checked.returncode == 1
    err = checked.stderr.decode()
    assert "ambiguous encoding (candidates: gb18030" in err
    doc = json.loads(run_cli("check", "--format", "json", str(path)).stdout)
    (entry,) = doc["files"]
    assert entry["status"] == "skipped" and entry["skip"] == "ambiguous_encoding"
    assert [c["encoding"] for c in entry["encoding_candidates"]][:1] == ["gb18030"]
    fixed = run_cli("fix", str(path))
    assert fixed.returncode == 1
    assert "left untouched" in fixed.stderr.decode()
    assert "--assume-encoding gb18030" in fixed.stderr.decode()
    assert path.read_bytes() == data
    settled = run_cli("fix", "--lang", "zh-hans", str(path))
    assert settled.returncode == 0, settled.stderr.decode()
    assert path.read_text(encoding="utf-8") == "设计"
