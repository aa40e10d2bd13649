"""The real CLI over a generated tree of 2,000+ files: every outcome, and interruptions.

Every kind of file a bulk run meets is in the tree (``bulk_tree.py``): clean (some with
BOM, some CRLF), Latin mojibake, GBK and Big5, binary, symlinked, ``.gitignore``d, inside
``.git``, FIFOs, and unreadable. Running as root, the run gives up root's power to read any
file, so that a mode-000 file is really unreadable. ``FIXENC_BULK_SCALE=10`` runs a ten times larger tree.
"""

from __future__ import annotations

import ctypes
import json
import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from bulk_tree import Expected, build, make_readable, make_unreadable
from conftest import ROOT, like_a_terminal_job

SCALE = int(os.environ.get("FIXENC_BULK_SCALE", "1"))
OLD_MTIME_NS = 1_000_000_000_000_000_000  # 2001-09-09: any rewrite would show
# Linux capabilities that let root read any file, and prctl's "drop from bounding set".
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def _without_read_override() -> None:
    """In the child before exec: give up root's power to read mode-000 files.

    Dropping the capabilities from the bounding set makes the exec'd program start
    without them, while it stays uid 0 and owner of the tree it must write.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _unprivileged(probe: Path) -> dict[str, Any]:
    """Popen arguments under which a mode-000 file is unreadable; skip if none exist."""
    probe.write_text("secret")
    probe.chmod(0)
    kwargs: dict[str, Any] = {"preexec_fn": _without_read_override} if os.geteuid() == 0 else {}
    try:
        check = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}).read()"],
            capture_output=True,
            check=False,
            **kwargs,
        )
    except OSError:
        check = None
    probe.chmod(0o600)
    probe.unlink()
    if check is None or check.returncode == 0:
        pytest.skip("cannot make a file unreadable here (root without prctl capability drop)")
    return kwargs


def _cli(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "fixenc", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def _run(*args: str, **kwargs: Any) -> tuple[int, str, str]:
    proc = _cli(*args, **kwargs)
    out, err = proc.communicate(timeout=600)
    return proc.returncode, out.decode(), err.decode()


def _temps(root: Path) -> list[Path]:
    return [p for p in root.rglob("*.fixenc-tmp")]


def _regular_files(plan: dict[str, tuple[bytes | None, Expected]]) -> dict[str, Any]:
    return {rel: v for rel, v in plan.items() if v[0] is not None}


def test_every_outcome_of_a_large_tree(tmp_path: Path) -> None:
    privileges = _unprivileged(tmp_path / "probe")
    root = tmp_path / "corpus"
    root.mkdir()
    plan = build(root, scale=SCALE)
    assert len(plan) >= 2000 * SCALE
    make_unreadable(root, plan)
    for rel, (data, _) in plan.items():
        if data is not None:
            os.utime(root / rel, ns=(OLD_MTIME_NS, OLD_MTIME_NS))

    started = time.monotonic()
    code, out, err = _run("fix", str(root), "--jobs", "2", "--format", "json", **privileges)
    elapsed = time.monotonic() - started
    assert code == 2, err  # the unreadable files are errors
    assert "\r" not in err and "files ·" not in err  # no progress bar: stderr is a pipe
    assert elapsed < 60 * SCALE, f"{elapsed:.1f} s"
    reported = {str(Path(f["path"]).relative_to(root)): f for f in json.loads(out)["files"]}
    make_readable(root, plan)  # for the comparisons below

    mismatches = []
    for rel, (original, expected) in plan.items():
        path = root / rel
        entry = reported.get(rel)
        if expected.status == "absent":
            if entry is not None:
                mismatches.append((rel, "reported", entry["status"]))
        elif entry is None:
            mismatches.append((rel, "not reported", expected.status))
        elif (entry["status"], entry.get("message", "")[: len(expected.reason)]) != (
            expected.status,
            expected.reason,
        ):
            mismatches.append((rel, entry["status"], entry.get("message", "")))
        if expected.after is not None and path.read_bytes() != expected.after:
            mismatches.append((rel, "bytes", path.read_bytes()[:60]))
        untouched = original is not None and expected.after == original
        if untouched and path.stat().st_mtime_ns != OLD_MTIME_NS:
            mismatches.append((rel, "touched", expected.status))
    assert mismatches == []
    assert all((root / rel).is_symlink() for rel in plan if rel.startswith("links/"))
    assert _temps(root) == []

    summary = json.loads(out)["summary"]
    counts = {s: sum(1 for _, e in plan.values() if e.status == s) for s in ("changed", "error")}
    assert (summary["changed"], summary["errors"]) == (counts["changed"], counts["error"])
    assert summary["encodings"].keys() >= {"utf-8", "gb18030", "big5"}

    # Unlocked, the unreadable files are read and fixed; nothing else changes.
    code, out, err = _run("fix", str(root), "--jobs", "2", "--format", "json", **privileges)
    assert code == 0, err
    later = {rel: e.repaired for rel, (_, e) in plan.items() if e.repaired is not None}
    assert json.loads(out)["summary"]["changed"] == len(later)
    assert {rel: (root / rel).read_bytes() for rel in later} == later
    # A further run finds nothing to do and touches nothing (idempotent).
    mtimes = {p: p.lstat().st_mtime_ns for p in root.rglob("*")}
    code, out, err = _run("fix", str(root), "--jobs", "2", "--format", "json", **privileges)
    assert code == 0, err
    assert json.loads(out)["summary"]["changed"] == 0
    assert {p: p.lstat().st_mtime_ns for p in root.rglob("*")} == mtimes


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(c) for c in path.read_text().split()]
    except OSError:
        return []


def _wait_until_repaired(path: Path, expected: bytes, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("the run ended before it could be interrupted; enlarge the tree")
        try:
            if path.read_bytes() == expected:
                return
        except OSError:
            pass
        time.sleep(0.005)
    pytest.fail("no file was repaired within 120 s")


INTERRUPTIONS = [
    pytest.param("kill-worker", 2, id="sigkill-one-worker"),
    pytest.param("kill-all", -signal.SIGKILL, id="sigkill-the-whole-run"),
    pytest.param("interrupt", 130, id="ctrl-c"),
    pytest.param("terminate", 130, id="sigterm"),
]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(("how", "expected_code"), INTERRUPTIONS)
def test_interrupted_run_leaves_whole_files_and_a_rerun_finishes(
    tmp_path: Path, how: str, expected_code: int
) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    plan = _regular_files(build(root, scale=1))
    plan = {rel: v for rel, v in plan.items() if not rel.startswith("private/")}
    first_damaged = "damaged/d00/m00000.md"

    proc = _cli(
        "fix", str(root), "--jobs", "2", start_new_session=True, preexec_fn=like_a_terminal_job
    )
    _wait_until_repaired(root / first_damaged, plan[first_damaged][1].after or b"", proc)
    if how == "kill-worker":
        workers = _children(proc.pid)
        assert workers, "no worker processes found"
        os.kill(workers[0], signal.SIGKILL)
    elif how == "kill-all":
        os.killpg(proc.pid, signal.SIGKILL)
    elif how == "interrupt":
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    else:
        os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == expected_code, err.decode()[-2000:]

    partial = [
        rel
        for rel, (original, expected) in plan.items()
        if (root / rel).read_bytes() not in (original, expected.after)
    ]
    assert partial == []
    not_yet = [rel for rel, (_, e) in plan.items() if (root / rel).read_bytes() != e.after]
    assert not_yet, "the interruption came too late to test anything"
    if how in ("interrupt", "terminate"):
        assert _temps(root) == []  # a catchable signal cleans up after itself
        assert "interrupted" in err.decode()

    code, _, err2 = _run("fix", str(root), "--jobs", "2")
    assert code == 0, err2[-2000:]
    assert [rel for rel, (_, e) in plan.items() if (root / rel).read_bytes() != e.after] == []
    assert _temps(root) == []  # leftovers of a SIGKILL are removed by the next run


# ------------------------------------------------------------------ options of a bulk run

SMALL = {
    "a/menu.txt": ("CafÃ© au lait\r\n".encode(), "Café au lait\r\n".encode()),
    "a/clean.txt": ("Café au lait\n".encode(), "Café au lait\n".encode()),
    "b/legacy.txt": (
        "这是一段简体中文的测试文字，用来检查编码侦测。\n".encode("gbk"),
        "这是一段简体中文的测试文字，用来检查编码侦测。\n".encode(),
    ),
    "b/image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", b"\x89PNG\r\n\x1a\n\x00\x00\x00"),
}


def _small(root: Path) -> Path:
    for rel, (data, _) in SMALL.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        os.utime(root / rel, ns=(OLD_MTIME_NS, OLD_MTIME_NS))
    return root


def _contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = _small(tmp_path / "t")
    code, _, err = _run("fix", "--dry-run", str(root))
    assert code == 1, err
    assert "menu.txt: would fix 1 mojibake" in err and "legacy.txt: would fix gb18030" in err
    assert _contents(root) == {rel: data for rel, (data, _) in SMALL.items()}


def test_output_dir_mirrors_the_tree_and_leaves_originals(tmp_path: Path) -> None:
    root = _small(tmp_path / "t")
    out = tmp_path / "out"
    code, _, err = _run("fix", str(root), "--output-dir", str(out))
    assert code == 0, err
    assert _contents(root) == {rel: data for rel, (data, _) in SMALL.items()}
    # A usable copy of the tree: the binary file is copied as it is (issue 15).
    expected = {f"t/{rel}": after for rel, (_, after) in SMALL.items()}
    assert _contents(out) == expected
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    code, _, err = _run("fix", str(root), "--output-dir", str(out))
    assert code == 0 and {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes


def test_output_dir_inside_the_tree_is_not_walked(tmp_path: Path) -> None:
    root = _small(tmp_path / "t")
    for _ in range(2):
        code, _, err = _run("fix", str(root), "--output-dir", str(root / "fixed"))
        assert code == 0, err
    assert sorted(
        p.relative_to(root / "fixed").as_posix() for p in (root / "fixed").rglob("*.txt")
    ) == ["t/a/clean.txt", "t/a/menu.txt", "t/b/legacy.txt"]


def test_backup_keeps_each_changed_original(tmp_path: Path) -> None:
    root = _small(tmp_path / "t")
    code, _, err = _run("fix", str(root), "--backup", ".orig")
    assert code == 0, err
    expected = {rel: after for rel, (_, after) in SMALL.items()}
    expected |= {f"{rel}.orig": data for rel, (data, after) in SMALL.items() if data != after}
    assert _contents(root) == expected
    assert (root / "a/clean.txt").stat().st_mtime_ns == OLD_MTIME_NS


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    build(root, scale=1)
    results = [_run("check", str(root), "--jobs", jobs, "--format", "json") for jobs in "12"]
    assert results[0][0] == results[1][0] == 1
    assert json.loads(results[0][1]) == json.loads(results[1][1])


SUMMARY_CASES = [
    pytest.param(["t"], True, id="directory-gets-the-table"),
    pytest.param(["t/a/menu.txt", "t/a/clean.txt"], False, id="named-files-one-line"),
]


@pytest.mark.parametrize(("paths", "table"), SUMMARY_CASES)
def test_summary_table_after_a_directory_walk(
    tmp_path: Path, paths: list[str], table: bool
) -> None:
    _small(tmp_path / "t")
    code, _, err = _run("check", *[str(tmp_path / p) for p in paths])
    assert code == 1
    assert (
        bool(re.search(r"^files scanned +3\n(.*\n)*skipped +1 +binary file 1$", err, re.M)) is table
    )
    assert (
        err.rstrip()
        .splitlines()[-1]
        .endswith("would be fixed, 1 unchanged" + (", 1 skipped." if table else "."))
    )


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    plan = build(root, scale=1)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    primary, replica = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "fixenc", "fix", str(root), "--jobs", "1"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=replica,
    )
    os.close(replica)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=120)
    os.close(primary)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode in (0, 2), text[-2000:]  # 2 where the private/ files are unreadable
    bars = re.findall(r"\r\[[#.]{20}\] +(\d+)/(\d+) files · .*?(?:left|estimating)", text)
    assert bars, text[-2000:]
    # Every file read counts: nothing is locked in this run, binary files are read too.
    read = [
        rel
        for rel, (original, e) in plan.items()
        if original is not None
        and (
            e.status in ("changed", "unchanged", "error") or e.reason == "binary file" or e.repaired
        )
    ]
    assert {total for _, total in bars} == {str(len(read))}
    assert int(bars[-1][0]) > int(bars[0][0])  # it moved
    assert text.rstrip().endswith("211 skipped.") or "failed." in text  # the summary comes last
    assert re.search(rf"\[#{{20}}\] {len(read)}/{len(read)} files in \d+:\d\d", text)  # final line
