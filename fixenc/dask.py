"""Dask integration: repair corpora too large for one machine (``pip install 'fixenc[dask]'``).

Stage: all of them, on a cluster. Every function here ships a ``Fixer`` (its options,
a few hundred bytes) with each task; a worker builds the expensive state (OpenCC
converters, frequency tables) once, on its first task, and reuses it for every task
after. Each function is the single-process code applied partition by partition, so
the result equals the single-process result record for record, whatever the
partitioning or the number of workers.

- ``fix_shards``: JSONL/Parquet shards on storage every worker can read (a shared file
  system), one task per shard, each streamed by ``fixenc.records`` with bounded memory,
  byte for byte as ``fixenc fix SHARD --field NAME`` writes it.
- ``repair_bag``: a bag of strings, or of records (mappings) with the field repaired.
- ``repair_lines``: a bag of JSONL lines (as ``read_text`` gives them): record mode's
  rules, line by line (malformed lines pass through).
- ``repair_column``: one string column of a Dask dataframe (nulls pass through).

Importing this module needs nothing beyond fixenc: the functions that take a collection
only call its methods, and ``fix_shards`` imports Dask when it is called.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from fixenc import records
from fixenc.fixer import Fixer
from fixenc.records import DEFAULT_ID_FIELD, ShardSummary

# Dask's bag API is untyped: a bag is ``Any`` to the type checker.
Bag = Any

__all__ = ["fix_shards", "repair_bag", "repair_column", "repair_lines", "repair_series"]


def repair_bag(bag: Bag, fixer: Fixer | None = None, *, field: str | None = None) -> Bag:
    """Repair every element: a string becomes the repaired string, a record (mapping) a
    new dict with ``field`` (default: the fixer's) repaired."""
    return bag.map_partitions(_fix_items, fixer or Fixer(), field)


def repair_lines(
    bag: Bag,
    fixer: Fixer | None = None,
    *,
    field: str | None = None,
    id_field: str | None = DEFAULT_ID_FIELD,
) -> Bag:
    """Repair a bag of JSONL lines as record mode does: only ``field``'s JSON string
    changes, and a line that is not a JSON object comes back as it was."""
    return bag.map_partitions(_fix_lines, fixer or Fixer(), field, id_field)


def repair_series(series: Any, fixer: Fixer | None = None) -> Any:
    """Repair a Dask series of strings (other values, such as nulls, pass through)."""
    return series.map_partitions(_fix_series, fixer or Fixer(), meta=series._meta)


def repair_column(frame: Any, column: str | None = None, fixer: Fixer | None = None) -> Any:
    """A Dask dataframe with ``column`` (default: the fixer's field) repaired."""
    fixer = fixer or Fixer()
    name = fixer.field if column is None else column
    return frame.assign(**{name: repair_series(frame[name], fixer)})


def fix_shards(
    paths: Sequence[str | Path],
    fixer: Fixer | None = None,
    *,
    output_dir: str | Path | None = None,
    field: str | None = None,
    id_field: str | None = DEFAULT_ID_FIELD,
) -> Bag:
    """A bag of one ``ShardSummary`` per shard, computed by repairing each shard on a
    worker: in place, or into ``output_dir`` under the shard's own name. Paths must be
    readable (and ``output_dir`` writable) by every worker under the same name."""
    try:
        import dask.bag as db
    except ImportError as exc:
        raise ImportError("fixenc.dask needs Dask: pip install 'fixenc[dask]'") from exc
    shards = [str(p) for p in paths]
    out = None if output_dir is None else str(output_dir)
    bag = db.from_sequence(shards, npartitions=max(1, len(shards)))  # type: ignore[no-untyped-call]
    return bag.map(_fix_shard, fixer or Fixer(), out, field, id_field)


def _fix_items(items: Iterable[Any], fixer: Fixer, field: str | None) -> list[Any]:
    return [fixer(item) if isinstance(item, str) else fixer(item, field) for item in items]


def _fix_lines(
    lines: Iterable[str], fixer: Fixer, field: str | None, id_field: str | None
) -> list[str]:
    return [records.fix_line(line, fixer, field=field, id_field=id_field).line for line in lines]


def _fix_series(series: Any, fixer: Fixer) -> Any:
    values = [fixer.fix_text(v) if isinstance(v, str) else v for v in series.tolist()]
    return type(series)(values, index=series.index, name=series.name, dtype=series.dtype)


def _fix_shard(
    path: str, fixer: Fixer, output_dir: str | None, field: str | None, id_field: str | None
) -> ShardSummary:
    source = Path(path)
    destination = Path(output_dir) / source.name if output_dir is not None else None
    return records.fix_shard(source, fixer, destination=destination, field=field, id_field=id_field)
