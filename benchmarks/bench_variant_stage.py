"""Throughput of the variant stage alone (fixenc/stages/variant) on clean and mixed text.

Not a test: it prints MB/s per corpus and target, best of three, beside one compiled
regex scan over the same text (the cost a clean text's fast path aims at).

    python benchmarks/bench_variant_stage.py
"""

from __future__ import annotations

import re
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path

from fixenc.model import Context, Options, Target
from fixenc.stages import variant

ROOT = Path(__file__).resolve().parent.parent
SIZE = 2_000_000  # bytes per corpus, as bench_pipeline.py
REPEATS = 3


def _cpython(name: str) -> str:
    path = Path(sysconfig.get_paths()["stdlib"]) / "test" / "cjkencodings" / name
    return path.read_text(encoding="utf-8")


def _corpus(name: str) -> str:
    trad = (ROOT / "samples" / "clean-traditional.txt").read_text(encoding="utf-8")
    simp = (ROOT / "samples" / "000_825338dbf911db84.gold-zh-Hans.txt").read_text(encoding="utf-8")
    # a two-line Japanese paragraph after each Simplified paragraph (the Japanese and
    # Korean paragraphs are cut out of the stage's work: ``variant/foreign.py``)
    japanese = "東京の天気は晴れです。\n会議は来週の月曜日に開かれる予定です。"
    base = {
        "Traditional": lambda: trad,
        "Simplified": lambda: simp,
        "mixed": lambda: trad + "\n我们今天去公园散步，天气很好。\n\n",
        "Japanese": lambda: _cpython("shift_jis-utf8.txt"),
        "Korean": lambda: _cpython("euc_kr-utf8.txt"),
        "Simp+Japanese": lambda: "".join(
            p + "\n\n" + japanese + "\n\n" for p in simp.split("\n\n") if p.strip()
        ),
    }[name]()
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
        ("Japanese", "keep"),
        ("Korean", "keep"),
        ("Simp+Japanese", "keep"),
        ("Simp+Japanese", "zh-Hant"),
    ]
    print(f"{'corpus':<14}{'target':<10}{'stage MB/s':>12}{'vs regex scan':>15}")
    for name, target in rows:
        try:
            text = _corpus(name)
        except FileNotFoundError as exc:  # CPython's test texts are not installed here
            print(f"{name:<14}{target:<10} skipped: {exc}")
            continue
        mb = len(text.encode("utf-8")) / 1e6
        context = Context(Options(target=target))
        ours = _best(lambda: variant.stage(text, context))  # noqa: B023  (called at once)
        rx = _best(lambda: scan.search(text))  # noqa: B023
        print(f"{name:<14}{target:<10}{mb / ours:>12.1f}{ours / rx:>14.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
