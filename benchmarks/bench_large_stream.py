"""A large file streams at the throughput of a 1 MB file, in memory that does not grow.

Not a test: it prints MB/s and RSS. One deterministic 1 MiB block of whole lines (the
gettext sentences of ``bench_tree.py``: English, Simplified Chinese, Korean and Russian,
with an English line in Latin mojibake about every 1,000; see ``SCRIPTS``) is written once as the 1 MB file and repeated to make the large one, so every megabyte holds the same text.
Each file is fixed (``process_path`` with the command line's ``Job``: the 1 MB file is
read whole, the large one streams in 1 MiB pieces and is replaced atomically) in a fresh
process, after the stages are warmed, so start-up is not counted. RSS is sampled every
half second during the run; peak RSS is ``ru_maxrss``.

    python benchmarks/bench_large_stream.py                   # 1 MB and 200 MB
    FIXENC_BENCH_GB=1 python benchmarks/bench_large_stream.py # 1 MB and 1 GB (10 min here)
    python benchmarks/bench_large_stream.py --size-mb 50
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK_BYTES = 1 << 20
DAMAGE_EVERY = 1000  # lines: about 20 damaged lines a megabyte
DEFAULT_MB = 200  # the 1 GB run took 585 s here (1.84 MB/s); FIXENC_BENCH_GB=1 runs it
SEED = 4
# Scripts of the block. Not Traditional Chinese nor Japanese: their lines shuffled among
# Simplified ones make every megabyte a "mixed document", which the variant stage reads
# at 0.3-0.4 MB/s here (issue 11's figure; 2.5 s for this block with them), and the damage is Latin mojibake (UTF-8 read
# as cp1252), not lost-byte Chinese (about 0.25 s a line in the beam search): the
# benchmark measures what streaming adds, and a 1 GB run must end within the session.
SCRIPTS = ("en", "zh-Hans", "ko", "ru")


def _block() -> bytes:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_tree

    pools = bench_tree._pools()
    rng = random.Random(SEED)
    scripts = [s for s in bench_tree.WEIGHTS if s in SCRIPTS]
    weights = [bench_tree.WEIGHTS[s] for s in scripts]
    out: list[bytes] = []
    total = 0
    n = 0
    while True:
        script = rng.choices(scripts, weights)[0]
        line = rng.choice(pools[script])
        if n % DAMAGE_EVERY == DAMAGE_EVERY - 1:
            line = bench_tree._damage(rng.choice(pools["en"]), "en", rng)
        data = (line + "\n").encode()
        if total + len(data) > BLOCK_BYTES:
            break
        out.append(data)
        total += len(data)
        n += 1
    return b"".join(out)


def _child(path: Path, repeats: int) -> None:
    from fixenc import runner
    from fixenc.files import Streaming
    from fixenc.model import Options
    from fixenc.process import Job, process_path

    runner.warm(Options())
    original = path.read_bytes() if path.stat().st_size <= BLOCK_BYTES else None
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            samples.append(_rss_mib())

    # As ``fixenc fix --max-size 2GiB``: the size cap (64 MiB) still applies to streams.
    job = Job(Options(), write=True, max_bytes=1 << 40, streaming=Streaming())
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    best = float("inf")
    changes = 0
    for _ in range(repeats):
        if original is not None:
            path.write_bytes(original)
        start = time.perf_counter()
        outcome = process_path(path, job).outcome
        best = min(best, time.perf_counter() - start)
        assert outcome.result is not None and outcome.written, outcome.message
        changes = len(outcome.result.changes)
    stop.set()
    thread.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    quarter = [samples[int(len(samples) * q)] for q in (0.1, 0.5, 0.9)] if samples else []
    print(json.dumps({"seconds": best, "peak_mib": peak, "rss_mib": quarter, "changes": changes}))


def _rss_mib() -> float:
    with open(f"/proc/{os.getpid()}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _measure(path: Path, repeats: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path), str(repeats)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    default = 1024 if os.environ.get("FIXENC_BENCH_GB") == "1" else DEFAULT_MB
    parser.add_argument("--size-mb", type=int, default=default)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(Path(args.child[0]), int(args.child[1]))
        return 0
    block = _block()
    with tempfile.TemporaryDirectory(prefix="fixenc-large-") as tmp:
        small, large = Path(tmp) / "1mb.txt", Path(tmp) / "large.txt"
        small.write_bytes(block)
        with large.open("wb") as out:
            for _ in range(args.size_mb):
                out.write(block)
        print(f"block {len(block):,} bytes; load average {os.getloadavg()}")
        print(f"{'file':<12}{'seconds':>9}{'MB/s':>8}{'peak RSS MiB':>14}  RSS at 10/50/90 %")
        rates = []
        for path, repeats in ((small, 3), (large, 1)):
            size = path.stat().st_size
            fig = _measure(path, repeats)
            seconds = float(fig["seconds"])  # type: ignore[arg-type]
            rates.append(size / 1e6 / seconds)
            label = f"{size / 1e6:,.0f} MB"
            print(
                f"{label:<12}{seconds:>9.2f}{rates[-1]:>8.2f}{fig['peak_mib']:>14.0f}  "
                f"{fig['rss_mib']}  ({fig['changes']} changes)"
            )
        print(f"large / 1 MB throughput: {rates[1] / rates[0]:.2f}; load {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
