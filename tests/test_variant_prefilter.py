"""The variant stage's prefilters (fixenc/stages/variant/prefilter.py) change no answer.

The shipped data must be what the installed OpenCC's dictionaries give; with it, the
mainland-vocabulary lookup and the normalisation check answer exactly as the OpenCC
passes they skip would.
"""

from __future__ import annotations

import functools
import sysconfig
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixenc.convert import chain, convert_with, dictionary
from fixenc.protect import Protection
from fixenc.stages.variant import evidence, prefilter, vocabulary
from fixenc.stages.variant.evidence import _BMP_HAN
from fixenc.stages.variant.prefilter import (
    MAINLAND_CONFIG,
    MAINLAND_DICTIONARY,
    derive_prefilters,
    mainland_config,
    prefilters,
    read_prefilters,
)

DATA = Path(prefilter.__file__).resolve().parent.parent.parent / "data"


@functools.cache
def _derived() -> prefilter.Prefilters:
    return derive_prefilters()


def test_shipped_prefilters_are_derived_from_the_installed_opencc() -> None:
    """fixenc/data/variant-* is what the installed OpenCC gives (rebuild it with
    scripts/build_variant_prefilters.py after upgrading OpenCC)."""
    derived = _derived()
    assert read_prefilters() == derived
    assert (DATA / MAINLAND_DICTIONARY).read_text(encoding="utf-8") == derived.dictionary()
    assert (DATA / MAINLAND_CONFIG).read_text(encoding="utf-8") == mainland_config()
    assert prefilters() is not None  # derived for this version, so the stage uses them


def _taiwan_keys() -> list[str]:
    return [key for key, _values in dictionary("TWPhrases")]


def _big5_text() -> str:
    path = Path(sysconfig.get_path("stdlib")) / "test" / "cjkencodings" / "big5-utf8.txt"
    return path.read_text(encoding="utf-8") if path.exists() else "在資訊科技快速發展的今天\n"


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    filtered = vocabulary._mainland_words(text, Protection(()))
    with monkeypatch.context() as m:
        m.setattr(vocabulary, "prefilters", lambda: None)
        full = vocabulary._mainland_words(text, Protection(()))
    return filtered, full


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("這個軟件很好用，信息也很多。\n這個軟體很好用。\n", id="mainland-line"),
        pytest.param("我們坐出租車去機場。\r\n天文台\r\n", id="crlf"),
        pytest.param("這個軟體很好用，資訊也很多。\n", id="taiwan-only"),
        pytest.param("軟\n件\n", id="key-split-by-a-line-break"),
        pytest.param("𠮷軟件\udcd7信息\n", id="supplementary-and-surrogate"),
        pytest.param(_big5_text(), id="cpython-big5"),
        pytest.param("".join(k + "\n" for k in _taiwan_keys()), id="every-key-on-its-line"),
        pytest.param("，".join(_taiwan_keys()), id="every-key-in-one-line"),
        pytest.param(
            "".join(convert_with("t2s", k) + "\n" for k in _taiwan_keys()), id="keys-simplified"
        ),
    ],
)
def test_mainland_words_are_the_full_lookups(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    filtered, full = _both(text, monkeypatch)
    assert filtered == full


def test_the_prefilter_finds_every_key() -> None:
    """Each phrase-table key, alone on a line, is a line the lookup must look at."""
    filters = prefilters()
    assert filters is not None
    keys = _taiwan_keys()
    text = "".join(k + "\n" for k in keys)
    assert len(filters.mainland_lines(text)) == len(keys)


TOKENS = [
    *("軟件", "軟體", "信息", "資訊", "出租車", "計程車", "打印", "列印", "內存", "記憶體"),
    *("項目", "專案", "數據", "資料", "網絡", "網路", "程序", "程式", "質量", "品質"),
    *("的", "在", "是", "很", "好", "我們", "，", "。", "\n", "\r\n", " ", "abc", "SQL", "注入"),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_mainland_words_are_the_full_lookups_on_random_text(text: str) -> None:
    filtered, full = _both(text, pytest.MonkeyPatch())
    assert filtered == full


@pytest.mark.parametrize("config", sorted(read_prefilters().unchanged))
def test_unchanged_means_the_configuration_changes_nothing(config: str) -> None:
    """Every BMP Han character outside the class, alone and in running text, is left as
    it is by ``config``; every character the configuration changes alone is in it."""
    filters = prefilters()
    assert filters is not None
    chars = [chr(i) for first, last in _BMP_HAN for i in range(first, last + 1)]
    outside = [c for c in chars if filters.unchanged(config, c)]
    assert outside  # the class is no catch-all
    one_per_line = "\n".join(outside)
    assert convert_with(config, one_per_line) == one_per_line
    running = "".join(outside)
    assert convert_with(config, running) == running
    inside = [c for c in chars if not filters.unchanged(config, c)]
    changed = convert_with(config, "\n".join(chars)).split("\n")
    assert {c for c, out in zip(chars, changed, strict=True) if out != c} <= set(inside)


@pytest.mark.parametrize("config", sorted(read_prefilters().unchanged))
def test_every_key_the_configuration_changes_holds_a_class_member(config: str) -> None:
    """The class holds, for each key, one character a value replaces (not always the
    first): every key of the configuration's dictionaries that the configuration changes
    on its own is seen by the scan."""
    filters = prefilters()
    assert filters is not None
    keys = [key for stage in chain(config) for name in stage for key, _v in dictionary(name)]
    changed = convert_with(config, "\n".join(keys)).split("\n")
    assert len(changed) == len(keys)
    missed = [k for k, out in zip(keys, changed, strict=True) if out != k]
    assert missed  # the dictionaries change something
    assert [k for k in missed if filters.unchanged(config, k)] == []


@pytest.mark.parametrize(
    ("config", "text", "unchanged"),
    [
        pytest.param("t2hk", "機場快綫和港島綫", True, id="hong-kong-text-under-t2hk"),
        pytest.param("t2hk", "機場快線", False, id="taiwan-form-of-a-hong-kong-phrase"),
        pytest.param("t2tw", "這裡的群眾", True, id="taiwan-text-under-t2tw"),
        pytest.param("t2tw", "這裏", False, id="opencc-form-under-t2tw"),
    ],
)
def test_text_in_the_standard_passes_the_class(config: str, text: str, unchanged: bool) -> None:
    """Text already in a configuration's standard needs no pass: the class holds the
    characters its keys replace, which that text does not write (機場快線 → 機場快綫
    puts 線 in the class, not 機)."""
    filters = prefilters()
    assert filters is not None
    assert filters.unchanged(config, text) is unchanged
    assert (convert_with(config, text) == text) or not unchanged


def _evidence_both(text: str, probes: tuple[str, ...]) -> tuple[set[int], set[int]]:
    blanked = evidence._all_changed(text, probes, Protection(()))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(evidence, "prefilters", lambda: None)
        whole = evidence._all_changed(text, probes, Protection(()))
    return blanked, whole


MIXED_TOKENS = [
    *("头发", "頭髮", "天文台", "天文臺", "了解", "雇用", "软件", "軟體", "里面", "裏面"),
    *("干涉", "干部", "乾淨", "后来", "後來", "着急", "著急", "群众", "羣衆", "說", "这"),
    *("\n", "\n", "\r\n", "\n\n", " ", "abc", "𠮷", "\udcd7", "，", "。"),
]


@pytest.mark.parametrize("probes", [evidence._PROBES_TRAD, evidence._PROBES_SIMP])
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("我们是学生。\n\n這個很好。\n干涉\n干部\n", id="mixed-paragraphs"),
        pytest.param("头发\n\n\n頭髮\n", id="blank-lines-between"),
        pytest.param("這個\r\n头发\r\n", id="crlf"),
        pytest.param(_big5_text() + "\n" + "我们的软件" * 50, id="cpython-big5-and-simplified"),
    ],
)
def test_evidence_on_candidate_lines_is_the_whole_texts(text: str, probes: tuple[str, ...]) -> None:
    blanked, whole = _evidence_both(text, probes)
    assert blanked == whole


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(MIXED_TOKENS), max_size=40).map("".join),
    st.sampled_from([evidence._PROBES_TRAD, evidence._PROBES_SIMP]),
)
def test_evidence_on_candidate_lines_is_the_whole_texts_on_random_text(
    text: str, probes: tuple[str, ...]
) -> None:
    blanked, whole = _evidence_both(text, probes)
    assert blanked == whole
