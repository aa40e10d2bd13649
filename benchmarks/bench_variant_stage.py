"""Throughput of the variant stage alone (fixenc/stages/variant) on clean and mixed text.

Not a test: it prints MB/s per corpus and target, best of three, beside one compiled
regex scan over the same text (the cost a clean text's fast path aims at).

    python benchmarks/bench_variant_stage.py
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from fixenc.model import Context, Options, Target
from fixenc.stages import variant

ROOT = Path(__file__).resolve().parent.parent
SIZE = 2_000_000  # bytes per corpus, as bench_pipeline.py
REPEATS = 3


def _corpus(name: str) -> str:
    trad = (ROOT / "samples" / "clean-traditional.txt").read_text(encoding="utf-8")
    simp = (ROOT / "samples" / "000_825338dbf911db84.gold-zh-Hans.txt").read_text(encoding="utf-8")
    base = {
        "Traditional": trad,
        "Simplified": simp,
        "mixed": trad + "\n我们今天去公园散步，天气很好。\n\n",
    }[name]
    return (base * (SIZE // len(base.encode("utf-8")) + 1))[: SIZE // 3]


def _best(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    scan = re.compile(r"[\u00c2-\u00f4][\u0080-\u00bf]|\ufffd")
    variant.stage("這", Context(Options()))  # build converters and character classes once
    rows: list[tuple[str, Target]] = [
        ("Simplified", "keep"),
        ("Simplified", "zh-Hans"),
        ("Traditional", "keep"),
        ("Traditional", "zh-Hant"),
        ("Traditional", "zh-TW"),
        ("mixed", "keep"),
    ]
    print(f"{'corpus':<14}{'target':<10}{'stage MB/s':>12}{'vs regex scan':>15}")
    for name, target in rows:
        text = _corpus(name)
        mb = len(text.encode("utf-8")) / 1e6
        context = Context(Options(target=target))
        ours = _best(lambda: variant.stage(text, context))  # noqa: B023  (called at once)
        rx = _best(lambda: scan.search(text))  # noqa: B023
        print(f"{name:<14}{target:<10}{mb / ours:>12.1f}{ours / rx:>14.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
