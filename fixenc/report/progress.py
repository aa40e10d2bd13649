"""A one-line progress bar on stderr for long runs on a terminal; silent otherwise.

Stage: report (while running). Written by hand rather than taken from rich or tqdm: it
is one line of text, and a dependency would add import time to every pre-commit
invocation, where the bar never shows. It behaves as theirs do:

- **steady**: a ticker thread redraws it a few times a second, so it stays on screen
  (and its clock moves) during a long file; lines printed while it runs go through
  ``guard``, which erases the bar first and lets ``refresh`` put it back at once;
- **rate and time left**, measured from the first finished file, so the start-up cost
  (worker processes, warm-up) does not inflate the first estimate; until enough files
  have finished it says "estimating";
- **a final line** that stays: the count, the time taken and the rate.

It appears only after ``SHOW_AFTER_SECONDS``, so short runs never see it.
"""

from __future__ import annotations

import io
import os
import shutil
import threading
import time
from types import TracebackType
from typing import TextIO

# The bar appears only once a run has lasted this long, so short runs never flicker it
# (tqdm's ``delay``). One file takes about 0.6 s of start-up and warm-up on an idle
# machine: a second keeps the common one-file run free of a bar and a final line.
SHOW_AFTER_SECONDS = 1.0
# How often the ticker redraws: 5 Hz keeps the clock moving without costing a fast run
# anything measurable (rich refreshes at 10 Hz, tqdm at most every 0.1 s).
REDRAW_SECONDS = 0.2
# The estimate of time left waits for this many finished files after the first one and
# this much time: from one or two files a rate is noise (the issue that led here saw
# "1/2191 files · 2636 s left" when the first file carried the start-up cost).
MIN_FILES_FOR_ESTIMATE = 3
MIN_SECONDS_FOR_ESTIMATE = 1.0
BAR_WIDTH = 20
_ERASE = "\r\033[K"


class Progress:
    """``[#####.....]  412/2000 files · 58 files/s · 0:07 elapsed · 0:27 left``."""

    def __init__(
        self,
        total: int,
        stream: TextIO,
        *,
        enabled: bool | None = None,
    ) -> None:
        self.total = total
        self.done = 0
        self._stream = stream
        if enabled is None:
            enabled = _is_tty(stream) and not os.environ.get("CI") and total > 0
        self.enabled = enabled
        self._start = time.monotonic()
        self._first_done: float | None = None  # when the first file finished
        self._first_count = 0  # files finished at that moment
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._drawn = False  # the bar is on screen now
        self._shown = False  # the bar has been on screen (so it ends with a final line)

    # -- lifetime ----------------------------------------------------------------------
    def start(self) -> None:
        """Start the ticker. Call it once worker processes exist: a thread running while
        the pool forks them could hold a lock the children inherit."""
        if not self.enabled or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._tick, name="fixenc-progress", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the ticker; leave a final line if the bar was ever shown."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            if self._shown:
                self._stream.write(_ERASE + self.final_line(time.monotonic() - self._start) + "\n")
                self._stream.flush()
                self._drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- while running -----------------------------------------------------------------
    def advance(self, n: int = 1) -> None:
        with self._lock:
            if self._first_done is None and n:
                self._first_done = time.monotonic()
                self._first_count = self.done + n
            self.done += n

    def refresh(self) -> None:
        """Draw the bar now if it was erased by printed lines (tqdm.write's redraw)."""
        with self._lock:
            if self._shown and not self._drawn:
                self._draw()

    def guard(self, stream: TextIO) -> TextIO:
        """``stream``, erasing the bar before anything is written to it."""
        return _Guarded(self, stream)  # type: ignore[return-value]

    def erase(self) -> None:
        with self._lock:
            if self._drawn:
                self._stream.write(_ERASE)
                self._stream.flush()
                self._drawn = False

    def _tick(self) -> None:
        if self._stop.wait(SHOW_AFTER_SECONDS):
            return
        while True:
            with self._lock:
                self._draw()
            if self._stop.wait(REDRAW_SECONDS):
                return

    def _draw(self) -> None:
        now = time.monotonic()
        self._stream.write("\r" + self.line(now - self._start, now) + "\033[K")
        self._stream.flush()
        self._drawn = self._shown = True

    # -- text ----------------------------------------------------------------------------
    def rate(self, now: float) -> float | None:
        """Files per second since the first file finished; None until it means something."""
        if self._first_done is None:
            return None
        span = now - self._first_done
        finished = self.done - self._first_count
        if finished < MIN_FILES_FOR_ESTIMATE or span < MIN_SECONDS_FOR_ESTIMATE:
            return None
        return finished / span

    def line(self, elapsed: float, now: float | None = None) -> str:
        """The bar's text ``elapsed`` seconds into the run.

        >>> p = Progress(200, io.StringIO(), enabled=False)
        >>> p.line(0.4)
        '[....................]   0/200 files · 0:00 elapsed · estimating'
        >>> p._first_done, p._first_count, p.done = 10.0, 1, 51
        >>> p.line(12.0, now=12.0)  # 50 files in the 2 s since the first one
        '[#####...............]  51/200 files · 25 files/s · 0:12 elapsed · 0:06 left'
        """
        fraction = self.done / self.total if self.total else 1.0
        filled = int(BAR_WIDTH * fraction)
        width = len(str(self.total))
        rate = self.rate(time.monotonic() if now is None else now)
        bar = (
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done:>{width}}/{self.total} files"
        )
        speed = f"{_rate(rate)} files/s" if rate else ""
        left = f"{_clock((self.total - self.done) / rate)} left" if rate else "estimating"
        return _fit_fields(bar, speed, f"{_clock(elapsed)} elapsed", left)

    def final_line(self, elapsed: float) -> str:
        """What stays on screen when the run ends.

        >>> p = Progress(2191, io.StringIO(), enabled=False)
        >>> p.done = 2191
        >>> p.final_line(7.04)
        '[####################] 2191/2191 files in 0:07 (311 files/s)'
        """
        fraction = self.done / self.total if self.total else 1.0
        filled = int(BAR_WIDTH * fraction)
        rate = f" ({_rate(self.done / elapsed)} files/s)" if elapsed > 0 and self.done else ""
        return _fit(
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done}/{self.total} files "
            f"in {_clock(elapsed)}{rate}"
        )


class _Guarded(io.TextIOBase):
    """A text stream that erases the progress bar before each write."""

    def __init__(self, progress: Progress, stream: TextIO) -> None:
        super().__init__()
        self._progress = progress
        self._inner = stream

    def write(self, text: str) -> int:
        with self._progress._lock:
            if text:
                self._progress.erase()
            return self._inner.write(text)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return _is_tty(self._inner)

    def fileno(self) -> int:
        return self._inner.fileno()


def _clock(seconds: float) -> str:
    """``0:07``, ``12:30``, ``2:03:04``.

    >>> _clock(7.4), _clock(750), _clock(7384)
    ('0:07', '12:30', '2:03:04')
    """
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def _rate(per_second: float) -> str:
    return f"{per_second:.1f}" if per_second < 10 else f"{per_second:.0f}"


def _fit(text: str) -> str:
    """Cut to the terminal's width, so a redraw never wraps onto a second line."""
    return text[: _columns()]


def _fit_fields(bar: str, speed: str, elapsed: str, left: str) -> str:
    """The bar's fields joined, dropping whole fields before a cut: first the elapsed
    time, then the speed, so that the count and the time left stay readable on an
    80-column terminal (a four-digit rate made the line 80 characters and cut ``left``
    to ``lef``).

    >>> _fit_fields("[#...] 9/10 files", "1050 files/s", "0:02 elapsed", "0:00 left")
    '[#...] 9/10 files · 1050 files/s · 0:02 elapsed · 0:00 left'
    """
    columns = _columns()
    for fields in ((bar, speed, elapsed, left), (bar, speed, left), (bar, left)):
        text = " · ".join(f for f in fields if f)
        if len(text) <= columns:
            return text
    return text[:columns]


def _columns() -> int:
    """Columns a line may fill: the terminal's width less one, where the cursor waits."""
    return shutil.get_terminal_size((80, 24)).columns - 1


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
