"""Record mode at corpus scale: MB/s in one process and on a local Dask cluster, and memory.

Generates (deterministically, once, cached by its parameters) a JSONL corpus of
web-crawl-like records in shards: mostly clean text in many languages, some damaged
records (Latin and CJK mojibake, machine-inserted pinyin) and some malformed lines (see
``tests/record_corpus.py``). Then repairs the ``text`` field of every shard

1. in this process, shard after shard (``fixenc.records.fix_shard``, what
   ``fixenc fix SHARD --field text`` does), sampling this process's RSS;
2. on a ``distributed.LocalCluster`` (one single-threaded worker process per core), one
   task per shard (``fixenc.dask.fix_shards``), sampling each worker's RSS;

checks that both runs wrote the same bytes, and prints MB/s (uncompressed input) and
the RSS samples: memory must stay flat however large the corpus. Not a test::

    python benchmarks/bench_records.py --size-mb 50          # a quick look
    python benchmarks/bench_records.py --size-mb 1024        # the 1 GB run
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import record_corpus  # noqa: E402  (a test helper, shared with the tests)

from fixenc import Fixer  # noqa: E402
from fixenc.records import fix_shard  # noqa: E402

# The corpus's mix, closer to a real crawl than the tests' (which want many damaged
# records in few lines): single-language web documents of 2 to 12 paragraphs.
# One record in a hundred damaged is already a badly damaged crawl; each damaged record
# costs the CJK round trips 5-15 ms, a clean one about 0.1 ms (measured here).
DAMAGED, MALFORMED, NO_FIELD = 0.01, 0.002, 0.005
PARAGRAPHS = (3, 20)
# How often memory is sampled, in seconds.
SAMPLE_EVERY = 2.0


def generate(directory: Path, size_mb: int, shards: int) -> list[Path]:
    """Write ``shards`` JSONL shards totalling about ``size_mb`` MB (reused if present)."""
    manifest = directory / "manifest.json"
    spec = {
        "size_mb": size_mb,
        "shards": shards,
        "mix": [DAMAGED, MALFORMED, NO_FIELD, *PARAGRAPHS],
    }
    paths = [directory / f"crawl-{i:04d}.jsonl" for i in range(shards)]
    if manifest.exists() and json.loads(manifest.read_text()) == spec:
        return paths
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    per_shard = size_mb * 1_000_000 // shards
    started = time.perf_counter()
    for seed, path in enumerate(paths):
        written = 0
        with path.open("wb") as handle:
            lines = record_corpus.lines(
                sys.maxsize,
                seed=seed,
                damaged=DAMAGED,
                malformed=MALFORMED,
                no_field=NO_FIELD,
                paragraphs=PARAGRAPHS,
                by_language=True,
            )
            for line in lines:
                handle.write(line.data)
                written += len(line.data)
                if written >= per_shard:
                    break
    manifest.write_text(json.dumps(spec))
    print(f"generated {size_mb} MB in {shards} shards in {time.perf_counter() - started:.0f} s")
    return paths


class Sampler:
    """Samples the RSS of some processes every ``SAMPLE_EVERY`` seconds in a thread."""

    def __init__(self, pids: Callable[[], dict[str, int]]) -> None:
        self._pids = pids
        self.samples: list[tuple[float, dict[str, int]]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._start = time.perf_counter()

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _sample(self) -> None:
        rss = {}
        for name, pid in self._pids().items():
            try:
                rss[name] = psutil.Process(pid).memory_info().rss
            except psutil.Error:
                continue
        self.samples.append((time.perf_counter() - self._start, rss))

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            self._sample()

    def report(self, points: int = 8) -> str:
        """RSS (MiB) at ``points`` evenly spaced samples, and the peak, per process."""
        if not self.samples:
            return "  no samples"
        names = sorted({n for _, rss in self.samples for n in rss})
        step = max(1, len(self.samples) // points)
        chosen = self.samples[::step]
        if chosen[-1] is not self.samples[-1]:
            chosen.append(self.samples[-1])
        lines = ["  " + "t (s)".rjust(7) + "".join(n.rjust(14) for n in names)]
        for t, rss in chosen:
            row = "".join(f"{rss.get(n, 0) / 2**20:11.0f} MiB" for n in names)
            lines.append(f"  {t:7.0f}{row}")
        peaks = "".join(
            f"{max(r.get(n, 0) for _, r in self.samples) / 2**20:11.0f} MiB" for n in names
        )
        lines.append("  " + "peak".rjust(7) + peaks)
        return "\n".join(lines)


def digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--size-mb", type=int, default=50, help="corpus size in MB (1024 for the real run)"
    )
    parser.add_argument(
        "--shards",
        type=int,
        default=0,
        help="number of shards (default: one per 32 MB, at least 4)",
    )
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument(
        "--dir", type=Path, default=Path(tempfile.gettempdir()) / "fixenc-bench-records"
    )
    parser.add_argument("--skip-single", action="store_true", help="only the cluster run")
    parser.add_argument(
        "--no-dask-profiler",
        action="store_true",
        help="turn off Dask's statistical profiler, whose per-second history (an hour of it) "
        "makes worker RSS creep up by about 50 KiB/s in long runs",
    )
    args = parser.parse_args(argv)
    shards = args.shards or max(4, args.size_mb // 32)
    paths = generate(args.dir / "corpus", args.size_mb, shards)
    total = sum(p.stat().st_size for p in paths)
    print(f"corpus: {total / 1e6:.0f} MB in {len(paths)} shards ({args.dir / 'corpus'})")
    fixer = Fixer(field="text")

    single_digest = None
    if not args.skip_single:
        out = args.dir / "single"
        shutil.rmtree(out, ignore_errors=True)
        fixer.warm()
        me = os.getpid()
        with Sampler(lambda: {"this process": me}) as sampler:
            started = time.perf_counter()
            changed = malformed = 0
            for path in paths:
                summary = fix_shard(path, fixer, destination=out / path.name)
                changed += summary.changed
                malformed += summary.malformed
            elapsed = time.perf_counter() - started
        print(
            f"\nsingle process: {total / 1e6 / elapsed:.2f} MB/s ({elapsed:.0f} s; "
            f"{changed} records changed, {malformed} malformed lines passed through)"
        )
        print(sampler.report())
        single_digest = digest([out / p.name for p in paths])

    import distributed

    from fixenc.dask import fix_shards

    if args.no_dask_profiler:
        os.environ["DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"] = "false"  # workers inherit it
    out = args.dir / "cluster"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    with (
        distributed.LocalCluster(
            n_workers=args.workers, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.run(fixer.warm)  # build the expensive state once per worker, before timing
        pids = {addr.rsplit(":", 1)[-1]: pid for addr, pid in client.run(os.getpid).items()}
        print(
            f"\ncluster of {args.workers} workers up and warm in {time.perf_counter() - started:.1f} s"
        )
        with Sampler(lambda: {f"worker :{port}": pid for port, pid in pids.items()}) as sampler:
            started = time.perf_counter()
            summaries = fix_shards(paths, fixer, output_dir=out).compute()
            elapsed = time.perf_counter() - started
    changed = sum(s.changed for s in summaries)
    print(
        f"local cluster ({args.workers} workers): {total / 1e6 / elapsed:.2f} MB/s ({elapsed:.0f} s; "
        f"{changed} records changed)"
    )
    print(sampler.report())
    if single_digest is not None:
        same = digest([out / p.name for p in paths]) == single_digest
        print(f"\ncluster output identical to single-process output: {same}")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
