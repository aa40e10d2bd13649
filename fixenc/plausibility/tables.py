"""The frequency tables behind the plausibility model, loaded once per process.

Stage: detect (shared by repair and decode). Character unigram, within-word bigram and
word costs in decibans (-10·log10 p) from wordfreq's frequency lists for Simplified and
Traditional Chinese, Japanese and Korean; the files are in ``fixenc/data`` (provenance
and licence in its README) and rebuilt by ``scripts/build_plausibility_tables.py``. The
package loads them in packed form (``PackedTable``, ``pack``), which
``scripts/build_packed_tables.py`` derives from the TSVs.
"""

from __future__ import annotations

import functools
import gzip
import marshal
import math
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from fixenc.chars import HAN, LazyPattern

MODELS = ("zh-Hans", "zh-Hant", "ja", "ko")
LANG_MODELS = {"zh": ("zh-Hans", "zh-Hant"), "ja": ("ja",), "ko": ("ko",)}

# Han characters outside this many most frequent ones of the union of the models count
# as rare for the cheap pass. 3500 is the size of the PRC's list of common characters
# (现代汉语常用字表, 2500 + 1000); measured on the clean corpus it leaves about 1 rare
# character in 300, while UTF-8-read-as-GBK garble is about 1 rare character in 2.
COMMON_HAN_PER_MODEL = 3500

# Stupid-backoff weight when a bigram is unseen (Brants et al. 2007 use 0.4 ≈ 4 dB).
BACKOFF_COST = 4.0
# A character in none of the tables costs this much more than the rarest one kept.
UNKNOWN_EXTRA = 12.0


class PackedTable(Mapping[str, float]):
    """A read-only table of keys of 2–4 characters and their costs, packed by key length
    and first character: for each, one string of the keys' other characters and one
    byte string of indices into the table's few distinct costs.

    A dict with a string key per entry took about 115 bytes an entry, 54 MiB for the
    four Han tables, which a forked worker counts in its RSS (issue 12); packed they
    take a few MiB. A lookup is a dict look-up of the first character and ``str.find``
    in a row of typically a few dozen entries, which ``score.run_cost`` does inline.

    >>> t = PackedTable.from_items([("中文", 20.0), ("中国", 15.0), ("文字", 20.0), ("中国人", 30.0)])
    >>> t.get("中国"), t.get("国中"), "中国人" in t, len(t), t["文字"]
    (15.0, None, True, 4, 20.0)
    """

    __slots__ = ("_size", "costs", "rows")

    def __init__(
        self,
        rows: dict[int, dict[str, tuple[str, Sequence[int]]]],
        costs: tuple[float, ...],
        size: int,
    ) -> None:
        # key length -> first character -> (the other characters of every key, one key
        # after another; each key's index into ``costs``, in the same order)
        self.rows = rows
        self.costs = costs
        self._size = size

    @classmethod
    def from_items(
        cls, items: Iterable[tuple[str, float]], firsts: Mapping[str, str] | None = None
    ) -> PackedTable:
        """Pack ``items`` (keys of 2 or more characters, each once); equal costs share
        one float object, and a first character found in ``firsts`` is keyed by the
        object found there."""
        firsts = firsts or {}
        index: dict[float, int] = {}
        shared: list[float] = []
        tails: dict[int, dict[str, list[str]]] = {}
        codes: dict[int, dict[str, list[int]]] = {}
        size = 0
        for key, cost in items:
            at = index.get(cost)
            if at is None:
                at = index[cost] = len(shared)
                shared.append(cost)
            n = len(key)
            if n < 2:
                raise ValueError(f"a packed table holds keys of two characters or more: {key!r}")
            first = firsts.get(key[0], key[0])
            tails.setdefault(n, {}).setdefault(first, []).append(key[1:])
            codes.setdefault(n, {}).setdefault(first, []).append(at)
            size += 1
        wide = len(shared) > _BYTE_CODES
        rows: dict[int, dict[str, tuple[str, Sequence[int]]]] = {
            n: {
                first: ("".join(t), array("H", codes[n][first]) if wide else bytes(codes[n][first]))
                for first, t in by_first.items()
            }
            for n, by_first in tails.items()
        }
        return cls(rows, tuple(shared), size)

    def get(self, key: str, default: float | None = None) -> float | None:  # type: ignore[override]
        by_first = self.rows.get(len(key))
        row = by_first.get(key[0]) if by_first is not None else None
        if row is None:
            return default
        at = find_tail(row[0], key[1:])
        return default if at < 0 else self.costs[row[1][at]]

    def __getitem__(self, key: str) -> float:
        cost = self.get(key) if isinstance(key, str) else None
        if cost is None:
            raise KeyError(key)
        return cost

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        for n, by_first in self.rows.items():
            width = n - 1
            for first, (tails, _) in by_first.items():
                for at in range(0, len(tails), width):
                    yield first + tails[at : at + width]

    def __len__(self) -> int:
        return self._size

    def entries(self) -> Iterator[tuple[str, float]]:
        """(key, cost) pairs, faster than ``items()``."""
        costs = self.costs
        for n, by_first in self.rows.items():
            width = n - 1
            for first, (tails, codes) in by_first.items():
                for i, at in enumerate(range(0, len(tails), width)):
                    yield first + tails[at : at + width], costs[codes[i]]


# Distinct costs a byte indexes; a table with more (a merged table's bigrams, each
# model's offset folded in) indexes them with 16-bit codes.
_BYTE_CODES = 256


def find_tail(tails: str, tail: str) -> int:
    """The index of the entry ``tail`` among the equal-length entries of ``tails``, or
    -1 (a match that starts inside an entry is no match).

    >>> find_tail("abcdef", "cd"), find_tail("abcdef", "bc"), find_tail("abcbcd", "bc")
    (1, -1, -1)
    """
    width = len(tail)
    at = tails.find(tail)
    while at > 0 and at % width:
        at = tails.find(tail, at + 1)
    return at if at < 0 else at // width


@dataclass(frozen=True, slots=True)
class Model:
    """One language's tables: costs of characters, within-word bigrams and words."""

    name: str
    uni: dict[str, float]
    bi: PackedTable
    words: PackedTable
    bigram_offset: float  # converts a bigram cost into a conditional cost
    unknown: float


@functools.cache
def load_model(name: str) -> Model:
    """Load one table from ``fixenc/data`` (cached; about 10 ms the first time).

    Reads the packed form (``PACKED_FILE``), which ``scripts/build_packed_tables.py``
    derives from the TSV: parsing the TSV took 0.1–0.2 s a table, and its transient
    objects left some 40 MiB of freed but fragmented heap behind in the process that
    forks the workers (issue 12). ``tests/test_packed_tables.py`` checks that the
    shipped packed tables equal what the TSVs give.
    """
    ref = resources.files("fixenc") / "data" / PACKED_FILE.format(name=name)
    return unpack(zlib.decompress(ref.read_bytes()))


# The packed tables, one per model, and the layout version they are written in.
PACKED_FILE = "plausibility-{name}.packed"
PACKED_FORMAT = 1


def pack(model: Model) -> bytes:
    """``model`` as marshalled data (version 4: an object met twice is written once and
    comes back shared, such as each distinct cost and each first character)."""
    return marshal.dumps(
        (
            PACKED_FORMAT,
            model.name,
            model.uni,
            *(field for t in (model.bi, model.words) for field in (t.rows, t.costs, len(t))),
            model.bigram_offset,
            model.unknown,
        ),
        4,
    )


def unpack(data: bytes) -> Model:
    """The model ``pack`` wrote."""
    fmt, name, uni, bi_rows, bi_costs, bi_size, w_rows, w_costs, w_size, offset, unknown = (
        marshal.loads(data)
    )
    if fmt != PACKED_FORMAT:
        raise ValueError(f"packed table {name!r} has layout {fmt}, expected {PACKED_FORMAT}")
    return Model(
        name,
        uni,
        PackedTable(bi_rows, bi_costs, bi_size),
        PackedTable(w_rows, w_costs, w_size),
        offset,
        unknown,
    )


def read_tsv(name: str) -> Model:
    """Parse one model's TSV (the tables' source form; see ``fixenc/data/README.md``)."""
    uni: dict[str, float] = {}
    bi: list[tuple[str, float]] = []
    words: list[tuple[str, float]] = []
    offset = 0.0
    # One float object per distinct cost (the tables hold whole decibans, about 80
    # values): in a forked worker every cost read raises its object's reference count,
    # copying the page it lives on (issue 12).
    costs: dict[str, float] = {}
    ref = resources.files("fixenc") / "data" / f"plausibility-{name}.tsv.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            kind, key, *rest = line.rstrip("\n").split("\t")
            if kind in _COSTED:
                cost = costs.get(rest[0])
                if cost is None:
                    cost = costs[rest[0]] = float(rest[0])
                if kind == "U":
                    uni[key] = cost
                else:
                    (bi if kind == "B" else words).append((key, cost))
            elif kind == "T":
                # P(b|a) = P(ab)·Nb / (P(a)·Nu): in costs, bigram − unigram − 10·log10(Nb/Nu)
                offset = -10 * math.log10(float(rest[0]) / float(key))
    # The rows' first characters are the unigram table's own key objects, not copies.
    firsts = {ch: ch for ch in uni}
    return Model(
        name,
        uni,
        PackedTable.from_items(bi, firsts),
        PackedTable.from_items(words, firsts),
        offset,
        max(uni.values()) + UNKNOWN_EXTRA,
    )


_COSTED = frozenset("UBW")


@functools.cache
def merged_model(names: tuple[str, ...]) -> Model:
    """One table that takes, entry by entry, the cheapest cost among ``names``.

    An approximation for pruning searches (a reading may switch between Simplified and
    Traditional tables mid-way); final rankings use ``cjk_cost`` over the real models.
    Merged row by row (``_merge``): merging whole tables through dicts of full keys
    took a worker 33 MiB and 0.4 s.
    """
    if len(names) == 1:
        return load_model(names[0])
    models = [load_model(n) for n in names]
    uni: dict[str, float] = {}
    for m in models:
        for k, v in m.uni.items():
            if v < uni.get(k, math.inf):
                uni[k] = v
    return Model(
        "+".join(names),
        uni,
        # the bigram offsets folded in, so that the merged offset is 0
        _merge([(m.bi, m.bigram_offset) for m in models]),
        _merge([(m.words, None) for m in models]),
        0.0,
        max(m.unknown for m in models),
    )


def _merge(tables: Sequence[tuple[PackedTable, float | None]]) -> PackedTable:
    """The packed table holding, for each key of ``tables``, its cheapest cost (each
    table's cost plus its shift, when it has one); equal costs share one object."""
    index: dict[float, int] = {}
    shared: list[float] = []
    codes: dict[int, dict[str, list[int]]] = {}
    tails: dict[int, dict[str, str]] = {}
    size = 0
    for n in dict.fromkeys(n for table, _ in tables for n in table.rows):
        width = n - 1
        codes[n], tails[n] = {}, {}
        for first in dict.fromkeys(f for table, _ in tables for f in table.rows.get(n, {})):
            cheapest: dict[str, float] = {}
            for table, shift in tables:
                row = table.rows.get(n, {}).get(first)
                if row is None:
                    continue
                for i, at in enumerate(range(0, len(row[0]), width)):
                    cost = table.costs[row[1][i]]
                    if shift is not None:
                        cost += shift
                    tail = row[0][at : at + width]
                    if cost < cheapest.get(tail, math.inf):
                        cheapest[tail] = cost
            found = []
            for cost in cheapest.values():
                code = index.get(cost)
                if code is None:
                    code = index[cost] = len(shared)
                    shared.append(cost)
                found.append(code)
            tails[n][first] = "".join(cheapest)
            codes[n][first] = found
            size += len(found)
    wide = len(shared) > _BYTE_CODES
    rows: dict[int, dict[str, tuple[str, Sequence[int]]]] = {
        n: {
            first: (tails[n][first], array("H", found) if wide else bytes(found))
            for first, found in by_first.items()
        }
        for n, by_first in codes.items()
    }
    return PackedTable(rows, tuple(shared), size)


@functools.cache
def common_han() -> frozenset[str]:
    """The Han characters the cheap pass treats as ordinary (see COMMON_HAN_PER_MODEL)."""
    out: set[str] = set()
    for name in ("zh-Hans", "zh-Hant", "ja"):
        model = load_model(name)
        ranked = sorted(model.uni, key=model.uni.__getitem__)
        out.update([c for c in ranked if _IS_HAN.match(c)][:COMMON_HAN_PER_MODEL])
    return frozenset(out)


_IS_HAN = LazyPattern(f"[{HAN}]")
