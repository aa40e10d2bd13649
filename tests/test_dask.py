"""fixenc.dask on a real ``distributed.LocalCluster``: two worker processes on this machine.

Every result is compared record for record with the single-process one. The Dask extra
is part of the test extra, so CI always runs this module; locally it is skipped only
when the extra is not installed.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import record_corpus

if os.environ.get("CI"):
    import distributed  # CI installs the test extra: a missing Dask is a failure there
else:
    distributed = pytest.importorskip("distributed")

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import fixenc.fixer
from fixenc import Fixer
from fixenc.dask import fix_shards, repair_bag, repair_column, repair_lines
from fixenc.records import fix_line, fix_shard

FIXER = Fixer()
LINES_PER_SHARD = 50


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=":0",  # any free port: runs in parallel must not collide
        silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _workers_used(client: Any, compute: Any) -> tuple[Any, set[str]]:
    """Compute, and say which workers ran the tasks."""
    with distributed.get_task_stream(client) as stream:
        result = compute()
    return result, {task["worker"] for task in stream.data}


def _corpus(seed: int) -> list[record_corpus.Line]:
    return list(record_corpus.lines(LINES_PER_SHARD, seed=seed))


def test_shards_on_the_cluster_equal_the_single_process_run(client: Any, tmp_path: Path) -> None:
    names = ["a.jsonl", "b.jsonl.gz", "c.jsonl.zst", "d.parquet"]
    source = tmp_path / "in"
    source.mkdir()
    expected: dict[str, bytes] = {}
    for seed, name in enumerate(names):
        corpus = _corpus(seed)
        data = b"".join(line.data for line in corpus)
        if name.endswith(".parquet"):
            rows = [json.loads(x.data) for x in corpus if x.kind != "malformed"]
            table = pa.Table.from_pylist([{"id": r["id"], "text": r.get("text")} for r in rows])
            pq.write_table(table, source / name)
            continue
        if name.endswith(".gz"):
            (source / name).write_bytes(gzip.compress(data))
        elif name.endswith(".zst"):
            import zstandard

            (source / name).write_bytes(zstandard.ZstdCompressor().compress(data))
        else:
            (source / name).write_bytes(data)
        expected[name] = b"".join(line.expected for line in corpus)
    paths = [source / n for n in names]

    single = [fix_shard(p, FIXER, destination=tmp_path / "single" / p.name) for p in paths]
    summaries, workers = _workers_used(
        client, lambda: fix_shards(paths, FIXER, output_dir=tmp_path / "cluster").compute()
    )
    assert len(workers) == 2  # both worker processes took shards
    assert summaries == single
    for name in names:
        cluster_out = (tmp_path / "cluster" / name).read_bytes()
        assert cluster_out == (tmp_path / "single" / name).read_bytes(), name
        if name in expected:
            raw = cluster_out
            if name.endswith(".gz"):
                raw = gzip.decompress(raw)
            elif name.endswith(".zst"):
                import zstandard

                raw = b"".join(zstandard.ZstdDecompressor().read_to_iter(raw))
            assert raw == expected[name], name
    # Each worker built the expensive state once, however many tasks it ran.
    warmed = client.run(lambda: sorted(o.target for o in fixenc.fixer._WARMED))
    assert sorted(warmed.values()) == [["keep"], ["keep"]]
    shutil.rmtree(tmp_path / "cluster")


def test_bag_of_records_and_of_strings(client: Any) -> None:
    corpus = _corpus(21) + _corpus(22)
    records = [json.loads(x.data) for x in corpus if x.kind != "malformed"]
    fixer = Fixer(field="text")
    got, workers = _workers_used(
        client, lambda: repair_bag(db.from_sequence(records, npartitions=8), fixer).compute()
    )
    assert len(workers) == 2
    assert got == [fixer(r) for r in records]
    assert got == [json.loads(x.expected) for x in corpus if x.kind != "malformed"]
    texts = [r["text"] for r in records if isinstance(r.get("text"), str)]
    strings = repair_bag(db.from_sequence(texts, npartitions=8), fixer).compute()
    assert strings == [fixer(t) for t in texts]
    assert strings != texts  # the corpus has damage to repair


def test_bag_of_jsonl_lines(client: Any) -> None:
    corpus = _corpus(31)
    lines = [x.data.decode("utf-8", "surrogateescape") for x in corpus]
    got = repair_lines(db.from_sequence(lines, npartitions=6), FIXER).compute()
    assert got == [fix_line(line, FIXER).line for line in lines]
    assert [g.encode("utf-8", "surrogateescape") for g in got] == [x.expected for x in corpus]


def test_dataframe_column(client: Any) -> None:
    corpus = _corpus(41)
    rows = [json.loads(x.data) for x in corpus if x.kind != "malformed"]
    frame = pd.DataFrame({"id": [r["id"] for r in rows], "text": [r.get("text") for r in rows]})
    frame["n"] = range(len(frame))
    distributed_frame = dd.from_pandas(frame, npartitions=6)
    result, workers = _workers_used(
        client, lambda: repair_column(distributed_frame, "text", FIXER).compute()
    )
    assert len(workers) == 2
    single = frame["text"].map(FIXER, na_action="ignore")
    pd.testing.assert_series_equal(result["text"], single, check_dtype=False)
    # Dask stores strings as string[pyarrow]; the repaired column keeps its dtype.
    assert result["text"].dtype == distributed_frame["text"].dtype
    pd.testing.assert_frame_equal(result[["id", "n"]], frame[["id", "n"]], check_dtype=False)
    assert (single.fillna("") != frame["text"].fillna("")).sum() > 0  # damage was repaired
