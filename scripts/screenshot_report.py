"""Render a fixenc HTML report in headless Chromium and save a screenshot.

    python scripts/screenshot_report.py                 # demo: check samples/, shoot its report
    python scripts/screenshot_report.py report.html -o shot.png --size 1200,1600

Uses Debian's ``chromium`` package (``apt-get install -y chromium fonts-wqy-microhei``;
the small font package makes Chinese text show as glyphs instead of empty boxes in the
screenshot); Playwright's own browser download does not work offline. The browser runs with networking features off,
in a throw-away profile. ``tests/test_html_report.py`` uses the same helpers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Names the Chromium binary has across distributions.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Enough for a page of plain HTML; a hung browser should not hang a test run.
TIMEOUT_SECONDS = 60


def chromium_binary() -> str | None:
    """The first Chromium on ``PATH`` (or ``$CHROMIUM``), or None."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(extra: Sequence[str], url: str) -> subprocess.CompletedProcess[str]:
    binary = chromium_binary()
    if binary is None:
        raise FileNotFoundError("no chromium binary; apt-get install -y chromium")
    with tempfile.TemporaryDirectory(prefix="fixenc-chromium-") as profile:
        command = [
            binary,
            "--headless",
            "--no-sandbox",  # the tests run as root in a container
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *extra,
            url,
        ]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=True
        )


def dump_dom(page: Path) -> str:
    """The DOM after the page loaded and ran, serialised as HTML."""
    return _run(["--dump-dom"], page.resolve().as_uri()).stdout


def screenshot(page: Path, png: Path, *, size: tuple[int, int] = (1200, 1600)) -> Path:
    """Save a PNG of the page as a browser window of ``size`` shows it."""
    _run(
        [f"--screenshot={png.resolve()}", f"--window-size={size[0]},{size[1]}"],
        page.resolve().as_uri(),
    )
    return png


def demo_report(directory: Path) -> Path:
    """Run ``fixenc check --report`` over a copy of ``samples/``; return the page."""
    tree = directory / "samples"
    shutil.copytree(ROOT / "samples", tree)
    page = directory / "report.html"
    subprocess.run(
        # Run where the copy is, so the page names files as samples/..., not by a
        # temporary directory.
        [sys.executable, "-m", "fixenc", "check", "samples", "--report", str(page), "-q"],
        cwd=directory,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        check=False,
    )
    return page


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", nargs="?", type=Path, help="an HTML report (default: a demo)")
    parser.add_argument("-o", "--output", type=Path, default=Path("report.png"))
    parser.add_argument("--size", default="1200,1600", help="window WIDTH,HEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split(","))
    if chromium_binary() is None:
        print("error: no chromium binary; apt-get install -y chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fixenc-report-") as tmp:
        page = args.report or demo_report(Path(tmp))
        screenshot(page, args.output, size=(width, height))
    print(f"{args.output}: screenshot of {args.report or 'the samples/ demo report'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
