"""Lost bytes and unrecoverable damage (fixenc/mojibake/lost_bytes.py).

Only the mojibake stages run here (cjk, latin, lost bytes, in pipeline order): the
annotation and variant stages that run after them in the full pipeline are other
modules' business, so these tests see exactly what the lost-byte stage leaves.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from conftest import ROOT, load_cases

from fixenc.model import Context, Kind, Options, StageOutput
from fixenc.replay import replay
from fixenc.stages import lost_bytes
from fixenc.stages import mojibake_cjk as cjk
from fixenc.stages import mojibake_latin as latin
from fixenc.stages.lost_bytes import unrecoverable

SEED = ROOT / "samples" / "000_825338dbf911db84.txt"
SIMULATED = load_cases("lost_bytes_simulated.json", "text", "expected")


def mojibake_stages(text: str) -> tuple[str, list[StageOutput]]:
    """Run the three mojibake stages in pipeline order; return the text and outputs."""
    outputs: list[StageOutput] = []
    for stage in (cjk.stage, latin.stage, lost_bytes.stage):
        out = stage(text, Context(Options()))
        if out is None:
            continue
        outputs.append(out)
        parts: list[str] = []
        pos = 0
        for change in sorted(out.changes, key=lambda c: c.start):
            parts += [text[pos : change.start], change.after]
            pos = change.end
        text = "".join(parts) + text[pos:]
    return text, outputs


def test_seed_article_garbled_spans_come_out_right() -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    garbled = [line for line in lines if "?;?" in line or "?shù)" in line]
    assert garbled, "the seed article's damaged line is missing"
    for line in garbled:
        fixed, outputs = mojibake_stages(line)
        expected = line.replace("規(guī)?;?、", "規(guī)模化、").replace(
            "當(dāng)?shù)仄髽I(yè)", "當(dāng)地企業(yè)"
        )
        assert fixed == expected  # only the garble repaired; annotations left alone
        assert "規(guī)模化" in fixed and "當(dāng)地企業(yè)" in fixed
        changes = [c for out in outputs for c in out.changes]
        assert {(c.before, c.after) for c in changes} == {("?;?", "模化"), ("?shù)仄髽I", "地企業")}
        assert all(
            c.kind is Kind.MOJIBAKE and replay(c.steps, c.before) == c.after for c in changes
        )


def test_seed_article_has_no_other_changes_or_findings() -> None:
    text = SEED.read_text(encoding="utf-8")
    _, outputs = mojibake_stages(text)
    assert sum(len(out.changes) for out in outputs) == 2
    assert [f for out in outputs for f in out.findings] == []


@pytest.mark.parametrize(("text", "expected"), SIMULATED)
def test_simulated_out_of_step_damage(text: str, expected: str) -> None:
    assert mojibake_stages(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("涓�鏂囩紪鐮佹祴璇�", "中文编码测试", id="utf8-as-gbk-zh"),
        pytest.param(
            "璇疯緭鍏ョ敤鎴峰悕鍜屽瘑鐮�", "请输入用户名和密码", id="utf8-as-gbk-trailing"
        ),
        pytest.param("鏁版嵁搴撹繛鎺ュけ璐�", "数据库连接失败", id="utf8-as-gbk-final-byte"),
        pytest.param("蝗ｾ荵ｦ鬥�驥檎噪蜴�蜿ｲ荵ｦ", "图书馆里的历史书", id="utf8-as-sjis"),
        pytest.param(
            "文件：涓�鏂囩紪鐮佹祴璇�.txt", "文件：中文编码测试.txt", id="inside-clean-text"
        ),
    ],
)
def test_lost_utf8_bytes_recovered(text: str, expected: str) -> None:
    assert mojibake_stages(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "right_answer"),
    [
        # 八点/六点 both read well: the stage must not pick one
        pytest.param("鎴戜滑鏄庡ぉ鏃╀笂鍏�鐐硅�侀潰", "我们明天早上八点见面", id="ambiguous-digit"),
        pytest.param("荳ｭ譁�郛也�∵ｵ玖ｯ�", "中文编码测试", id="sjis-close-call"),
    ],
)
def test_unclear_winner_is_reported_with_candidates(text: str, right_answer: str) -> None:
    fixed, outputs = mojibake_stages(text)
    assert fixed == text
    (finding,) = [f for out in outputs for f in out.findings]
    assert finding.kind is Kind.MOJIBAKE
    assert len(finding.candidates) >= 2
    assert right_answer in [c.text for c in finding.candidates]
    costs = [c.cost_db for c in finding.candidates]
    assert None not in costs
    assert costs == sorted(c for c in costs if c is not None)  # likeliest first
    confidences = [c.confidence for c in finding.candidates]
    assert confidences == sorted(confidences, reverse=True) and 0 < sum(confidences) <= 1.0001


@pytest.mark.parametrize(
    ("text", "flagged", "reason_part"),
    [
        pytest.param("文件内容：锟斤拷锟斤拷", "锟斤拷锟斤拷", "EF BF BD", id="kun-jin-kao"),
        pytest.param("变量的值是烫烫烫烫烫", "烫烫烫烫烫", "0xCC", id="tang-stack"),
        pytest.param("堆上是屯屯屯屯", "屯屯屯屯", "0xCD", id="tun-heap"),
        pytest.param("Résumé: ��� in the header", "���", "U+FFFD", id="fffd-run"),
        pytest.param("我爱???北京", "???", "could not represent", id="question-marks"),
    ],
)
def test_unrecoverable_damage_is_flagged_not_invented(
    text: str, flagged: str, reason_part: str
) -> None:
    fixed, outputs = mojibake_stages(text)
    assert fixed == text
    findings = [f for out in outputs for f in out.findings if f.kind is Kind.UNRECOVERABLE]
    assert [f.text for f in findings] == [flagged]
    assert reason_part in findings[0].reason


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("你好吗?我很好。", id="ascii-question-mark"),
        pytest.param("真的吗???你确定", id="emphatic-questions"),
        pytest.param("一碗烫烫的汤", id="real-reduplication"),
        pytest.param("ls ?[a-z]* 列出文件", id="glob-pattern"),
        pytest.param("你(nǐ)好(hǎo)吗(ma)?", id="pinyin-textbook"),
        pytest.param("是否继续?(y/n)", id="prompt"),
    ],
)
def test_question_marks_in_clean_text_are_left_alone(text: str) -> None:
    fixed, outputs = mojibake_stages(text)
    assert fixed == text
    assert [f for out in outputs for f in out.findings] == []


def _pairs_from_merged_model(lead: int, left: str, lang: str | None) -> list[tuple[int, int]]:
    """The pair search's ranking, read from ``merged_model`` (the table it used to build)."""
    from fixenc import plausibility
    from fixenc.stages.lost_bytes.utf8 import JOINT_CANDIDATES

    model = plausibility.merged_model(plausibility.LANG_MODELS.get(lang or "", plausibility.MODELS))
    scored = []
    for v1 in range(0x80, 0xC0):
        for v2 in range(0x80, 0xC0):
            try:
                ch = bytes([lead, v1, v2]).decode("utf-8")
            except UnicodeDecodeError:
                continue
            cost = model.uni.get(ch)
            if cost is None:
                continue
            joint = model.bi.get(left + ch) if left in model.uni else None
            if joint is not None:
                cost = joint + model.bigram_offset - model.uni[left]
            else:
                cost += plausibility.BACKOFF_COST
            scored.append((cost, v1, v2))
    return [(v1, v2) for _, v1, v2 in sorted(scored)[:JOINT_CANDIDATES]]


@pytest.mark.parametrize("lang", [None, "zh", "ja"], ids=["any", "zh", "ja"])
@pytest.mark.parametrize("left", ["", "错", "日", "x"], ids=["start", "zh", "ja", "ascii"])
def test_pair_search_ranks_as_the_merged_table_would(lang: str | None, left: str) -> None:
    """The two-lost-bytes search looks the cheapest entry up in each model instead of a
    merged copy of the tables (14 MiB, issue 12): the ranking must be the same."""
    from fixenc.stages.lost_bytes import utf8

    for lead in (0xE4, 0xE6, 0xE8):
        assert list(utf8._likely_pairs(lead, left, lang)) == _pairs_from_merged_model(
            lead, left, lang
        )


def _patterns() -> list[re.Pattern[str]]:
    patterns = [pattern for pattern, _reason in unrecoverable._UNRECOVERABLE]
    return [*patterns, unrecoverable._FFFD_RUN, unrecoverable._QMARK_RUN]


@pytest.mark.parametrize("index", range(5), ids=["kun-jin-kao", "tang", "tun", "fffd", "qmarks"])
def test_each_needle_is_the_shortest_text_of_its_pattern(index: int) -> None:
    """The substring pre-check skips a text only when no pattern can match in it: each
    needle must be a match, and a match must hold it (nothing shorter matches)."""
    from fixenc.stages.lost_bytes import unrecoverable

    pattern, needle = _patterns()[index], unrecoverable._NEEDLES[index]
    assert pattern.fullmatch(needle)
    assert pattern.search(needle[:-1]) is None and pattern.search(needle[1:]) is None


def _near_by_regex_alone(
    pattern: re.Pattern[str], text: str, lo: int, hi: int, last_start: int
) -> list[tuple[int, int]]:
    """``unrecoverable._near`` without its needle jump: the regex from ``lo``."""
    spans = []
    for m in pattern.finditer(text, lo, min(hi, last_start + unrecoverable.NEAR_SLACK)):
        if m.start() > last_start:
            break
        whole = pattern.match(text, m.start(), hi) or m
        spans.append(
            (pattern.match(text, m.start()) or whole if whole.end() == hi else whole).span()
        )
    return spans


def test_the_needle_jump_finds_what_the_regex_finds() -> None:
    """Every match opens with its needle, so starting at the needle's first occurrence
    loses nothing: random windows over random text of the patterns' own characters."""
    rng = random.Random(5)
    alphabet = "锟斤拷烫屯\ufffd?a中"
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        lo = rng.randint(0, len(text))
        last_start = rng.randint(lo, len(text))
        hi = rng.randint(last_start, len(text))
        for pattern, needle in zip(_patterns(), unrecoverable._NEEDLES, strict=True):
            jumped = [
                m.span() for m in unrecoverable._near(pattern, needle, text, lo, hi, last_start)
            ]
            assert jumped == _near_by_regex_alone(pattern, text, lo, hi, last_start), text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # Found by the fuzz test in CI: a '?' after nearly every character took 150 s.
        pytest.param(
            "这是简体中文的测试文字。???汐?甬?忙?耳? ?汲?汾???汍, ?﹎?曳?汐 ?忙?考?羽?羽?肚?庚?",
            True,
            id="every-other-character-lost",
        ),
        pytest.param("中文" + "汐?" * 12 + "。", False, id="a-lost-byte-per-character"),
    ],
)
def test_a_stream_mostly_lost_is_flagged_not_searched(
    text: str, flagged: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too few surviving bytes to choose among every lost byte's values: a beam search
    (whose work each lost byte multiplies) runs only on windows that keep most of their
    stream, nothing is rewritten, and runs of '?' beside Han are flagged."""
    from fixenc.stages.lost_bytes import dbcs

    searched: list[tuple[int, int]] = []  # (lost bytes, characters and tokens) per beam
    original = dbcs._beam

    def counted(*args: Any) -> Any:
        head, tokens = args[0], args[1]
        searched.append((sum(k == "lost" for k, _ in tokens), len(head) + len(tokens)))
        return original(*args)

    monkeypatch.setattr(dbcs, "_beam", counted)
    fixed, outputs = mojibake_stages(text)
    assert fixed == text
    assert all(lost <= dbcs.MAX_LOST and lost <= dbcs.MAX_LOST_SHARE * n for lost, n in searched)
    assert len(searched) < text.count("?")  # most '?' windows are refused outright
    findings = [f for out in outputs for f in out.findings if f.kind is Kind.UNRECOVERABLE]
    assert bool(findings) is flagged
