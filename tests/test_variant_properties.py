"""Properties of the annotation, variant and punctuation stages over random documents.

Documents are built from tokens that exercise the hard cases: phrase-dependent
conversions, characters OpenCC's standards disagree on, converter pinyin next to
legitimate pinyin, protected regions. Every target must be idempotent and every change
must replay from its recorded steps.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixenc.model import Options, Target
from fixenc.pipeline import repair
from fixenc.replay import replay
from fixenc.targets import names as target_names

TOKENS = [
    *("头发", "頭髮", "理发", "天文台", "天文臺", "了解", "瞭解", "雇用", "僱用"),
    *("软件", "軟體", "軟件", "信息", "資訊", "出租车", "計程車", "里面", "裡面", "裏面"),
    *("着急", "著急", "於是", "于是", "後來", "后来", "吃饭", "喫飯", "群众", "羣衆"),
    *("來(lái)", "導(dǎo)", "報(bào)", "們(men)", "你(nǐ)", "好(hǎo)", "銀行(yínháng)"),
    *("(作者:張三)", "，", "。", ",", ":", "!", "\n", "\n\n", " ", "の", "abc", "2018"),
    *("`代码`", "https://例子.com/发", "# fixenc: off", "# fixenc: on"),
]
DOCUMENTS = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.sampled_from(target_names()), st.booleans(), st.booleans())
def test_idempotent_and_replayable(text: str, target: Target, punct: bool, code: bool) -> None:
    options = Options(target=target, cjk_punctuation=punct, is_source_code=code)
    result = repair(text, options)
    for change in result.changes:
        assert replay(change.steps, change.before) == change.after
    assert repair(result.text, options).text == result.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_keep_only_removes_annotations(text: str) -> None:
    """Under ``keep`` without punctuation, the only edits are annotation deletions."""
    result = repair(text, Options(target="keep"))
    assert all(c.after == "" and c.before.startswith(("(", "（")) for c in result.changes)
