"""Trees of many small files: fixenc against the naive per-file loop, in one run (issue 12).

Not a test: it prints throughputs, ratios and peak RSS. It generates a deterministic tree
(``--files``, default 10,000) of 1–20 KB files in a temporary directory: mostly clean
text in English, Simplified and Traditional Chinese, Japanese, Korean and Russian, some
of it saved in the script's legacy encoding, some with one damaged line (Latin or
Cyrillic UTF-8 read as cp1252/cp1251, UTF-8 Chinese read as GBK). The sentences are the
human translations in this machine's gettext catalogues (``/usr/share/locale``; the
English is their msgids), so the text is real prose, and the same machine gives the
same tree.

Then, each in a fresh process (so start-up and imports count, as for a user):

* the reference: ``chardet.detect → bytes.decode → ftfy.fix_text → OpenCC t2s`` per file,
  on a ``multiprocessing.Pool`` of two processes;
* ``fixenc check -q -j1`` and ``fixenc check -q -j2`` over the tree (the CLI in-process
  in that fresh process: discovery, the runner, the reporter).

Peak RSS per worker is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of the process that ran
the pool (the largest of its reaped workers); with ``-j1`` the one process is the worker.
The machine's load average is printed with the figures: the 2 cores are shared.

    python benchmarks/bench_tree.py                  # 10,000 files
    python benchmarks/bench_tree.py --files 2000     # a quicker look
    python benchmarks/bench_tree.py --profile 1000   # where the time goes, on 1,000 files
"""

from __future__ import annotations

import argparse
import itertools
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
sys.path.insert(0, str(ROOT / "scripts"))
from build_clean_corpus import LOCALE_DIR, _catalogue_entries  # noqa: E402

SEED = 12
# Script → (catalogue language, legacy encoding a file of it may be saved in).
SCRIPTS = {
    "en": ("zh_CN", "cp1252"),  # the msgids: English
    "zh-Hans": ("zh_CN", "gbk"),
    "zh-Hant": ("zh_TW", "big5"),
    "ja": ("ja", "shift_jis"),
    "ko": ("ko", "euc_kr"),
    "ru": ("ru", "cp1251"),
}
# Share of files per script (English most, as in real trees).
WEIGHTS = {"en": 35, "zh-Hans": 20, "zh-Hant": 12, "ja": 12, "ko": 10, "ru": 11}
LEGACY_SHARE = 0.06  # files saved in their script's legacy encoding
DAMAGED_SHARE = 0.06  # files with one damaged line
MIN_BYTES, MAX_BYTES = 1024, 20 * 1024  # the 1-20 KB
LINES_PER_SCRIPT = 4000  # sentences kept per script: enough variety, quick to load


def _catalogue(lang: str, *, keys: bool) -> list[str]:
    """Up to LINES_PER_SCRIPT sentences (lines longer than 8 characters) of ``lang``."""
    long = (line for line in _catalogue_entries(lang, keys=keys) if len(line) > 8)
    return list(itertools.islice(long, LINES_PER_SCRIPT))


def _pools() -> dict[str, list[str]]:
    pools = {s: _catalogue(lang, keys=s == "en") for s, (lang, _) in SCRIPTS.items()}
    for script, (_, codec) in SCRIPTS.items():
        # Keep lines the legacy encoding can hold, so every legacy file is exact.
        kept = [line for line in pools[script] if _fits(line, codec)]
        if len(kept) < 50:
            raise SystemExit(f"too few {script} sentences in {LOCALE_DIR}; install locales")
        pools[script] = kept
    return pools


def _fits(line: str, codec: str) -> bool:
    try:
        line.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _damage(line: str, script: str, rng: random.Random) -> str:
    """One line as a misreading program would have shown it."""
    data = line.encode("utf-8")
    if script in ("zh-Hans", "zh-Hant"):
        return data.decode("gbk", errors="replace")  # UTF-8 read as GBK
    if script == "ru":
        return data.decode("cp1252", errors="replace")  # UTF-8 read as cp1252
    accented = "Café crème brûlée, naïve façade — “quoted” "
    return (accented + line).encode("utf-8").decode("cp1252", errors="replace")


def build_tree(root: Path, n: int) -> dict[str, int]:
    """Write ``n`` files under ``root``; return how many of each kind."""
    rng = random.Random(SEED)
    pools = _pools()
    scripts = list(WEIGHTS)
    weights = [WEIGHTS[s] for s in scripts]
    kinds: dict[str, int] = {}
    for i in range(n):
        script = rng.choices(scripts, weights)[0]
        size = rng.randint(MIN_BYTES, MAX_BYTES)
        pool = pools[script]
        lines: list[str] = []
        total = 0
        while total < size:
            line = pool[rng.randrange(len(pool))]
            lines.append(line)
            total += len(line.encode()) + 1
        roll = rng.random()
        kind = "clean"
        codec = "utf-8"
        if roll < LEGACY_SHARE and script != "en":
            kind, codec = "legacy", SCRIPTS[script][1]
        elif roll < LEGACY_SHARE + DAMAGED_SHARE:
            kind = "damaged"
            at = rng.randrange(len(lines))
            lines[at] = _damage(lines[at], script, rng)
        text = "\n".join(lines) + "\n"
        path = root / f"{script}/d{i % 50:02d}/{kind}-{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(codec, errors="replace"))
        key = f"{kind} {script}" if kind != "clean" else kind
        kinds[key] = kinds.get(key, 0) + 1
    return kinds


# --- what each fresh process runs ---------------------------------------------------------


def _reference_one(path: str) -> int:
    import chardet
    import ftfy

    data = Path(path).read_bytes()
    encoding = chardet.detect(data)["encoding"] or "utf-8"
    text = data.decode(encoding, errors="replace")
    text = ftfy.fix_text(text)
    assert _CONVERTER is not None, "the pool's initializer builds the converter"
    return len(_CONVERTER.convert(text))


_CONVERTER = None


def _reference_init() -> None:
    global _CONVERTER
    import opencc

    _CONVERTER = opencc.OpenCC("t2s")


def _run_reference(root: Path, jobs: int) -> None:
    import multiprocessing

    paths = sorted(str(p) for p in root.rglob("*.txt"))
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_reference_init) as pool:
        for _ in pool.imap_unordered(_reference_one, paths, chunksize=16):
            pass


def _run_fixenc(root: Path, jobs: int) -> None:
    from fixenc.cli import main

    code = main(["check", "-q", "-j", str(jobs), str(root)])
    if code not in (0, 1):
        raise SystemExit(f"fixenc check exited {code}")


def _child(which: str, jobs: int, root: Path) -> None:
    if which == "budget":  # --profile's table: ``jobs`` is the number of files
        _profile(root, jobs, profiler=False)
        return
    uss: list[float] = [0.0]
    stop = threading.Event()
    sampler = threading.Thread(target=_sample_uss, args=(uss, stop, jobs > 1), daemon=True)
    sampler.start()
    start = time.perf_counter()
    if which == "reference":
        _run_reference(root, jobs)
    else:
        _run_fixenc(root, jobs)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "inner": wall,
        "parent_mib": own.ru_maxrss / 1024,
        "worker_mib": workers.ru_maxrss / 1024 or own.ru_maxrss / 1024,
        "worker_uss_mib": uss[0],
        "parent_cpu": own.ru_utime + own.ru_stime,
        "workers_cpu": workers.ru_utime + workers.ru_stime,
    }
    print(json.dumps(figures))


def _sample_uss(peak: list[float], stop: threading.Event, pool: bool) -> None:
    """The largest unique memory (USS: pages no other process shares) of any worker,
    or of this process when it runs alone (not ``pool``); psutil is needed (the test
    extra has it). With a pool, this process is not sampled before its workers exist:
    alone it shares nothing yet, so its whole memory would count as a worker's."""
    try:
        import psutil
    except ImportError:
        return
    me = psutil.Process()
    while not stop.wait(0.5):
        for process in me.children() or ([] if pool else [me]):
            try:
                peak[0] = max(peak[0], process.memory_full_info().uss / 2**20)
            except psutil.Error:
                continue


def _measure(which: str, jobs: int, root: Path) -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", which, str(jobs), str(root)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.perf_counter() - start
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = wall
    return figures


def _cpu(figures: dict[str, float]) -> float:
    return figures["parent_cpu"] + figures["workers_cpu"]


def _profile(root: Path, n: int, *, profiler: bool) -> None:
    """Where the time goes, file by file (every k-th file of the tree, in one process
    after the warm-up). Without ``profiler``: CPU milliseconds per file by script and
    kind and the share of the total (run in a fresh process, so no cache is warm and no
    profiler inflates the Python-heavy stages); with it: cProfile's top entries only."""
    import cProfile
    import pstats

    from fixenc import runner
    from fixenc.model import Options
    from fixenc.process import Job, process_path

    paths = sorted(root.rglob("*.txt"))
    paths = paths[:: max(1, len(paths) // n)][:n]
    job = Job(Options())
    start = time.process_time()
    runner.warm(Options())
    warm = time.process_time() - start
    spent: dict[tuple[str, str], list[float]] = {}
    profile = cProfile.Profile()
    for path in paths:
        start = time.process_time()
        if profiler:
            profile.enable()
        process_path(path, job)
        if profiler:
            profile.disable()
        key = (path.relative_to(root).parts[0], path.name.split("-")[0])
        spent.setdefault(key, []).append(time.process_time() - start)
    if profiler:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return
    total = sum(sum(v) for v in spent.values())
    print(f"warm-up before the fork: {warm * 1e3:.0f} ms CPU")
    print(f"{'script':<9}{'kind':<9}{'files':>6}{'cpu ms/file':>12}{'share':>7}")
    for (script, kind), times in sorted(spent.items(), key=lambda kv: -sum(kv[1])):
        share = sum(times) / total
        print(
            f"{script:<9}{kind:<9}{len(times):>6}{sum(times) / len(times) * 1e3:>12.2f}"
            f"{share:>7.0%}"
        )
    print(f"all      {len(paths):>15}{total / len(paths) * 1e3:>12.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build the tree here and keep it")
    parser.add_argument("--profile", type=int, metavar="N", help="time and profile N files")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        which, jobs, root = args.child
        _child(which, int(jobs), Path(root))
        return 0
    with tempfile.TemporaryDirectory(prefix="fixenc-tree-") as tmp:
        root = args.keep or Path(tmp)
        if not any(root.rglob("*.txt")):
            kinds = build_tree(root, args.files)
            print("tree:", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        paths = list(root.rglob("*.txt"))
        total = sum(p.stat().st_size for p in paths)
        print(f"{len(paths):,} files, {total / 1e6:.1f} MB; load average {os.getloadavg()}")
        if args.profile:
            done = subprocess.run(
                [sys.executable, __file__, "--child", "budget", str(args.profile), str(root)],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            print(done.stdout, end="")
            _profile(root, args.profile, profiler=True)
            return 0
        runs = {
            "reference, 2 processes": _measure("reference", 2, root),
            "fixenc check -j1": _measure("fixenc", 1, root),
            "fixenc check -j2": _measure("fixenc", 2, root),
        }
        ref = runs["reference, 2 processes"]["wall"]
        ref_cpu = _cpu(runs["reference, 2 processes"])
        print(
            f"{'run':<24}{'wall s':>8}{'files/s':>9}{'MB/s':>7}{'vs ref':>8}"
            f"{'worker RSS':>11}{'USS':>6}{'parent cpu':>11}{'workers cpu':>12}"
            f"{'cores':>6}{'ref cpu ÷':>10}"
        )
        for name, fig in runs.items():
            print(
                f"{name:<24}{fig['wall']:>8.2f}{len(paths) / fig['wall']:>9.0f}"
                f"{total / 1e6 / fig['wall']:>7.2f}{ref / fig['wall']:>7.2f}x"
                f"{fig['worker_mib']:>11.0f}{fig['worker_uss_mib']:>6.0f}"
                f"{fig['parent_cpu']:>11.1f}{fig['workers_cpu']:>12.1f}"
                f"{_cpu(fig) / fig['inner']:>6.2f}{ref_cpu / _cpu(fig):>9.2f}x"
            )
        scaling = runs["fixenc check -j1"]["wall"] / runs["fixenc check -j2"]["wall"]
        print(f"scaling -j1 → -j2: {scaling:.2f}x; load average after: {os.getloadavg()}")
        # "cores": CPU seconds per wall second of the run, the cores it really had (on a
        # shared machine -j2 may get fewer than two); "ref cpu ÷": the reference's CPU
        # seconds over the run's, the throughput ratio with the load taken out.
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
