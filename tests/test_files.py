"""Discovery and safe writing, on real files: what is read, what is written, and how."""

from __future__ import annotations

import codecs
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from fixenc.decode import decode
from fixenc.decode.sniff import BINARY_NUL, looks_binary
from fixenc.errors import BinaryInputError
from fixenc.files import (
    MAX_FILE_BYTES,
    Selection,
    read_file,
    remove_stale_temp,
    walk,
    write_atomic,
)
from fixenc.files.io import SNIFF_MIN_BYTES
from fixenc.model import FileOutcome, Options, SkipReason, Status
from fixenc.process import Job, process_path

# What a walk reports for each skip: the reason's category.
SKIP_DUPLICATE = SkipReason.DUPLICATE.value
SKIP_EXCLUDED = SkipReason.EXCLUDED.value
SKIP_GITIGNORE = SkipReason.GITIGNORE.value
SKIP_NOT_INCLUDED = SkipReason.NOT_INCLUDED.value
SKIP_NOT_REGULAR = SkipReason.NOT_REGULAR.value
SKIP_STALE_TEMP = SkipReason.STALE_TEMP.value
SKIP_SYMLINK = SkipReason.SYMLINK.value

MOJIBAKE = "CafÃ© au lait\n".encode()
REPAIRED = "Café au lait\n".encode()


def _tree(root: Path, spec: Mapping[str, str | bytes]) -> Path:
    """Build files from ``{"a/b.txt": content}``; ``"-> target"`` makes a symlink."""
    for name, content in spec.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str) and content.startswith("-> "):
            path.symlink_to(content[3:])
        elif content == "<fifo>":
            os.mkfifo(path)
        else:
            path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def _fates(root: Path, selection: Selection, paths: list[str] | None = None) -> dict[str, str]:
    """``{relative path: "" (processed) or the skip reason}`` for a walk."""
    starts = [root / p for p in paths] if paths else [root]
    return {
        e.path.relative_to(root).as_posix(): e.skip.value if e.skip else ""
        for e in walk(starts, selection)
    }


def process_file(
    path: Path,
    options: Options,
    *,
    write: bool,
    explicit: bool = True,
    backup_suffix: str | None = None,
    output_path: Path | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> FileOutcome:
    """One file through the file flow, as the CLI runs it."""
    job = Job(options, write=write, backup_suffix=backup_suffix, max_bytes=max_bytes)
    return process_path(path, job, explicit=explicit, output_path=output_path).outcome


DISCOVERY_CASES = [
    pytest.param(
        {"a.txt": "x", "sub/b.md": "y", ".git/config": "z", "sub/.hg/x": "z"},
        Selection(),
        {"a.txt": "", "sub/b.md": ""},
        id="recursive-and-vcs-folders-never-entered",
    ),
    pytest.param(
        {
            ".gitignore": "*.log\nbuild/\n!keep.log\n",
            "a.log": "x",
            "keep.log": "x",
            "build/out.txt": "x",
            "src/build/deep.txt": "x",
            "src/ok.txt": "x",
        },
        Selection(),
        {
            ".gitignore": "",
            "a.log": SKIP_GITIGNORE,
            "build": SKIP_GITIGNORE,
            "keep.log": "",
            "src/build": SKIP_GITIGNORE,
            "src/ok.txt": "",
        },
        id="gitignore-globs-dirs-and-negation",
    ),
    pytest.param(
        {
            ".gitignore": "*.txt\n",
            "sub/.gitignore": "!keep.txt\n/local.md\n",
            "sub/keep.txt": "x",
            "sub/drop.txt": "x",
            "sub/local.md": "x",
            "sub/x/local.md": "x",
            "top.txt": "x",
        },
        Selection(),
        {
            ".gitignore": "",
            "sub/.gitignore": "",
            "sub/drop.txt": SKIP_GITIGNORE,
            "sub/keep.txt": "",
            "sub/local.md": SKIP_GITIGNORE,
            "sub/x/local.md": "",
            "top.txt": SKIP_GITIGNORE,
        },
        id="nested-gitignore-deeper-wins-and-anchoring",
    ),
    pytest.param(
        {".gitignore": "*.log\n", "a.log": "x"},
        Selection(respect_gitignore=False),
        {".gitignore": "", "a.log": ""},
        id="no-gitignore",
    ),
    pytest.param(
        {"a.txt": "x", "b.md": "x", "vendor/c.txt": "x", "docs/d.min.js": "x"},
        Selection(include=("*.txt", "*.js"), exclude=("vendor/", "*.min.js")),
        {
            "a.txt": "",
            "b.md": SKIP_NOT_INCLUDED,
            "vendor": SKIP_EXCLUDED,
            "docs/d.min.js": SKIP_EXCLUDED,
        },
        id="include-and-exclude-globs",
    ),
    pytest.param(
        {"real.txt": "x", "link.txt": "-> real.txt", "dirlink": "-> sub", "sub/s.txt": "x"},
        Selection(),
        {"dirlink": SKIP_SYMLINK, "link.txt": SKIP_SYMLINK, "real.txt": "", "sub/s.txt": ""},
        id="symlinks-skipped-by-default",
    ),
    pytest.param(
        {
            "real.txt": "x",
            "link.txt": "-> real.txt",
            "sub/s.txt": "x",
            "sub/loop": "-> ..",
            "dangling.txt": "-> nowhere.txt",
        },
        Selection(follow_symlinks=True),
        {"dangling.txt": "", "link.txt": "", "real.txt": SKIP_DUPLICATE, "sub/s.txt": ""},
        id="followed-links-once-and-loops-end",
    ),
    pytest.param(
        {
            "pipe": "<fifo>",
            "big.txt": "x" * 2000,
            "small.txt": "x",
            ".small.txt.4242.ab12cd34.fixenc-tmp": "partial",
        },
        Selection(max_bytes=1000),
        {
            ".small.txt.4242.ab12cd34.fixenc-tmp": SKIP_STALE_TEMP,
            "big.txt": "larger than the size cap",
            "pipe": SKIP_NOT_REGULAR,
            "small.txt": "",
        },
        id="fifo-size-cap-and-stale-temp",
    ),
]


@pytest.mark.parametrize(("spec", "selection", "expected"), DISCOVERY_CASES)
def test_discovery(
    tmp_path: Path, spec: dict[str, str], selection: Selection, expected: dict[str, str]
) -> None:
    _tree(tmp_path, spec)
    assert _fates(tmp_path, selection) == expected


EXPLICIT_CASES = [
    pytest.param(
        {".gitignore": "*.log\n", "a.log": "x"},
        Selection(),
        ["a.log"],
        [("a.log", "")],
        id="named-file-processed-even-if-gitignored",
    ),
    pytest.param(
        {"vendor/a.txt": "x"},
        Selection(exclude=("vendor/",)),
        ["vendor/a.txt"],
        [("vendor/a.txt", SKIP_EXCLUDED)],
        id="exclude-holds-for-named-files-as-in-pre-commit",
    ),
    pytest.param(
        {"real.txt": "x", "link.txt": "-> real.txt"},
        Selection(),
        ["link.txt"],
        [("link.txt", "")],
        id="named-symlink-is-followed",
    ),
    pytest.param(
        {"a.txt": "x"},
        Selection(),
        ["a.txt", "."],
        [("a.txt", ""), ("a.txt", SKIP_DUPLICATE)],
        id="named-and-inside-a-named-directory-processed-once",
    ),
    pytest.param(
        {"a.txt": "x"},
        Selection(),
        ["a.txt", "a.txt"],
        [("a.txt", ""), ("a.txt", SKIP_DUPLICATE)],
        id="named-twice-processed-once",
    ),
]


@pytest.mark.parametrize(("spec", "selection", "paths", "expected"), EXPLICIT_CASES)
def test_explicit_paths(
    tmp_path: Path,
    spec: dict[str, str],
    selection: Selection,
    paths: list[str],
    expected: list[tuple[str, str]],
) -> None:
    _tree(tmp_path, spec)
    entries = list(walk([tmp_path / p for p in paths], selection))
    assert entries[0].explicit  # a named path is the user's choice: its errors are errors
    fates = [
        (e.path.relative_to(tmp_path).as_posix(), e.skip.value if e.skip else "") for e in entries
    ]
    assert fates == expected


def test_a_named_ignored_directory_is_walked_with_its_own_rules(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            ".gitignore": "build/\n",
            "build/a.txt": "x",
            "build/.gitignore": "*.log\n",
            "build/b.log": "x",
        },
    )
    (tmp_path / ".git").mkdir()
    assert _fates(tmp_path, Selection()) == {".gitignore": "", "build": SKIP_GITIGNORE}
    assert _fates(tmp_path, Selection(), ["build"]) == {
        "build/.gitignore": "",
        "build/a.txt": "",
        "build/b.log": SKIP_GITIGNORE,
    }


def test_gitignore_above_the_walked_root_counts_inside_a_repository(tmp_path: Path) -> None:
    _tree(tmp_path, {".gitignore": "*.gen.txt\n", "pkg/a.gen.txt": "x", "pkg/b.txt": "x"})
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "info").mkdir()
    (tmp_path / ".git" / "info" / "exclude").write_text("b.txt\n")
    assert _fates(tmp_path / "pkg", Selection()) == {
        "a.gen.txt": SKIP_GITIGNORE,
        "b.txt": SKIP_GITIGNORE,
    }


# ------------------------------------------------------------------------------- writing

WRITE_CASES = [
    pytest.param(MOJIBAKE, REPAIRED, id="utf8"),
    pytest.param(
        b"\xef\xbb\xbf" + MOJIBAKE.replace(b"\n", b"\r\n"),
        b"\xef\xbb\xbf" + REPAIRED.replace(b"\n", b"\r\n"),
        id="bom-and-crlf-kept",
    ),
    pytest.param(MOJIBAKE.replace(b"\n", b"\r"), REPAIRED.replace(b"\n", b"\r"), id="cr-kept"),
    pytest.param(
        "這是一段繁體中文的測試文字，用來檢查編碼偵測。\r\n".encode("big5"),
        "這是一段繁體中文的測試文字，用來檢查編碼偵測。\r\n".encode(),
        id="big5-to-utf8",
    ),
]


@pytest.mark.parametrize(("data", "expected"), WRITE_CASES)
def test_fix_writes_exact_bytes_and_keeps_mode(
    tmp_path: Path, data: bytes, expected: bytes
) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    path.chmod(0o640)
    outcome = process_file(path, Options(), write=True)
    assert (outcome.status, outcome.written) == (Status.CHANGED, True)
    assert path.read_bytes() == expected
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # no temporary file left


NEVER_TOUCHED = [
    pytest.param(b"plain ASCII\n", id="ascii"),
    pytest.param("Café au lait, 你好\r\n".encode(), id="clean-utf8-crlf"),
    pytest.param(b"\xef\xbb\xbfCaf\xc3\xa9\n", id="clean-bom"),
    pytest.param("這是繁體中文的測試文字。\n".encode(), id="traditional"),
]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_owner_and_group_are_carried_over(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(MOJIBAKE)
    os.chown(path, 65534, 65534)
    assert process_file(path, Options(), write=True).written
    assert (path.stat().st_uid, path.stat().st_gid, path.read_bytes()) == (65534, 65534, REPAIRED)


@pytest.mark.parametrize("data", NEVER_TOUCHED)
def test_unchanged_file_is_never_touched(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat()
    outcome = process_file(path, Options(), write=True)
    after = path.stat()
    assert (outcome.status, outcome.written) == (Status.UNCHANGED, False)
    assert (after.st_mtime_ns, after.st_ino, path.read_bytes()) == (
        before.st_mtime_ns,
        before.st_ino,
        data,
    )


def test_changed_on_disk_while_processed_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(MOJIBAKE)
    _, snapshot = read_file(path)
    path.write_bytes(MOJIBAKE + b"an edit made meanwhile\n")
    with pytest.raises(OSError, match="changed on disk"):
        write_atomic(path, REPAIRED, snapshot)
    assert path.read_bytes() == MOJIBAKE + b"an edit made meanwhile\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_backup_keeps_the_original(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(MOJIBAKE)
    process_file(path, Options(), write=True, backup_suffix=".orig")
    assert (path.read_bytes(), (tmp_path / "f.txt.orig").read_bytes()) == (REPAIRED, MOJIBAKE)


def test_output_path_leaves_the_original_and_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(MOJIBAKE)
    out = tmp_path / "out" / "f.txt"
    first = process_file(path, Options(), write=True, output_path=out)
    mtime = out.stat().st_mtime_ns
    second = process_file(path, Options(), write=True, output_path=out)
    assert (path.read_bytes(), out.read_bytes()) == (MOJIBAKE, REPAIRED)
    # The second run finds the copy up to date: it says so and does not rewrite it.
    assert (first.written, second.written, out.stat().st_mtime_ns) == (True, True, mtime)


def test_followed_symlink_is_repaired_at_its_target_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_bytes(MOJIBAKE)
    (tmp_path / "link.txt").symlink_to("real.txt")
    outcome = process_file(tmp_path / "link.txt", Options(), write=True)
    assert outcome.written and (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_bytes() == REPAIRED


SKIPPED_OR_ERROR = [
    pytest.param("<fifo>", Status.SKIPPED, "not a regular file", id="fifo-never-blocks"),
    pytest.param(b"\x00\x01\x02binary", Status.ERROR, "binary file", id="named-binary-is-error"),
    pytest.param(b"x" * 5000, Status.SKIPPED, "larger than the size cap", id="too-large"),
]


@pytest.mark.parametrize(("content", "status", "message"), SKIPPED_OR_ERROR)
def test_skips_and_errors(
    tmp_path: Path, content: bytes | str, status: Status, message: str
) -> None:
    _tree(tmp_path, {"f": content})
    outcome = process_file(tmp_path / "f", Options(), write=True, max_bytes=4096)
    assert (outcome.status, outcome.message.startswith(message)) == (status, True)


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


STALE_CASES = [
    pytest.param(_dead_pid, True, id="writer-gone-removed"),
    pytest.param(os.getpid, False, id="writer-running-kept"),
    pytest.param(lambda: 1, False, id="pid-1-running-kept"),
]


@pytest.mark.parametrize(("pid", "removed"), STALE_CASES)
def test_stale_temp_removed_only_when_its_writer_is_gone(
    tmp_path: Path, pid: Callable[[], int], removed: bool
) -> None:
    temp = tmp_path / f".a.txt.{pid()}.ab12cd34.fixenc-tmp"
    temp.write_bytes(b"partial")
    assert (remove_stale_temp(temp), temp.exists()) == (removed, not removed)


def test_a_write_interrupted_before_the_rename_leaves_the_original_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or SIGTERM, which the CLI turns into it) between write and rename."""
    path = tmp_path / "f.txt"
    path.write_bytes(MOJIBAKE)
    _, snapshot = read_file(path)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, REPAIRED, snapshot)
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]  # cleaned up on the way out
    assert path.read_bytes() == MOJIBAKE


SOURCE_CASES = [
    pytest.param("app.py", True, id="python"),
    pytest.param("main.TS", True, id="typescript-any-case"),
    pytest.param("Makefile", True, id="makefile"),
    pytest.param("notes.md", False, id="markdown-is-prose"),
    pytest.param("story.txt", False, id="text"),
]


@pytest.mark.parametrize(("name", "source"), SOURCE_CASES)
def test_source_files_tell_the_stages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: bool
) -> None:
    import fixenc.pipeline

    seen: list[Options] = []
    real = fixenc.pipeline.repair

    def spy(text: str, options: Options, **kwargs: object) -> object:
        seen.append(options)
        return real(text, options, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fixenc.pipeline, "repair", spy)
    (tmp_path / name).write_bytes(MOJIBAKE)
    process_file(tmp_path / name, Options(), write=False)
    assert [o.is_source_code for o in seen] == [source]


BINARY_SNIFF = [
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True, id="png"),
    pytest.param(b"PK\x03\x04\x14\x00\x00\x00", True, id="zip"),
    pytest.param("Café 你好".encode("utf-16"), False, id="utf16-with-bom"),
    pytest.param("Café 你好".encode("utf-32"), False, id="utf32-with-bom"),
    pytest.param(codecs.BOM_UTF32_BE + "Café".encode("utf-32-be"), False, id="utf32-be-bom"),
    pytest.param("Café 你好\n".encode(), False, id="utf8"),
]


@pytest.mark.parametrize(("data", "binary"), BINARY_SNIFF)
def test_early_sniff_agrees_with_decode(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary
    if binary:
        with pytest.raises(BinaryInputError) as info:
            decode(data)
        assert str(info.value) == BINARY_NUL


@pytest.mark.parametrize("explicit", [False, True], ids=["found-in-a-directory", "named"])
def test_large_binary_sniffed_when_found_and_an_error_when_named(
    tmp_path: Path, explicit: bool
) -> None:
    path = tmp_path / "video.bin"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * (SNIFF_MIN_BYTES // 128))
    outcome = process_file(path, Options(), write=True, explicit=explicit)
    assert outcome.status is (Status.ERROR if explicit else Status.SKIPPED)
    assert outcome.message == BINARY_NUL
