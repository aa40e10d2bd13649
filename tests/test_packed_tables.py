"""The packed Han tables (``plausibility.tables.PackedTable``, issue 12) against the TSVs
they come from, read here as plain dicts, and the model's costs against the dict-based
``run_cost`` they replace: every entry, keys no table holds, and runs of real and
garbled text must cost exactly what they cost before."""

from __future__ import annotations

import contextlib
import gzip
import importlib
import itertools
import math
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest

from fixenc import plausibility
from fixenc.plausibility import tables

score_module = importlib.import_module("fixenc.plausibility.score")

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FULL = os.environ.get("FIXENC_FULL") == "1"
# Every key of every table is run through ``run_cost`` under FIXENC_FULL=1; CI takes
# every KEY_STRIDE-th key (the look-up test covers every entry either way).
KEY_STRIDE = 1 if FULL else 23
RANDOM_RUNS = 20_000 if FULL else 1_500


@dataclass(frozen=True)
class DictModel:
    """A model as the TSV says it, in plain dicts (the layout before packing)."""

    uni: dict[str, float]
    bi: dict[str, float]
    words: dict[str, float]
    bigram_offset: float
    unknown: float


def _dict_model(name: str) -> DictModel:
    uni: dict[str, float] = {}
    bi: dict[str, float] = {}
    words: dict[str, float] = {}
    offset = 0.0
    ref = resources.files("fixenc") / "data" / f"plausibility-{name}.tsv.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            kind, key, *rest = line.rstrip("\n").split("\t")
            table = {"U": uni, "B": bi, "W": words}.get(kind)
            if table is not None:
                table[key] = float(rest[0])
            elif kind == "T":
                offset = -10 * math.log10(float(rest[0]) / float(key))
    return DictModel(uni, bi, words, offset, max(uni.values()) + tables.UNKNOWN_EXTRA)


_DICT_MODELS: dict[str, DictModel] = {}


def dict_model(name: str) -> DictModel:
    if name not in _DICT_MODELS:
        _DICT_MODELS[name] = _dict_model(name)
    return _DICT_MODELS[name]


def reference_run_cost(run: str, model: DictModel) -> float:
    """``run_cost`` as it was written over dicts with string keys (the oracle)."""
    uni, bi, words, unknown = model.uni, model.bi, model.words, model.unknown
    n = len(run)
    step = [0.0] * n
    prev = ""
    for i, ch in enumerate(run):
        u = uni.get(ch, unknown)
        if prev:
            b = bi.get(prev + ch)
            step[i] = (
                max(0.0, b - uni.get(prev, unknown) + model.bigram_offset)
                if b is not None
                else plausibility.BACKOFF_COST + u
            )
        else:
            step[i] = u
        prev = ch
    if not words or n < 2:
        return sum(step)
    best = [0.0] * (n + 1)
    for i in range(1, n + 1):
        cost = best[i - 1] + step[i - 1]
        for k in range(2, min(plausibility.MAX_WORD, i) + 1):
            w = words.get(run[i - k : i])
            if w is not None:
                cost = min(cost, best[i - k] + w * plausibility.WORD_DISCOUNT)
        best[i] = cost
    return best[n]


def _unknown_keys(key: str) -> Iterator[str]:
    """Keys near ``key`` that a table may or may not hold: the look-up must say which."""
    yield key[::-1]
    yield key[1:] + key[0]
    yield key + key[-1]
    yield key[:-1]
    yield key[0] + "a" + key[2:]
    yield "a" + key[1:]
    yield key[1:]


@pytest.mark.parametrize("name", tables.MODELS)
def test_shipped_packed_tables_are_derived_from_the_tsvs(name: str) -> None:
    """The packed files equal what their TSV gives (run scripts/build_packed_tables.py
    after rebuilding the tables)."""
    shipped, parsed = tables.load_model(name), tables.read_tsv(name)
    assert shipped.name == parsed.name == name
    assert shipped.uni == parsed.uni
    assert shipped.bigram_offset == parsed.bigram_offset
    assert shipped.unknown == parsed.unknown
    for a, b in ((shipped.bi, parsed.bi), (shipped.words, parsed.words)):
        assert a.rows == b.rows and a.costs == b.costs and len(a) == len(b)


@pytest.mark.parametrize("name", tables.MODELS)
def test_every_entry_and_its_neighbours_look_up_as_in_the_tsv(name: str) -> None:
    """Every bigram and word of the TSV has its cost; keys near them (reversed, rotated,
    cut, lengthened, with a Latin letter) are found exactly when the TSV has them."""
    model, ref = tables.load_model(name), dict_model(name)
    assert model.uni == ref.uni
    assert (model.bigram_offset, model.unknown) == (ref.bigram_offset, ref.unknown)
    for packed, table in ((model.bi, ref.bi), (model.words, ref.words)):
        assert len(packed) == len(table)
        assert dict(packed.entries()) == table
        assert sorted(packed) == sorted(table)
        for key, cost in table.items():
            assert packed.get(key) == cost and packed[key] == cost and key in packed
            for other in _unknown_keys(key):
                assert packed.get(other) == table.get(other), other
                assert (other in packed) == (other in table), other
    for absent in ("", "a", "ab", "中", "\x00\x00", "中" * 5):
        assert absent not in model.words and model.words.get(absent) is None
    not_a_string: object = 12
    assert not_a_string not in model.bi


def _texts() -> list[str]:
    """Real text of every script, and the same text garbled through legacy codecs."""
    clean = []
    for path in sorted(SAMPLES.glob("*.txt")):
        try:
            clean.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:  # the legacy samples: read as what they are not
            clean.append(path.read_bytes().decode("gbk", errors="replace"))
    clean += [
        "今日は天気がとても良いので、公園を散歩しました。情報の取得中",
        "오늘은 날씨가 아주 좋아서 공원을 산책했습니다. 漢字 한자",
        "這是一段完全正常的中文，沒有任何亂碼。这是一段完全正常的中文。",
    ]
    out = list(clean)
    for text in clean:
        data = text.encode("utf-8")
        for codec in ("gbk", "big5", "shift_jis", "euc_kr", "euc_jp"):
            out.append(data.decode(codec, errors="replace"))
            with contextlib.suppress(UnicodeEncodeError):
                out.append(
                    text.encode(codec).decode("gb18030" if codec != "gbk" else "big5", "replace")
                )
    return out


@pytest.mark.parametrize("name", tables.MODELS)
def test_run_costs_equal_the_dict_model(name: str) -> None:
    """``run_cost`` over the packed tables equals the dict-based one, bit for bit: on
    real and garbled text, on table keys alone and doubled, and on random runs of the
    table's characters (whose bigrams and words are mostly unknown)."""
    model, ref = tables.load_model(name), dict_model(name)
    runs = [r for text in _texts() for r in score_module._CJK_RUN.findall(text)]
    keys = [*ref.bi, *ref.words][::KEY_STRIDE]
    runs += keys + [k + k for k in keys] + [a + b for a, b in itertools.pairwise(keys)]
    rng = random.Random(12)
    chars = [*list(ref.uni), "一", "龥", "가"]
    runs += ["".join(rng.choices(chars, k=rng.randint(1, 12))) for _ in range(RANDOM_RUNS)]
    assert len(runs) > 1_000
    for run in runs:
        assert plausibility.run_cost(run, model) == reference_run_cost(run, ref), run


def test_merged_model_takes_the_cheapest_entry_of_each_table() -> None:
    """The merged Chinese table (the lost-byte search's) equals a merge of the TSVs'
    dicts: per key the cheapest cost, bigrams with each model's offset folded in."""
    names = ("zh-Hans", "zh-Hant")
    merged = tables.merged_model(names)
    refs = [dict_model(n) for n in names]
    uni: dict[str, float] = {}
    bi: dict[str, float] = {}
    words: dict[str, float] = {}
    for ref in refs:
        for k, v in ref.uni.items():
            uni[k] = min(v, uni.get(k, math.inf))
        for k, v in ref.words.items():
            words[k] = min(v, words.get(k, math.inf))
        for k, v in ref.bi.items():
            bi[k] = min(v + ref.bigram_offset, bi.get(k, math.inf))
    assert merged.uni == uni
    assert dict(merged.bi.entries()) == bi
    assert dict(merged.words.entries()) == words
    assert (merged.bigram_offset, merged.unknown) == (0.0, max(r.unknown for r in refs))


@pytest.mark.parametrize(
    ("tails", "tail", "expected"),
    [
        pytest.param("abcdef", "ab", 0, id="first"),
        pytest.param("abcdef", "ef", 2, id="last"),
        pytest.param("abcdef", "bc", -1, id="across-two-entries"),
        pytest.param("abcbcd", "bc", -1, id="inside-every-entry"),
        pytest.param("xbcy", "bc", -1, id="never-aligned"),
        pytest.param("xbcybc", "bc", 2, id="after-a-misaligned-match"),
        pytest.param("abcabd", "abd", 1, id="width-three"),
        pytest.param("xabcab", "abc", -1, id="width-three-misaligned"),
        pytest.param("abc", "b", 1, id="width-one"),
        pytest.param("", "ab", -1, id="empty"),
    ],
)
def test_find_tail_matches_whole_entries_only(tails: str, tail: str, expected: int) -> None:
    assert tables.find_tail(tails, tail) == expected


def test_a_table_with_many_distinct_costs_indexes_them_with_16_bits() -> None:
    items = [(chr(0x4E00 + i) + "子", i / 7) for i in range(600)]
    table = tables.PackedTable.from_items(items)
    assert dict(table.entries()) == dict(items)
    with pytest.raises(ValueError, match="two characters"):
        tables.PackedTable.from_items([("中", 1.0)])


def _reference_advance(context: str, ch: str, model: tables.Model, total: float) -> float:
    """The lost-byte beam's step for a CJK character, through the Mapping interface
    (``dbcs._advance`` reads the packed rows inline)."""
    from fixenc.stages.lost_bytes import dbcs

    last = context[-1:]
    u = model.uni.get(ch, model.unknown)
    b = model.bi.get(last + ch) if last else None
    step = (
        max(0.0, b - model.uni.get(last, model.unknown) + model.bigram_offset)
        if b is not None
        else (dbcs.BACKOFF_STEP + u if last else u)
    )
    if any(context[-k:] + ch in model.words for k in range(1, min(len(context), 3) + 1)):
        step = max(0.0, step - dbcs.WORD_STEP_BONUS)
    return total + step


@pytest.mark.parametrize("names", [("zh-Hans", "zh-Hant"), ("ja",), ("ko",)], ids="+".join)
def test_lost_byte_steps_equal_the_mapping_lookups(names: tuple[str, ...]) -> None:
    """``dbcs._advance`` on the merged model (as the beam uses it): the context before
    every 4th word of the tables, the word's last character and random characters."""
    from fixenc.stages.lost_bytes import dbcs

    model = tables.merged_model(names)
    words = [w for w, _ in model.words.entries()][:: 4 if FULL else 29]
    chars = list(model.uni)
    rng = random.Random(12)
    cases = [(w[:-1], w[-1]) for w in words]
    cases += [(w[:-1], rng.choice(chars)) for w in words]
    cases += [("".join(rng.choices(chars, k=rng.randint(0, 3))), rng.choice(chars)) for _ in words]
    cases = [(c, ch) for c, ch in cases if dbcs._IS_CJK.match(ch)]  # the table's path
    hits = 0
    for context, ch in cases:
        new_context, cost = dbcs._advance(context, ch, model, 1.5)
        assert new_context == (context + ch)[-3:]
        assert cost == _reference_advance(context, ch, model, 1.5), (context, ch)
        hits += cost < 1.5 + model.uni.get(ch, model.unknown)
    assert hits > len(words) // 2  # words found: the bonus path is exercised
