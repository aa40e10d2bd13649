"""Shared helpers: the repository's paths, case tables, and the real CLI in a subprocess."""

from __future__ import annotations

import functools
import importlib.util
import io
import itertools
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = Path(__file__).resolve().parent / "cases"


def paragraphs_line_by_line(text: str) -> list[tuple[int, int]]:
    """What ``variant.segment._paragraphs`` computed line by line before it was one
    regex: the reference its tests compare with (runs of lines with content)."""
    from fixenc.chars import LINE

    out: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for m in LINE.finditer(text):
        content = m.group().rstrip("\r\n")
        if not content.strip():
            if start is not None:
                out.append((start, end))
                start = None
            continue
        if start is None:
            start = m.start()
        end = m.start() + len(content)
    if start is not None:
        out.append((start, end))
    return out


@functools.cache
def catalogue_lines(lang: str, limit: int) -> tuple[str, ...]:
    """The first ``limit`` non-blank lines of human translations of ``lang`` in the Debian
    gettext catalogues installed here (``scripts/build_clean_corpus``), or none."""
    path = ROOT / "scripts" / "build_clean_corpus.py"
    spec = importlib.util.spec_from_file_location("build_clean_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entries = module._catalogue_entries(lang)
    return tuple(itertools.islice((e for e in entries if e.strip()), limit))


# Lines of each catalogue mixed into one document: enough for every shape of mixing
# the variant tests ask for, a fraction of a second per target.
MIXED_LINES = 400


def mixed_catalogues(shape: str) -> str:
    """Real Simplified (zh_CN) and Traditional (zh_TW) translations mixed into one
    document by ``lines``, ``paragraphs`` or within lines (``clauses``); skips the test
    on a machine without the catalogues."""
    cn = list(catalogue_lines("zh_CN", MIXED_LINES))
    tw = list(catalogue_lines("zh_TW", MIXED_LINES))
    if not cn or not tw:
        pytest.skip("no Chinese gettext catalogues on this machine")
    rng = random.Random(shape)
    if shape == "lines":
        lines = cn + tw
        rng.shuffle(lines)
        return "\n".join(lines) + "\n"
    if shape == "paragraphs":
        lines = cn + tw
        rng.shuffle(lines)
        cuts = range(0, len(lines), 5)
        return "\n\n".join("\n".join(lines[i : i + rng.randint(1, 5)]) for i in cuts)
    return "\n".join(a + "，" + b for a, b in zip(cn, tw, strict=False))  # within lines


def load_cases(name: str, *fields: str) -> list[Any]:
    """Rows of ``tests/cases/<name>.json`` as pytest params with ids and strict xfails."""
    table = json.loads((CASES / name).read_text(encoding="utf-8"))
    params = []
    for case in table["cases"]:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        values = tuple(case[f] for f in fields)
        params.append(pytest.param(*values, id=case["id"], marks=marks))
    return params


def like_a_terminal_job() -> None:
    """``preexec_fn`` for a child that a test interrupts as a user would: SIGINT at its
    default, as in a shell's foreground job. A test runner started in the background
    without job control ignores SIGINT, its children inherit that, and Python then sets
    no KeyboardInterrupt handler: Ctrl-C would do nothing and the run would end with 0
    (seen in full runs launched that way; reproduced by starting pytest with SIGINT
    ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run ``fixenc.cli.main(args)`` in this process, as the command would run it.

    Standard streams are byte buffers (``stdout``/``stderr`` of the result hold their
    bytes), the working directory is ``cwd`` for the call, NO_COLOR is set, and an
    ``argparse`` exit becomes the return code. Tests that need a real process (signals,
    pipes, start-up) use ``run_cli_process``.
    """
    from fixenc import cli

    streams = {name: io.TextIOWrapper(io.BytesIO(), encoding="utf-8") for name in ("out", "err")}
    fake_in = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8")
    saved = (sys.stdin, sys.stdout, sys.stderr, os.getcwd(), os.environ.get("NO_COLOR"))
    sys.stdin, sys.stdout, sys.stderr = fake_in, streams["out"], streams["err"]
    os.environ["NO_COLOR"] = "1"
    try:
        os.chdir(cwd or ROOT)
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved[0], saved[1], saved[2]
        os.chdir(saved[3])
        if saved[4] is None:
            os.environ.pop("NO_COLOR", None)
        else:
            os.environ["NO_COLOR"] = saved[4]
    out, err = (_drained(streams[name]) for name in ("out", "err"))
    return subprocess.CompletedProcess(["fixenc", *args], code, out, err)


def _drained(stream: io.TextIOWrapper) -> bytes:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


def run_cli_process(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``fixenc`` command in a subprocess (as ``python -m fixenc``)."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "fixenc", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=300,
        check=False,
    )
