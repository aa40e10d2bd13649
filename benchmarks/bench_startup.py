"""Start-up as the pre-commit hook pays it: ``fixenc check`` on one tiny file, in a real
process, against a bare interpreter and other hooks' tools in the same run.

Not a test: it prints numbers (issue 12's target is about 0.25 s of wall time). Each
command runs N times and the best is kept, since the machine is shared and the minimum
is the honest figure. Then ``python -X importtime`` says where the import time goes.

    python benchmarks/bench_startup.py            # best of 7
    FIXENC_BENCH_RUNS=15 python benchmarks/bench_startup.py

The package's bytecode is compiled first (``compileall``), as ``pip install`` does: with
``PYTHONDONTWRITEBYTECODE`` set and no ``__pycache__``, every run would compile fixenc's
sources again (about 0.1 s here) and measure that instead.
"""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("FIXENC_BENCH_RUNS", "7"))
# The case: one accented Latin letter and one Chinese word.
TINY = "café 中文\n"
# How many import-time rows to print (by own time, largest first).
TOP_IMPORTS = 15


def _best_wall(argv: list[str], cwd: Path) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def _import_times() -> list[tuple[int, int, str]]:
    """(own µs, cumulative µs, module) for ``import fixenc.cli`` in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import fixenc.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        rows.append((int(own), int(cumulative), name.rstrip()))
    return rows


# The check itself, after the imports: where its time goes, in a fresh process.
_RUN_PROFILE = """
import cProfile, pstats, sys, time
import fixenc.cli
profiler = cProfile.Profile()
start = time.perf_counter()
profiler.runcall(fixenc.cli.main, ["check", "--no-summary", sys.argv[1]])
print(f"check after the imports: {time.perf_counter() - start:.3f} s (profiled)")
stats = pstats.Stats(profiler)
rows = [
    (cum, f"{path.rsplit('/fixenc/', 1)[-1]}:{name}")
    for (path, _line, name), (_cc, _nc, _tt, cum, _callers) in stats.stats.items()
    if "/fixenc/" in path and name not in ("main", "_main", "_bulk", "run", "_process",
        "_process_unguarded", "process_path", "process_data", "repair", "_pass", "once")
]
for cum, where in sorted(rows, reverse=True)[:TOP]:
    print(f"  {cum * 1000:>6.1f} ms  {where}")
"""


def main() -> int:
    compileall.compile_dir(ROOT / "fixenc", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "tiny.txt").write_text(TINY, encoding="utf-8")
        fixenc_cmd = str(Path(sys.executable).with_name("fixenc"))
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("python -c 'import fixenc'", [sys.executable, "-c", "import fixenc"]),
            ("python -c 'import fixenc.cli'", [sys.executable, "-c", "import fixenc.cli"]),
            ("fixenc --version", [fixenc_cmd, "--version"]),
            (
                "fixenc check --no-summary tiny.txt",
                [fixenc_cmd, "check", "--no-summary", "tiny.txt"],
            ),
        ]
        for tool in ("ruff", "black"):
            found = shutil.which(tool, path=str(Path(sys.executable).parent)) or shutil.which(tool)
            if found:
                rows.append((f"{tool} --version (reference)", [found, "--version"]))
        print(f"wall time, best of {RUNS} (load average {os.getloadavg()[0]:.1f})")
        for label, argv in rows:
            print(f"  {label:<40}{_best_wall(argv, work):>8.3f} s")
        out = subprocess.run(
            [sys.executable, "-c", _RUN_PROFILE.replace("TOP", "14"), str(work / "tiny.txt")],
            capture_output=True,
            text=True,
            check=True,
        )
        print("\n" + out.stdout.rstrip())
    imports = _import_times()
    total = max(cumulative for _own, cumulative, _name in imports)
    print(f"\nimport fixenc.cli: {total / 1e6:.3f} s cumulative; largest own times:")
    for own, cumulative, name in sorted(imports, reverse=True)[:TOP_IMPORTS]:
        print(f"  {own / 1000:>6.1f} ms own {cumulative / 1000:>7.1f} ms cum  {name.strip()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
