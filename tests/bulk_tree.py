"""A generated tree of every kind of file a bulk run meets, with the outcome each must get.

Used by ``test_bulk.py``; kept apart so that the kill test and the outcome test build
the same kinds of files. Deterministic: file ``i`` of a kind always has the same bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Latin-1/cp1252 mojibake of UTF-8 text, and what it must become.
_LATIN = [
    ("Café au lait", "CafÃ© au lait"),
    ("crème brûlée", "crÃ¨me brÃ»lÃ©e"),
    ("naïve façade", "naÃ¯ve faÃ§ade"),
    ("“quoted” — dash", "â€œquotedâ€\x9d â€” dash"),
    ("Straße in Köln", "StraÃŸe in KÃ¶ln"),
]
_CLEAN = [
    "plain ASCII line\n",
    "Café au lait, naïve façade\n",
    "你好，世界！这是简体中文。\n",
    "這是繁體中文的測試文字。\n",
    "日本語のテキストです。\n",
    "pinyin textbook: 你(nǐ)好\n",
]
_GBK = "这是一段简体中文的测试文字，用来检查编码侦测是否正确。第{i}行。\n"
_BIG5 = "這是一段繁體中文的測試文字，用來檢查編碼偵測是否正確。第{i}行。\n"


@dataclass(frozen=True, slots=True)
class Expected:
    """What a file must look like after ``fixenc fix`` and how the run must report it."""

    status: str  # "changed", "unchanged", "skipped", "error", or "absent" (not reported)
    after: bytes | None  # bytes on disk after the run (None: not a regular file we compare)
    reason: str = ""  # start of the skip/error message
    # For what ``make_unreadable`` locks: the bytes once unlocked and fixed again.
    repaired: bytes | None = None


def build(root: Path, *, scale: int = 1) -> dict[str, tuple[bytes | None, Expected]]:
    """Create the tree under ``root``; return ``{relative path: (original bytes, Expected)}``.

    ``scale`` 1 makes 2,038 entries; the counts grow linearly with it.
    """
    plan: dict[str, tuple[bytes | None, Expected]] = {}

    def put(rel: str, data: bytes, expected: Expected) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        plan[rel] = (data, expected)

    for i in range(1200 * scale):
        text = "".join(_CLEAN[(i + k) % len(_CLEAN)] for k in range(3)) + f"clean file {i}\n"
        data = text.encode()
        if i % 10 == 0:
            data = data.replace(b"\n", b"\r\n")
        if i % 25 == 0:
            data = b"\xef\xbb\xbf" + data
        put(f"clean/d{i % 40:02d}/c{i:05d}.txt", data, Expected("unchanged", data))
    for i in range(400 * scale):
        good, bad = _LATIN[i % len(_LATIN)]
        before = f"line one\n{bad} #{i}\nlast line\n"
        after = f"line one\n{good} #{i}\nlast line\n"
        newline = "\r\n" if i % 7 == 0 else "\n"
        bom = b"\xef\xbb\xbf" if i % 11 == 0 else b""
        put(
            f"damaged/d{i % 20:02d}/m{i:05d}.md",
            bom + before.replace("\n", newline).encode(),
            Expected("changed", bom + after.replace("\n", newline).encode()),
        )
    for i in range(100 * scale):
        template, codec = (_GBK, "gbk") if i % 2 == 0 else (_BIG5, "big5")
        text = template.format(i=i) * 3
        put(f"legacy/{codec}-{i:04d}.txt", text.encode(codec), Expected("changed", text.encode()))
    for i in range(100 * scale):
        data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * (1 + i % 3)
        put(f"assets/img{i:04d}.png", data, Expected("skipped", data, "binary file"))
    # .gitignore'd files are damaged, so touching them would show.
    (root / ".gitignore").write_text("build/\n*.log\n")
    plan[".gitignore"] = (b"build/\n*.log\n", Expected("unchanged", b"build/\n*.log\n"))
    plan["build"] = (None, Expected("skipped", None, "ignored by .gitignore"))
    for i in range(100 * scale):
        data = f"{_LATIN[0][1]} ignored {i}\n".encode()
        put(f"build/out{i:04d}.txt", data, Expected("absent", data))
    for i in range(50 * scale):
        data = f"{_LATIN[1][1]} log {i}\n".encode()
        put(f"logs/run{i:04d}.log", data, Expected("skipped", data, "ignored by .gitignore"))
    for i in range(50 * scale):
        rel = f"links/l{i:04d}.txt"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        target = root / f"damaged/d{i % 20:02d}/m{i:05d}.md"
        os.symlink(os.path.relpath(target, (root / rel).parent), root / rel)
        plan[rel] = (None, Expected("skipped", None, "symbolic link"))
    for i in range(10 * scale):
        rel = f"special/fifo{i:02d}"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(root / rel)
        plan[rel] = (None, Expected("skipped", None, "not a regular file"))
    for i in range(10 * scale):
        data = f"{_LATIN[2][1]} secret {i}\n".encode()
        fixed = f"{_LATIN[2][0]} secret {i}\n".encode()
        put(f"private/p{i:02d}.txt", data, Expected("error", data, "permission denied", fixed))
    plan["private/locked"] = (None, Expected("error", None, "cannot list directory"))
    for i in range(5 * scale):
        data = f"{_LATIN[4][1]} locked {i}\n".encode()
        fixed = f"{_LATIN[4][0]} locked {i}\n".encode()
        put(f"private/locked/l{i:02d}.txt", data, Expected("absent", data, repaired=fixed))
    for i in range(10 * scale):
        data = f"{_LATIN[3][1]} vcs {i}\n".encode()
        put(f"clean/.git/objects/o{i:02d}", data, Expected("absent", data))
    return plan


def make_unreadable(root: Path, plan: dict[str, tuple[bytes | None, Expected]]) -> None:
    """Mode 000 for the files and directories expected to fail."""
    for rel, (_, expected) in plan.items():
        if expected.status == "error":
            (root / rel).chmod(0)


def make_readable(root: Path, plan: dict[str, tuple[bytes | None, Expected]]) -> None:
    """Undo ``make_unreadable``."""
    for rel, (original, expected) in plan.items():
        if expected.status == "error":
            (root / rel).chmod(0o644 if original is not None else 0o755)
