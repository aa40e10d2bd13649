"""Throughput of the whole pipeline on clean text, as ratios against tools in this process.

Not a test: it prints numbers. Clean text must take the fast path, so fixenc should run
close to a single compiled regex scan and well ahead of ftfy's ``fix_text`` and OpenCC.

    python benchmarks/bench_pipeline.py            # about 2 MB per language
    FIXENC_BENCH_MB=20 python benchmarks/bench_pipeline.py
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import ftfy
import opencc

import fixenc
from fixenc.model import Target

ROOT = Path(__file__).resolve().parent.parent
MEGABYTES = float(os.environ.get("FIXENC_BENCH_MB", "2"))
REPEATS = 3  # best of three: the machine is shared, the minimum is the honest number


# English prose with the accents, curly quotes and dashes real English carries.
_ENGLISH = (
    "The committee met on Tuesday to review the café’s renovation plans. Members agreed "
    "that the naïve façade design needed work — “too plain,” one said — and asked the "
    "architect for two alternatives by the end of the month. Budget questions were left "
    "for the next meeting; the minutes will be circulated as usual.\n"
)


def _corpus(kind: str) -> str:
    samples = ROOT / "samples"
    if kind == "Chinese (Simplified)":
        base = (samples / "000_825338dbf911db84.gold-zh-Hans.txt").read_text(encoding="utf-8")
    elif kind == "Chinese (Traditional)":
        base = (samples / "clean-traditional.txt").read_text(encoding="utf-8")
    elif kind == "Chinese (mixed)":
        # Traditional paragraphs with one Simplified paragraph: reported, never changed
        # under keep, and the case that still needs the full variant analysis.
        base = (samples / "clean-traditional.txt").read_text(encoding="utf-8") + (
            "\n我们今天去公园散步，天气很好。\n\n"
        )
    else:
        base = _ENGLISH
    size = int(MEGABYTES * 1_000_000)
    return (base * (size // len(base.encode("utf-8")) + 1))[
        : size // 3 if not base.isascii() else size
    ]


def _best(fn: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    scan = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf]|\ufffd")
    t2s = opencc.OpenCC("t2s")
    print(
        f"{'corpus':<24}{'MB':>6}{'fixenc MB/s':>13}{'regex scan':>12}{'ftfy':>8}{'opencc t2s':>12}"
    )
    rows: list[tuple[str, str, Target]] = [
        ("Chinese (Simplified)", "Chinese (Simplified)", "keep"),
        ("Chinese (Traditional)", "Chinese (Traditional)", "keep"),
        ("  target zh-Hant", "Chinese (Traditional)", "zh-Hant"),
        ("Chinese (mixed)", "Chinese (mixed)", "keep"),
        ("English", "English", "keep"),
    ]
    for label, kind, target in rows:
        text = _corpus(kind)
        mb = len(text.encode("utf-8")) / 1e6
        fix = functools.partial(fixenc.fix_text, target=target)
        assert fix(text) == text, "clean corpus changed: fix that first"
        ours = _best(fix, text)
        rx = _best(lambda t: scan.search(t), text)
        ft = _best(ftfy.fix_text, text)
        cc = _best(t2s.convert, text)
        print(
            f"{label:<24}{mb:>6.1f}{mb / ours:>13.1f}"
            f"{ours / rx:>11.1f}x{ours / ft:>7.2f}x{ours / cc:>11.2f}x"
        )
    print("ratios are fixenc's time divided by the other's (below 1 means fixenc is faster)")


if __name__ == "__main__":
    main()
