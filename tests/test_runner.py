"""The runner: same outcomes in any number of processes, and caches built once a run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixenc import runner
from fixenc.model import FileOutcome, Options, Status
from fixenc.process import Job

MOJIBAKE = "CafÃ© au lait\n".encode()


def _items(root: Path, n: int) -> list[runner.Item]:
    root.mkdir()
    for i in range(n):
        data = MOJIBAKE if i % 3 == 0 else f"clean {i}\n".encode()
        (root / f"f{i:04d}.txt").write_bytes(data)
    return [runner.Item(p) for p in sorted(root.iterdir())]


def _collect(items: list[runner.Item], jobs: int, *, keep_text: bool = True) -> list[FileOutcome]:
    out: list[FileOutcome] = []
    runner.run(items, runner.Task(Job(Options()), keep_text=keep_text), out.append, jobs=jobs)
    return out


RUNS = [
    pytest.param(1, 150, id="in-process"),
    pytest.param(2, 150, id="two-workers"),
    pytest.param(2, 10, id="too-few-files-for-a-pool"),
]


@pytest.mark.parametrize(("jobs", "n"), RUNS)
def test_outcomes_in_input_order_whatever_the_jobs(tmp_path: Path, jobs: int, n: int) -> None:
    items = _items(tmp_path / "t", n)
    outcomes = _collect(items, jobs)
    assert [o.path for o in outcomes] == [str(i.path) for i in items]
    changed = [o for o in outcomes if o.status is Status.CHANGED]
    assert len(changed) == len(range(0, n, 3))
    assert all(o.result and o.result.original == "CafÃ© au lait\n" for o in changed)
    unchanged = [o for o in outcomes if o.status is Status.UNCHANGED]
    assert all(o.result and o.result.original == "" for o in unchanged)  # text dropped


def test_changed_text_dropped_when_no_report_needs_it(tmp_path: Path) -> None:
    outcomes = _collect(_items(tmp_path / "t", 3), 1, keep_text=False)
    first = outcomes[0]
    assert first.status is Status.CHANGED and first.result is not None
    assert (first.result.original, first.result.counts()) == ("", {"mojibake": 1})


def test_caches_are_built_once_before_the_workers_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The expensive objects are built by ``warm`` once, in the parent, before the pool
    forks: the workers share those pages (benchmarks/bench_tree.py: a worker's unique
    memory fell from about 240 to 166 MiB, and the run's CPU by the second warm-up)."""
    log = tmp_path / "warm.log"

    def counting_warm(options: Options) -> None:
        with log.open("a") as handle:
            handle.write(f"{os.getpid()}\n")

    monkeypatch.setattr(runner, "warm", counting_warm)
    items = _items(tmp_path / "t", 2 * runner.MIN_FILES_FOR_POOL)
    _collect(items, 2)
    assert log.read_text().split() == [str(os.getpid())]


@pytest.mark.parametrize("jobs", [1, 2], ids=["in-process", "two-workers"])
def test_a_bug_on_one_file_is_that_files_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    import fixenc.pipeline

    real = fixenc.pipeline.repair

    def buggy(text: str, options: Options, **kwargs: object) -> object:
        if "Caf" in text:
            raise ValueError("overlapping changes at offset 3")
        return real(text, options, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fixenc.pipeline, "repair", buggy)
    items = _items(tmp_path / "t", 2 * runner.MIN_FILES_FOR_POOL)
    outcomes = _collect(items, jobs)
    errors = [o for o in outcomes if o.status is Status.ERROR]
    assert len(outcomes) == len(items) and len(errors) == len(range(0, len(items), 3))
    assert errors[0].message.startswith("internal error (ValueError: overlapping changes")
    assert all((tmp_path / "t" / Path(o.path).name).read_bytes() == MOJIBAKE for o in errors)


def test_the_warm_state_holds_no_merged_tables_and_no_pypinyin() -> None:
    """What the parent builds before the fork, every worker carries (issue 12: under
    150 MiB a worker). Two costly things stay out of it: a merged copy of the four Han
    tables (14 MiB; the code that used one reads each model's table) and the pypinyin
    package (56 MiB; its character table is read directly). Checked in a fresh
    interpreter, as a run starts."""
    import subprocess
    import sys

    from fixenc.plausibility import MODELS

    code = (
        "import sys\n"
        "from fixenc import runner\n"
        "from fixenc.model import Options\n"
        "from fixenc.plausibility import tables\n"
        "runner.warm(Options())\n"
        "print(tables.load_model.cache_info().currsize, tables.merged_model.cache_info().currsize,"
        " 'pypinyin' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(len(MODELS)), "0", "False"]
