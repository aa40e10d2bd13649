"""The progress bar as a person sees it: the real CLI in a real terminal (tmux).

tmux runs ``fixenc check`` in a pseudo-terminal and ``capture-pane`` returns the screen
as drawn, many times a second, so these tests see exactly what a user would: whether the
bar is on screen, what it says, and what stays when the run ends. Processing is slowed
by a driver that wraps the one-file step with a sleep (``-j 1`` keeps it in-process), so
the timing is under the test's control and the run is short.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT

from fixenc.report.progress import Progress

needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="no tmux (apt-get install -y tmux); CI installs it"
)

# Wraps the one-file step: every file costs ``delay`` seconds, files whose name contains
# "slow" cost ``slow`` seconds (a long single file).
DRIVER = """
import sys, time
import fixenc.runner as runner
from fixenc.cli import main
delay, slow = float(sys.argv[1]), float(sys.argv[2])
real = runner._process_unguarded
def paced(item, task):
    time.sleep(slow if "slow" in item.path.name else delay)
    return real(item, task)
runner._process_unguarded = paced
code = main(sys.argv[3:])
sys.stderr.flush()
print(f"EXIT {code}", file=sys.stderr)
time.sleep(60)
"""

BAR = re.compile(r"\[[#.]{20}\] +(\d+)/(\d+) files")
LEFT = re.compile(r"(\d+):(\d\d) left")


@dataclass(frozen=True, slots=True)
class Frame:
    at: float  # seconds since the command started
    screen: str


@pytest.fixture
def tmux() -> Iterator[str]:
    """A private tmux server (its own socket), killed afterwards."""
    socket = f"fixenc-test-{uuid.uuid4().hex[:8]}"
    yield socket
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)


def _watch(socket: str, tree: Path, delay: float, slow: float, *args: str) -> list[Frame]:
    """Run the slowed CLI in a 100x30 terminal; capture the screen until it exits."""
    driver = tree.parent / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    command = " ".join(
        [
            "env -u CI -u NO_COLOR",
            f"PYTHONPATH={ROOT}",
            sys.executable,
            str(driver),
            str(delay),
            str(slow),
            *args,
        ]
    )
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            "-c",
            str(tree.parent),
            command,
        ],
        check=True,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    start = time.monotonic()
    frames: list[Frame] = []
    while time.monotonic() - start < 120:
        screen = subprocess.run(
            ["tmux", "-L", socket, "capture-pane", "-p"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        frames.append(Frame(time.monotonic() - start, screen))
        if "EXIT " in screen:
            return frames
        time.sleep(0.05)
    raise AssertionError("the run did not finish:\n" + frames[-1].screen)


def _tree(root: Path, clean: int, damaged: int = 0, slow: int = 0) -> Path:
    root.mkdir()
    for i in range(clean):
        (root / f"clean-{i:03}.txt").write_text(f"line {i}, café\n", encoding="utf-8")
    for i in range(damaged):
        (root / f"damaged-{i:03}.txt").write_text("CafÃ© au lait\n", encoding="utf-8")
    for i in range(slow):
        (root / f"slow-{i}.txt").write_text("Café, 你好\n", encoding="utf-8")
    return root


def _bars(frames: list[Frame]) -> list[tuple[Frame, int, int]]:
    """The frames whose last non-empty line above "EXIT" is a live bar, with its count."""
    out = []
    for frame in frames:
        for line in frame.screen.splitlines():
            match = BAR.search(line)
            if match and " in " not in line:
                out.append((frame, int(match.group(1)), int(match.group(2))))
    return out


@needs_tmux
def test_bar_is_steady_with_rate_time_left_and_a_final_line(tmp_path: Path, tmux: str) -> None:
    """60 files at 50 ms each, a few of them printing a line: the bar stays on screen."""
    tree = _tree(tmp_path / "tree", clean=54, damaged=6)
    frames = _watch(tmux, tree, 0.05, 0.0, "check", "-j", "1", tree.name)
    end = next(f.at for f in frames if "EXIT 1" in f.screen)
    live = _bars(frames)
    # Steady: from shortly after it appears until the run ends, (nearly) every capture
    # shows it; the old bar was erased by every finished file and never seen in tmux.
    appeared = live[0][0].at
    window = [f for f in frames if appeared + 0.3 <= f.at <= end - 0.5]
    assert len(window) >= 10, [f.at for f in frames]
    shown = {id(f) for f, _, _ in live}
    visible = sum(1 for f in window if id(f) in shown)
    assert visible >= 0.9 * len(window), f"{visible}/{len(window)} captures show the bar"
    counts = [n for _, n, _ in live]
    assert counts == sorted(counts) and {t for _, _, t in live} == {60}
    # Rate and time left appear once there is enough to measure (a second after the first
    # finished file), and stay from then on.
    rated = [i for i, (f, _, _) in enumerate(live) if "files/s" in f.screen]
    assert len(rated) >= 3, [f.screen.strip() for f, _, _ in live]
    assert all(LEFT.search(f.screen) and "files/s" in f.screen for f, _, _ in live[rated[0] :])
    # Lines printed during the run sit above the bar, never glued to it.
    last = frames[-1].screen
    assert "tree/damaged-005.txt: would fix 1 mojibake" in last
    assert not re.search(r"files.*damaged-\d+\.txt", last)
    # The final line stays, above the summary.
    assert re.search(r"\[#{20}\] 60/60 files in 0:0\d \([\d.]+ files/s\)", last), last
    assert "6 files would be fixed, 54 unchanged." in last


@needs_tmux
def test_first_estimate_is_sane(tmp_path: Path, tmux: str) -> None:
    """The first time-left shown is near the real remaining time (within a factor of 2),
    not the wild guess a first file carrying the start-up cost gives."""
    tree = _tree(tmp_path / "tree", clean=40)
    frames = _watch(tmux, tree, 0.08, 0.0, "check", "-j", "1", tree.name)
    end = next(f.at for f in frames if "EXIT " in f.screen)
    first = next((f, LEFT.search(f.screen)) for f, _, _ in _bars(frames) if LEFT.search(f.screen))
    frame, match = first
    assert match is not None
    estimate = int(match.group(1)) * 60 + int(match.group(2))
    actual = end - frame.at
    assert actual / 2 - 1 <= estimate <= actual * 2 + 1, (estimate, actual, frame.screen)


@needs_tmux
def test_bar_is_visible_during_one_long_file(tmp_path: Path, tmux: str) -> None:
    """A single 3-second file: the bar appears and its clock moves while it runs."""
    tree = _tree(tmp_path / "tree", clean=0, slow=1)
    frames = _watch(tmux, tree, 0.0, 3.0, "check", "tree/slow-0.txt")
    live = _bars(frames)
    # Shown while the file is processed (from a second in until the file is done: about
    # two seconds, wherever start-up under load puts that), not only at the end.
    during = [f for f, n, _ in live if n == 0]
    assert len(during) >= 5, [f.at for f, _, _ in live]
    assert during[-1].at - during[0].at >= 1.0, [f.at for f in during]
    clocks = {re.search(r"(\d+:\d\d) elapsed", f.screen).group(1) for f in during}  # type: ignore[union-attr]
    assert len(clocks) >= 2, clocks  # it is alive, not a frozen line
    assert re.search(r"\[#{20}\] 1/1 files in 0:0\d", frames[-1].screen), frames[-1].screen


def test_a_run_shorter_than_the_delay_draws_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(5, stream, enabled=True)
    progress.start()
    for _ in range(5):
        progress.advance()
        progress.refresh()
    progress.close()
    assert stream.getvalue() == ""


def test_no_bar_without_a_terminal() -> None:
    """Piped output (pre-commit, CI logs) never gets a bar or a thread."""
    stream = io.StringIO()
    progress = Progress(1000, stream)
    assert not progress.enabled
    progress.start()
    for _ in range(10):
        progress.advance()
    progress.close()
    assert stream.getvalue() == ""


def test_hook_path_does_not_import_a_progress_library() -> None:
    """The hook pays nothing for the bar: no rich or tqdm is imported by a run."""
    code = (
        "import sys; from fixenc.cli import main; main(['check', '-q', 'samples/README.md']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'tqdm')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        pytest.param(
            120,
            "[###################.] 1809/1816 files · 1130 files/s · 0:02 elapsed · 0:00 left",
            id="wide: every field",
        ),
        pytest.param(
            80,
            "[###################.] 1809/1816 files · 1130 files/s · 0:00 left",
            id="80 columns: the elapsed time goes first",
        ),
        pytest.param(
            60, "[###################.] 1809/1816 files · 0:00 left", id="narrow: then the speed"
        ),
        pytest.param(30, "[###################.] 1809/1", id="narrower than the bar: cut"),
    ],
)
def test_a_line_too_wide_drops_whole_fields(
    columns: int, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A four-digit rate once made the line 80 characters, and an 80-column terminal
    showed ``0:00 lef``: whole fields go before the count or the time left is cut."""
    monkeypatch.setenv("COLUMNS", str(columns))
    progress = Progress(1816, io.StringIO(), enabled=False)
    progress._first_done, progress._first_count, progress.done = 0.3, 1, 1809
    line = progress.line(2.0, now=1.9)  # 1808 files in 1.6 s since the first: 1130 a second
    assert line == expected
    assert len(line) < columns
