"""Protected regions (fixenc/protect.py): what no rewriting stage may touch."""

from __future__ import annotations

import re
import sys

import pytest

from fixenc.model import Options
from fixenc.protect import Protection, protected_spans


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [
        pytest.param(
            "访问 https://例子.com/路径。然后",
            Options(),
            ["https://例子.com/路径"],
            id="url-ends-at-cjk-stop",
        ),
        pytest.param("见www.example.cn，好", Options(), ["www.example.cn"], id="www"),
        pytest.param(
            "写信到zhang.li@mail.example.cn吧", Options(), ["zhang.li@mail.example.cn"], id="email"
        ),
        pytest.param("用 `代码` 和 ``a`b`` 吧", Options(), ["`代码`", "``a`b``"], id="code-spans"),
        pytest.param("前\n```py\n代码\n```\n后", Options(), ["```py\n代码\n```"], id="fenced"),
        pytest.param("前\n~~~\n代码到结尾", Options(), ["~~~\n代码到结尾"], id="unclosed-fence"),
        pytest.param(
            "甲 # fixenc: off\n乙\n# fixenc: on\n丙",
            Options(),
            ["fixenc: off\n乙\n# fixenc: on"],
            id="switch",
        ),
        pytest.param(
            "甲 <!-- fixenc: off -->乙", Options(), ["fixenc: off -->乙"], id="switch-to-end"
        ),
        pytest.param(
            "发财软件和发财", Options(protected_terms=("发财软件",)), ["发财软件"], id="term"
        ),
        pytest.param(
            '名字 = "张三"  # 注释\n',
            Options(is_source_code=True),
            ["名字 = ", "  ", "\n"],
            id="source-identifiers",
        ),
        pytest.param("甲 FIXENC:OFF 乙", Options(), ["FIXENC:OFF 乙"], id="switch-upper-case"),
        pytest.param(
            "<p>见</p><PRE class=x>代码</PRE> <code>a</code>",
            Options(),
            ["<PRE class=x>代码</PRE>", "<code>a</code>"],
            id="html-code-elements",
        ),
        pytest.param("<pre>未闭合 <b>粗</b>", Options(), [], id="html-unclosed-pre"),
        pytest.param("<p>段落</p><precis>x</precis>", Options(), [], id="html-other-tags"),
        pytest.param("普通的中文。", Options(), [], id="nothing"),
        pytest.param("普通的中文：没有代码，100% 是文字。", Options(), [], id="no-ascii-mark"),
    ],
)
def test_protected_spans(text: str, options: Options, expected: list[str]) -> None:
    assert [text[s:e] for s, e in protected_spans(text, options)] == expected


@pytest.mark.parametrize(
    ("spans", "start", "end", "overlaps", "free"),
    [
        pytest.param(((2, 4),), 0, 6, True, [(0, 2), (4, 6)], id="middle"),
        pytest.param(((2, 4),), 4, 6, False, [(4, 6)], id="after"),
        pytest.param(((2, 4),), 0, 2, False, [(0, 2)], id="before"),
        pytest.param(((0, 10),), 3, 5, True, [], id="inside"),
        pytest.param(((1, 2), (3, 4)), 0, 5, True, [(0, 1), (2, 3), (4, 5)], id="two"),
    ],
)
def test_protection_queries(
    spans: tuple[tuple[int, int], ...],
    start: int,
    end: int,
    overlaps: bool,
    free: list[tuple[int, int]],
) -> None:
    protection = Protection(spans)
    assert protection.overlaps(start, end) is overlaps
    assert list(protection.free(start, end)) == free


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("`cafÃ©` means cafÃ©", "`cafÃ©` means café", id="latin-mojibake-in-code-span"),
        pytest.param(
            "<!-- fixenc: off -->cafÃ©<!-- fixenc: on --> cafÃ©",
            "<!-- fixenc: off -->cafÃ©<!-- fixenc: on --> café",
            id="latin-mojibake-switched-off",
        ),
        pytest.param(
            "```\n來(lái)源導(dǎo)報(bào)\n```\n來(lái)源導(dǎo)報(bào)\n",
            "```\n來(lái)源導(dǎo)報(bào)\n```\n來源導報\n",
            id="annotations-in-fenced-block",
        ),
        # Node.js 18's manual, doc/api/buffer.html (Debian's nodejs-doc): the HTML of a
        # fenced example in buffer.md, which quotes what latin1 decoding prints
        pytest.param(
            '<span class="hljs-comment">// Prints: this is a tÃ©st</span></code>'
            "<code>x</code><p>FranÃ§ois</p>",
            '<span class="hljs-comment">// Prints: this is a tést</span></code>'
            "<code>x</code><p>François</p>",
            id="html-closing-tag-alone-protects-nothing",
        ),
        pytest.param(
            "<pre><code class=\"language-js\">console.log(buf1.toString('latin1'));\n"
            '<span class="hljs-comment">// Prints: this is a tÃ©st</span></code></pre>'
            "<p>FranÃ§ois</p>",
            "<pre><code class=\"language-js\">console.log(buf1.toString('latin1'));\n"
            '<span class="hljs-comment">// Prints: this is a tÃ©st</span></code></pre>'
            "<p>François</p>",
            id="latin-mojibake-in-html-code",
        ),
        pytest.param(
            "<p>輸出：</p>\n<pre>浣犲ソ涓栫晫</pre>\n<p>浣犲ソ涓栫晫</p>",
            "<p>輸出：</p>\n<pre>浣犲ソ涓栫晫</pre>\n<p>你好世界</p>",
            id="cjk-mojibake-in-html-pre",
        ),
    ],
)
def test_no_stage_rewrites_protected_regions(text: str, expected: str) -> None:
    from fixenc.pipeline import repair

    result = repair(text, Options())
    assert result.text == expected
    assert result.findings == ()


def test_switch_precheck_is_exact() -> None:
    """``protected_spans`` looks for the switch only when "c:" or "C:" occurs and each
    of ``_SWITCH_LETTERS`` occurs in one case: exact, because no other character matches
    those letters of the switch under IGNORECASE."""
    from fixenc.protect import _SWITCH_LETTERS

    letters = re.compile(f"(?i)[{_SWITCH_LETTERS}]")
    folds = [
        chr(i)
        for i in range(sys.maxunicode + 1)
        if not 0xD800 <= i <= 0xDFFF and letters.fullmatch(chr(i))
    ]
    assert folds == sorted(_SWITCH_LETTERS + _SWITCH_LETTERS.upper())
    assert "c" in _SWITCH_LETTERS
    assert protected_spans("甲 # FIXENC: OFF\n乙", Options()) == ((4, 17),)
    assert protected_spans("甲 # FixEnC: Off\n乙", Options()) == ((4, 17),)
    assert protected_spans("甲 # fiyenc: off; abc: 乙", Options()) == ()
    assert protected_spans("甲 fixenc : off\n乙", Options()) == ()
