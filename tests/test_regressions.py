"""Regressions, each named after what broke and kept so that it never breaks again."""

from __future__ import annotations

from pathlib import Path

import pytest

import fixenc
from fixenc import cli, pipeline
from fixenc.model import Context, Kind, Options, Region
from fixenc.replay import replay
from fixenc.stages import mojibake_latin as latin
from fixenc.stages.variant import passages as variant_passages


def test_ftfy_partial_fix_of_gbk_garble_is_not_applied() -> None:
    """ftfy turns GBK-read-as-Latin-1 ``ÖÐÎÄ±àÂë`` into the worse ``ÖÐÎıàÂë``.

    The Latin stage used to apply that partial "fix"; a repaired span that ftfy's own
    badness check still calls bad is now a finding instead.
    """
    out = latin.stage("ÖÐÎÄ±àÂë", Context(Options()))
    assert out is not None and out.changes == ()


def test_double_encoded_quote_replays() -> None:
    """The diff aligned the ``“`` inside ``Å“`` as unchanged, leaving a change whose
    before/after (``Ã¢â‚¬Å`` → ``""``) no plan could replay; spans now widen over
    neighbouring Latin-1 characters so each change is whole."""
    result = fixenc.repair("the Ã¢â‚¬Å“thingÃ¢â‚¬\x9d")
    assert result.text == "the “thing”"
    assert [c.before for c in result.changes] == ["Ã¢â‚¬Å“", "Ã¢â‚¬\x9d"]
    assert all(replay(c.steps, c.before) == c.after for c in result.changes)


def test_fullwidth_punctuation_survives_ftfy() -> None:
    """ftfy's defaults narrow ``，！（）`` and uncurl quotes (field notes); fixenc turns
    those fixes off, even on a line that also carries real mojibake."""
    result = fixenc.repair("你好，世界！（测试）“引号” CafÃ©")
    assert result.text == "你好，世界！（测试）“引号” Café"
    assert [c.kind for c in result.changes] == [Kind.MOJIBAKE]


def test_c1_controls_fix_is_idempotent() -> None:
    """Hypothesis found ``'\\x80000\\x86Ü'``: the first pass (plan: cp1252 round trip)
    rejected ``\\x86Ü`` → ``†Ü`` as still bad, the second (plan: fix_c1_controls) applied
    it. The badness check now judges every plan alike."""
    once = fixenc.fix_text("\x80000\x86Ü")
    assert fixenc.fix_text(once) == once


def test_no_variant_findings_on_reported_garble() -> None:
    """Garble that the mojibake stage could only report (lost bytes, no clear winner)
    was also reported as "zh-Hant passages in a zh-Hans document": noise over the real
    finding. Variant findings inside damaged spans are now dropped."""
    clean = "上周我们在杭州举办了第三届开源文本工具交流会，来自二十多个团队的工程师参加了讨论。\n"
    garble = "这是一个关于编码的问题，很多旧系统导出的文件用错误的编码打开。".encode().decode(
        "gbk", errors="replace"
    )
    result = fixenc.repair(clean + garble + "\n" + clean)
    damaged = [f for f in result.findings if f.kind in (Kind.MOJIBAKE, Kind.UNRECOVERABLE)]
    damaged += [c for c in result.changes if c.kind is Kind.MOJIBAKE]  # type: ignore[misc]
    assert damaged, "the garbled line must be reported or repaired"
    assert [f for f in result.findings if f.kind is Kind.VARIANT] == []


def test_a_lone_run_of_replacement_characters_is_unrecoverable_not_guessed() -> None:
    """``备注：���`` between clean lines was offered "candidates" 開, 間, 運: readings of
    bytes none of which survived. Such a run is now only an unrecoverable finding."""
    result = fixenc.repair("导出的日志：\n备注：\ufffd\ufffd\ufffd\n其他内容正常。\n")
    assert result.changes == ()
    assert [(f.kind, f.text, f.candidates) for f in result.findings] == [
        (Kind.UNRECOVERABLE, "\ufffd\ufffd\ufffd", ())
    ]


def test_correct_accents_beside_curly_quotes_stay_off_the_slow_path() -> None:
    """``café’s`` (é, then a curly apostrophe) matched the Latin prefilter as a lead byte
    plus a continuation byte, so every line of ordinary English prose went through ftfy
    (English ran at 2 MB/s). The prefilter now asks for whole UTF-8 sequences."""
    assert not latin._suspect("the café’s naïve façade — “fine”")
    assert latin._suspect("the cafÃ©")
    assert latin._suspect("â€œquotedâ€\x9d")


def test_two_lost_continuation_bytes_are_chosen_together() -> None:
    """误 is E8 AF AF; read as GBK, AF AF is no character, so both bytes become U+FFFD.
    Choosing one lost byte at a time settled on 言 (E8 A8 80), which the other byte
    already fitted, and 错误 was never tried. Adjacent lost bytes are now also tried as
    a pair, likeliest character after its left neighbour first."""
    text = "会上大家最关心的问题是编码：很多旧系统导出的文件用错误的编码打开后，中文就变成了一串看不懂的字符。"
    garble = text.encode().decode("gbk", errors="replace")
    assert "\ufffd\ufffd" in garble
    assert fixenc.fix_text(garble) == text


# --- correct text that the mojibake stages used to "repair" (found by running
# ``fixenc check`` over Debian's /usr/share/doc and installed Python packages) ---------


def _unchanged(text: str, *, source: bool = False) -> None:
    result = pipeline.repair(text, Options(is_source_code=source))
    assert result.text == text, [(c.before, c.after, c.reason) for c in result.changes]


def test_box_drawing_is_not_gbk_read_as_cp437() -> None:
    """``┌────────────┐`` became ``谀哪哪哪哪哪目``: box drawing is what cp437 shows for
    bytes 0xB0–0xDF, all of them GBK lead bytes. A run of one repeated character is a
    drawn line, not garble (garble repeats a byte pattern only as often as the text does)."""
    _unchanged("┌────────────┐\n│ a box      │\n└────────────┘\n")


def test_short_box_drawing_is_not_cp949_read_as_cp437() -> None:
    """``├──┐`` became ``쳐커`` (CP949): four box-drawing characters alone carry no
    sign of another codec; a span made only of box drawing is a drawing."""
    _unchanged("tree:\n├──┐\n│  └── leaf\n")


def test_box_drawing_in_a_python_comment_stays() -> None:
    """``# └───┘`` in a Python comment became ``# 滥哪┘``."""
    _unchanged("x = 1\n# └───┘\n", source=True)


def test_block_shading_is_not_gbk_read_as_cp437() -> None:
    """``Loading ▒▒▒▒▒▒▒▒ done`` became ``Loading 北北北北 done`` (▒ is cp437 0xB1)."""
    _unchanged("Loading ▒▒▒▒▒▒▒▒ done\n")


def test_repeated_accented_letters_are_not_gbk_read_as_cp1252() -> None:
    """``yes áááááááááá`` became ``yes 後後後後後``: a letter typed ten times is
    emphasis, not ten bytes of a double-byte codec."""
    _unchanged("yes áááááááááá\n")


def test_regex_character_class_in_source_is_not_big5_read_as_cp1252() -> None:
    """``[®©°·»{start_punctuation}]`` in a Python source became
    ``[悟健認start_punctuation}]`` (Big5 0xBB7B swallowed the ``{``) and the module no
    longer imported. Latin-1 symbols with no letters among them, cut off from the ASCII
    word they are glued to, are not evidence of Big5."""
    _unchanged('PUNCT = re.compile(rf"[®©°·»{start_punctuation}]")\n', source=True)
    _unchanged('PUNCT = "®©°·»{start_punctuation}"\n')


def test_deliberate_mojibake_in_a_doctest_stays() -> None:
    """A library about mojibake quotes it in its docstrings and doctests on purpose:
    ``>>> fix("CafÃ©")`` was "repaired" into ``>>> fix("Café")`` and the doctest broke.
    In source code, prose that talks about encodings and doctest lines are left alone."""
    source = (
        "def fix(text):\n"
        '    """Undo UTF-8 read as Windows-1252, as in CafÃ© for Café.\n\n'
        '    >>> fix("CafÃ©")\n'
        "    'Café'\n"
        '    """\n'
    )
    _unchanged(source, source=True)


def test_deliberate_gbk_mojibake_in_a_docstring_stays() -> None:
    """The same for East-Asian garble quoted in a docstring about decoding."""
    source = '"""UTF-8 decoded as GBK turns 你好 into 浣犲ソ; see decode()."""\n'
    _unchanged(source, source=True)


# Prose files that quote garble in a paragraph about encodings (each a minimal excerpt
# of a real file, then constructed cases of the same shape): the quotation is left as
# it is, while the same garble unquoted, or quoted in a paragraph about nothing of the
# kind, is repaired.
QUOTED_IN_PROSE = [
    # ftfy 6.3.1 CHANGELOG.md
    pytest.param(
        "- ftfy was still too conservative about fixing short mojibake sequences,\n"
        '  such as "aoÃ»t" -> "août", when the broken version contained punctuation\n',
        None,
        id="ftfy-changelog",
    ),
    # ftfy 6.3.1 docs/detect.rst
    pytest.param(
        'what the UTF-8 text really says is a mojibake string like "rÃ©flexion" '
        "that needs to be decoded *again*.\n",
        None,
        id="ftfy-docs",
    ),
    # libxslt's changelog (Debian 12 /usr/share/doc/libxslt1.1/changelog.gz), transcoded
    pytest.param(
        "\t* libxslt/numbers.c: changed per-mille from '?' to Unicode #2030\n"
        "\t  (UTF-8 'â€°') (ref XSLT spec 12.3)\n",
        None,
        id="libxslt-changelog",
    ),
    pytest.param(
        "Lu en Latin-1, le fichier affiche « dÃ©jÃ\xa0 » au lieu de « déjà ».\n",
        None,
        id="guillemets",
    ),
    pytest.param(
        "Windows-1252 shows ‘naÃ¯ve’ for naïve.\n\nShe said it was naÃ¯ve.\n",
        "Windows-1252 shows ‘naÃ¯ve’ for naïve.\n\nShe said it was naïve.\n",
        id="next-paragraph-repaired",
    ),
    pytest.param(
        'Le menu du jour : "CafÃ© crème" et tarte.\n',
        'Le menu du jour : "Café crème" et tarte.\n',
        id="quoted-without-encoding-talk-repaired",
    ),
    # botocore data/medialive/2017-10-14/service-2.json: real damage in a quoted string
    # of a file with no blank line, which talks about encoders far from it
    pytest.param(
        '{\n  "documentation": "Audio encoding settings.",\n  "shape": "X",\n  "min": 0,\n'
        '  "max": 1,\n  "documentation": "The node that you are trying to delete doesnâ€™t '
        'exist. Check the ID and try again."\n}\n',
        '{\n  "documentation": "Audio encoding settings.",\n  "shape": "X",\n  "min": 0,\n'
        '  "max": 1,\n  "documentation": "The node that you are trying to delete doesn’t '
        'exist. Check the ID and try again."\n}\n',
        id="botocore-json-far-from-encoding-talk-repaired",
    ),
    pytest.param(
        "The file is UTF-8 but shows CafÃ© here.\n",
        "The file is UTF-8 but shows Café here.\n",
        id="encoding-talk-without-quotation-repaired",
    ),
]


@pytest.mark.parametrize(("text", "expected"), QUOTED_IN_PROSE)
def test_garble_quoted_in_prose_about_encodings_stays(text: str, expected: str | None) -> None:
    assert fixenc.fix_text(text) == (text if expected is None else expected)


# U+FFFD written on purpose by programs that handle it (no bytes were lost: no finding)
# and U+FFFD where a name lost its letter (a finding), from real files.
REPLACEMENT_CHARACTER = [
    # click 8 click/utils.py, format_filename's docstring
    pytest.param(
        'def format_filename(filename):\n    """Ensures the filename can be displayed by '
        "replacing any invalid\n    bytes or surrogate escapes in the name with the "
        'replacement character ``�``.\n    """\n',
        True,
        0,
        id="click-docstring",
    ),
    # setuptools 65 pkg_resources/__init__.py
    pytest.param(
        "    def _warn_on_replacement(self, metadata):\n        replacement_char = '�'\n"
        "        if replacement_char in metadata:\n"
        '            tmpl = "{self.path} could not be properly decoded in UTF-8"\n',
        True,
        0,
        id="pkg-resources-literal",
    ),
    # ftfy 6.3 ftfy/chardata.py
    pytest.param(
        "    # the replacement character � in the sloppy-* encodings.\n", True, 0, id="ftfy-comment"
    ),
    pytest.param("Decoding fails: the text shows '�' instead.\n", False, 0, id="prose-quoted"),
    # Node.js 18 doc/api/buffer.md and ftfy 6.3.1 CHANGELOG.md: prose naming the character
    pytest.param(
        "When decoding a `Buffer` into a string that does not exclusively\n"
        "contain valid UTF-8 data, the Unicode replacement character `U+FFFD` � will be\n"
        "used to represent those errors.\n",
        False,
        0,
        id="nodejs-names-it",
    ),
    pytest.param(
        "  the replacement character � (U+FFFD) where there were bytes that are\n"
        "  unassigned in Windows-1252.\n\n"
        "  Although ftfy won't recover the lost information, it can now detect this\n"
        "  situation, replace the entire lossy character with �, and decode the rest.\n",
        False,
        1,
        id="ftfy-changelog-next-paragraph-does-not-name-it",
    ),
    # Debian 12 /usr/share/doc/util-linux/copyright and libacl1's changelog
    pytest.param("                     Bartosz Fe�ski <fenio@o2.pl>\n", False, 1, id="copyright"),
    pytest.param(
        "* Fix a build issue with cross-compiling, thanks to Diego Petten�\n",
        False,
        1,
        id="changelog",
    ),
    pytest.param("# Copyright 2003 Marc C�t�\nimport os\n", True, 2, id="source-header-name"),
]


@pytest.mark.parametrize(("text", "source", "flagged"), REPLACEMENT_CHARACTER)
def test_replacement_character_named_on_purpose_is_no_loss(
    text: str, source: bool, flagged: int
) -> None:
    result = pipeline.repair(text, Options(is_source_code=source))
    assert result.text == text
    assert len([f for f in result.findings if f.kind is Kind.UNRECOVERABLE]) == flagged


# Correct text that a round trip read as something else, found by the audit of real
# files (a minimal excerpt of each, then constructed cases of the same shape); and
# garble of the same shape beside them that is still repaired.
SHAPES_OF_CORRECT_TEXT = [
    # botocore data/bedrock-data-automation/2023-07-26/service-2.json: a regular
    # expression's Latin ranges, once read as EUC-KR (ÖØ-Üß → 路-輻)
    pytest.param(
        '"pattern":"[a-zA-Z0-9\\\\s!><À-ÖØ-Üßà-öø-üẞ¿¡Œ-œ°£¥₹€§©ª®™¹±-µ✓]*",\n',
        None,
        False,
        id="botocore-regex-latin-ranges",
    ),
    pytest.param("[À-ÖØ-Þß-öø-ÿ]\n", None, False, id="latin-1-letter-ranges"),
    pytest.param("Ranges: Ö-Ø and Ü-ß.\n", None, False, id="lone-letters-in-prose"),
    pytest.param("ÖÐÎÄ-±àÂë\n", "中文-编码\n", False, id="gbk-pairs-around-a-hyphen-repaired"),
    # sympy 1.13 physics/quantum/tests/test_printing.py: a pretty-printed fraction in a
    # string, whose ``─│`` read as UTF-8 ĳ in cp437
    pytest.param(
        'ucode_str = """\\\n ╱ │ ╲ \\n\\\n╱ x│  ╲\\n\\\n╲ ─│x ╱\\n\\\n ╲2│ ╱ \\\n"""\n',
        None,
        True,
        id="sympy-pretty-printed-drawing",
    ),
    pytest.param("│ ─│x │\n", None, False, id="drawing-in-prose"),
    pytest.param("┬┐que diferencia hay?\n", "¿que diferencia hay?\n", False, id="box-garble-alone"),
    # fortunes-pl 0.0.20130525 games/fortunes/pl/linuxpl: line noise quoted from IRC,
    # whose pieces read as Cyrillic, Hebrew and Arabic letters glued to Latin ones
    pytest.param(
        "<XerO^> Ĺ\xa0^Ô@XĺLą^ŢT^ŇťWírÄď^Đ)˛<F¸öMp\\ü÷ďęőŻÄ!]&2^ŐüÚ÷Pçé°ßD{š^ÄŃ§ył\n",
        None,
        False,
        id="fortune-line-noise-cyrillic",
    ),
    pytest.param(
        "Ăh4Ţ×˛ćçKSSd˝osK^Ć=O96ĐżPţÎN^ŮzS#úźYŔD×>1Ż^Ân°^Ř^ÄkU&~(Hń^ÎĎó&ç\n",
        None,
        False,
        id="fortune-line-noise-hebrew",
    ),
    pytest.param("          cúŘ˘^Ö7^OAC^IT<[EZ[Clö\n", None, False, id="fortune-line-noise-arabic"),
    pytest.param(
        "Humanized HLA-DR4.RagKO.IL2RÎ³cKO.NOD mice\n",
        "Humanized HLA-DR4.RagKO.IL2RγcKO.NOD mice\n",
        False,
        id="greek-letter-among-ascii-repaired",
    ),
    pytest.param("Ð¿Ñ€Ð¸Ð²ÐµÑ‚ мир\n", "привет мир\n", False, id="cyrillic-word-repaired"),
]


@pytest.mark.parametrize(("text", "expected", "source"), SHAPES_OF_CORRECT_TEXT)
def test_shapes_of_correct_text_stay(text: str, expected: str | None, source: bool) -> None:
    result = pipeline.repair(text, Options(is_source_code=source))
    assert result.text == (text if expected is None else expected)


def test_reduplicated_word_is_not_two_layer_garble() -> None:
    """``他雄赳赳地走了过来。`` became ``他雄乔乔地走了过来。``: 赳赳 is rare on its own
    but 雄赳赳 is a word. A span that forms a known word with its neighbours is text."""
    _unchanged("他雄赳赳地走了过来。\n")
    _unchanged("她的脸红扑扑的，走起路来慢吞吞。\n")


def test_serbian_capitals_are_not_utf8_read_as_windows_1251() -> None:
    """Debian's Serbian manual pages (``\\fBОДЕЉАК\\fP``) came back as ``ОДŊАК``: ftfy
    reads ``ЕЉ`` back through Windows-1251 as UTF-8 ``Ŋ``. A repair that puts a letter
    of another script among the word's own letters is correct text taken for garble."""
    _unchanged("\\fBОДЕЉАК\\fP \\fIодељак\\fP .\\|.\\|.\n")
    _unchanged("\\fBОДРЕЂУЈЕ\\fP\\fI\\ кључ\\ вредност\\fP\n")


def test_ukrainian_word_is_not_utf8_read_as_windows_1251() -> None:
    """``Дійсне`` (Ukrainian manual page of top) became ``ĳйсне`` the same way."""
    _unchanged("\\fIДійсне\\fP ім'я користувача.\n")


def test_korean_word_after_groff_markup_is_not_latin_read_as_cp949() -> None:
    """``\\fI캣 페이지\\fP`` in Debian's Korean man(1) became ``\\fIĹ 페이지``: 캣 glued to
    the ASCII of a font escape looked like UTF-8 Latin read as CP949. On a line of CJK
    prose such a reading is a word of that prose."""
    _unchanged("성능 개선을 목적으로 \\fI캣 페이지\\fP로 사전 서식화하기도 합니다.\n")


def test_fix_path_protects_identifiers_in_source_files(tmp_path: Path) -> None:
    """``fixenc.fix_path("a.py", target="zh-Hans")`` rewrote the identifier ``變數`` to
    ``变数`` (breaking the program) while the CLI protected it: the library had its own
    copy of the file flow. Both now go through ``process.py``; the comment converts."""
    path = tmp_path / "a.py"
    path.write_text("變數 = 1  # 這個變數很重要\nprint(變數)\n", encoding="utf-8")
    result = fixenc.fix_path(path, target="zh-Hans")
    assert path.read_text(encoding="utf-8") == "變數 = 1  # 这个变数很重要\nprint(變數)\n"
    assert [c.before for c in result.changes] == ["# 這個變數很重要"]
    cli_copy = tmp_path / "b.py"
    cli_copy.write_text("變數 = 1  # 這個變數很重要\nprint(變數)\n", encoding="utf-8")
    assert cli.main(["fix", "-q", "--target", "zh-Hans", str(cli_copy)]) == 0
    assert cli_copy.read_bytes() == path.read_bytes()


def test_detect_honours_protected_terms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``fixenc detect --protect 軟件 FILE`` still reported ``軟件`` as mainland
    vocabulary: the library's ``detect()`` dropped ``protected_terms``."""
    text = "這個軟件很好用，我們的軟件團隊開發了它。\n"
    assert [f.text for f in fixenc.detect(text).findings] == ["軟件", "軟件"]
    assert fixenc.detect(text, protected_terms=("軟件",)).findings == ()
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["detect", "--format", "json", "--protect", "軟件", str(path)]) == 0
    assert "軟件" not in capsys.readouterr().out


def test_one_chinese_name_does_not_make_an_english_changelog_a_passage() -> None:
    """A 290-line English changelog with one name written 张 was mapped as a single
    "zh-Hans passage" of lines 1–290: lines without Han joined the passage of the only
    line with any. Lines without Han before a paragraph's first Han line and after its
    last now stay out of its passage."""
    lines = [f"- v0.{n}: fix issue #{n} in the parser ({n * 7} tests)" for n in range(290)]
    lines[150] = "- v0.150: thanks to 张 for the report"
    text = "\n".join(lines) + "\n"
    chinese = [p for p in variant_passages(text) if p.label != "none"]
    assert [(p.label, p.line_start, p.line_end) for p in chinese] == [("zh-Hans", 151, 151)]
    assert fixenc.repair(text).findings == ()


def test_japanese_page_is_not_a_mixed_chinese_document() -> None:
    """A Japanese page whose store list is kanji with few kana (東京都新宿区, 営業時間
    午前十時から) was reported as "mixed Simplified and Traditional in a mostly zh-Hant
    document" (区 reads as Simplified, 東 as Traditional). In a document with Japanese
    paragraphs, a paragraph whose every Han character is in JIS X 0208 is Japanese too;
    a Chinese paragraph beside it (们, 这 are not in JIS) stays Chinese."""
    stores = [
        ("新宿", "新宿区西新宿一丁目"),
        ("渋谷", "渋谷区道玄坂二丁目"),
        ("上野", "台東区上野四丁目"),
    ]
    page = "東京都の店舗一覧です。\n\n" + "".join(
        f"{name}店\n東京都{address}\n営業時間　午前十時から午後八時\n\n" for name, address in stores
    )
    result = fixenc.repair(page)
    assert result.findings == ()
    assert fixenc.fix_text(page, target="zh-Hans") == page
    assert all(p.region is Region.FOREIGN for p in variant_passages(page) if p.label != "none")
    quoted = page + "我们这里也有分店。\n"
    assert fixenc.fix_text(quoted, target="zh-Hant") == page + "我們這裏也有分店。\n"


@pytest.mark.parametrize(
    ("original", "span", "path", "exact"),
    [
        pytest.param(
            "транслитерацией где возможно:", "", [("utf-8", "gbk")], False, id="ru-second-layer"
        ),
        pytest.param(
            "Див. 3б. КЕРУВАННЯ ПОЛЯМИ.", "", [("utf-8", "gbk")], False, id="uk-gbk-big5-swap"
        ),
        pytest.param(
            "intro - введение в пользовательские команды",
            "введение",
            [("utf-8", "big5")],
            False,
            id="ru-big5-word",
        ),
        pytest.param(
            "у горизонтальному напрямку. Такі",
            "Такі",
            [("cp1251", "cp1252")],
            False,
            id="uk-swap-in-second-layer",
        ),
        pytest.param(
            "如果你有幸使用到支援無阻塞讀的系統",
            "幸使用到",
            [("utf-8", "gbk")],
            True,
            id="zh-hant-glued-neighbours",
        ),
        pytest.param(
            "然後自行印出該資料。",
            "該",
            [("gbk", "latin-1")],
            False,
            id="latin-letter-glued-in-han",
        ),
    ],
)
def test_held_out_damage_is_not_read_into_other_garble(
    original: str, span: str, path: list[tuple[str, str]], exact: bool
) -> None:
    """Damage to held-out manual pages (``benchmarks/bench_recall.py``) was "repaired"
    into other garble: Cyrillic UTF-8 read as GBK went on through a second layer or a
    GBK/Big5 swap into Han nonsense (找把忘扶…, 捉卓准准), Ukrainian CP1251 read as
    Windows-1252 became 責碑 through a two-character Big5/GBK swap in a second layer,
    and a UTF-8-as-GBK run swallowed its clean neighbours 支援 as a Hebrew accent and a
    Cyrillic letter. A span whose UTF-8 reading is real words of an alphabet is now never
    read as CJK, a swap in a second layer needs as many characters as alone, and a UTF-8
    reading of CJK ends where its CJK ends. The Latin stage read what GBK-as-Latin-1
    garble left between repaired Han (``Ô\x93`` of 該) as UTF-8, a Cyrillic ``ԓ``; letters
    of an alphabet glued between two CJK characters are no longer its repair. Each row is the original, the span damaged
    (all of it when empty) and the damage; the damaged text comes back repaired, or left
    as it is, never as other text."""
    garbled = span or original
    for enc, dec in path:
        garbled = garbled.encode(enc).decode(dec)
    damaged = original.replace(span, garbled) if span else garbled
    got = fixenc.fix_text(damaged)
    assert got == original if exact else got in (original, damaged)
