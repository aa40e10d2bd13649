"""A one-line progress bar on stderr for long runs on a terminal; silent otherwise.

Stage: report (while running). Written by hand rather than taken from rich or tqdm:
it is one line of text redrawn with a carriage return, and a dependency for that would
add import time to every pre-commit invocation, where the bar never shows anyway.
"""

from __future__ import annotations

import os
import shutil
import time
from typing import TextIO

# The bar appears only once a run has lasted this long, so short runs never flicker it.
SHOW_AFTER_SECONDS = 0.5
# Redraws at most this often: a terminal write per file would slow a fast run.
REDRAW_SECONDS = 0.1
BAR_WIDTH = 24


class Progress:
    """Counts processed files and redraws ``[#####.....] 412/2000 files · 3.1 s left``."""

    def __init__(self, total: int, stream: TextIO, *, enabled: bool | None = None) -> None:
        self.total = total
        self.done = 0
        self._stream = stream
        if enabled is None:
            enabled = _is_tty(stream) and not os.environ.get("CI") and total > 1
        self._enabled = enabled
        self._start = time.monotonic()
        self._last_draw = 0.0
        self._drawn = False

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._start < SHOW_AFTER_SECONDS or now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        self._stream.write("\r" + self.line(now - self._start) + "\033[K")
        self._stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Erase the bar (before other stderr output, and at the end)."""
        if self._drawn:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._drawn = False

    def line(self, elapsed: float) -> str:
        """The bar's text for ``elapsed`` seconds into the run.

        >>> p = Progress(200, None, enabled=False)  # type: ignore[arg-type]
        >>> p.done = 50
        >>> p.line(2.0)
        '[######..................]  50/200 files · 6 s left'
        """
        fraction = self.done / self.total if self.total else 1.0
        filled = int(BAR_WIDTH * fraction)
        left = elapsed / fraction - elapsed if fraction else 0.0
        width = len(str(self.total))
        text = (
            f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
            f"{self.done:>{width}}/{self.total} files · {left:.0f} s left"
        )
        return text[: shutil.get_terminal_size((80, 24)).columns - 1]


def _is_tty(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
