"""Regenerate tests/cases/mojibake.json: the East-Asian mojibake case tables.

Run: python scripts/make_mojibake_cases.py

Every repair case is made from a sentence written for this table by garbling it along
one codec path (recorded in the case as ``garbled_by``), so a reader can see exactly what
damage each row stands for; the test re-derives the input from ``expected`` and
``garbled_by`` to keep the two in step. Paths that do not decode strictly for a sentence
(UTF-8 read as GBK usually loses bytes) are skipped here: they belong to the lost-byte
tables. Negative, lossy and unrecoverable rows are written out by hand below.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases"

SENTENCES = {
    "zh-Hans": [
        "我们明天早上八点在火车站见面，请不要迟到。",
        "这个软件可以自动检测并修复文本中的编码错误。",
        "北京的秋天天气晴朗，很多游客去香山看红叶。",
        "他在图书馆里读了一下午的历史书。",
    ],
    "zh-Hant": [
        "我們明天早上八點在火車站見面，請不要遲到。",
        "這個軟體可以自動偵測並修復文字中的編碼錯誤。",
        "台北的夜市有很多好吃的小吃，例如蚵仔煎和珍珠奶茶。",
        "他在圖書館裡讀了一下午的歷史書。",
    ],
    "ja": [
        "明日の朝八時に駅で会いましょう。遅れないでください。",
        "このソフトウェアは文字化けを自動的に検出して修正します。",
        "京都の秋は紅葉がとても美しいです。",
        "図書館で歴史の本を読みました。",
    ],
    "ko": [
        "내일 아침 여덟 시에 기차역에서 만나요. 늦지 마세요.",
        "이 프로그램은 텍스트의 인코딩 오류를 자동으로 고칩니다.",
        "서울의 가을 하늘은 정말 맑고 푸릅니다.",
        "도서관에서 역사책을 읽었습니다.",
    ],
}
# Clean paragraphs around a garbled one (the common case: one bad paragraph of many).
BEFORE = {
    "zh-Hans": "第一段是正常的文字，没有任何问题。",
    "zh-Hant": "第一段是正常的文字，沒有任何問題。",
    "ja": "最初の段落は普通の文章です。",
    "ko": "첫 번째 문단은 정상적인 글입니다.",
}
AFTER = {
    "zh-Hans": "最后一段也是正常的。",
    "zh-Hant": "最後一段也是正常的。",
    "ja": "最後の段落も普通です。",
    "ko": "마지막 문단도 정상입니다.",
}
LEGACY = {"zh-Hans": ["gbk"], "zh-Hant": ["big5", "gbk"], "ja": ["shift_jis"], "ko": ["euc-kr"]}
UTF8_READERS = ["gbk", "big5", "shift_jis", "euc-kr", "cp949", "cp1252"]
SINGLE_BYTE = ["cp1252", "latin-1", "cp437", "cp866"]
TWO_LAYERS = [
    ("zh-Hans", 0, [("utf-8", "latin-1"), ("utf-8", "gbk")]),
    ("zh-Hans", 1, [("utf-8", "latin-1"), ("utf-8", "gbk")]),
    ("ja", 3, [("utf-8", "latin-1"), ("utf-8", "gbk")]),
    ("ja", 3, [("gbk", "latin-1"), ("utf-8", "cp1252")]),
]

NEGATIVE = {
    "zh-fullwidth-punct": "你好，世界！（测试）“引号”",
    "fr-de-accents": "Café au lait, naïve résumé, Größe, déjà vu.",
    "ru-cyrillic": "Москва — столица России. Ещё одна строка.",
    "el-greek": "Ελληνικά κείμενα για δοκιμή.",
    "ja-kana-kanji": "東京スカイツリーは墨田区にあります。",
    "ja-halfwidth-kana": "ﾃｽﾄ用のﾃﾞｰﾀ",
    "ja-halfwidth-company": "株式会社ｱｲｳ",
    "ko-hangul": "대한민국의 수도는 서울입니다.",
    "zh-rare-characters": "龘靐齉爩是很少见的汉字。",
    "zh-rare-names": "王㑇和陈喆、李堃、张赟是同学。",
    "zh-hant-clean": "臺灣的鐵路很方便。",
    "box-drawing-table": "┌──────┐\n│ 表格 │\n└──────┘",
    "zh-ascii-question": "你好吗?我很好。",
    "zh-emphatic-questions": "真的吗???你确定",
    "zh-real-reduplication": "一碗烫烫的汤",
    "pinyin-textbook": "你(nǐ)好(hǎo)",
    "zh-mixed-latin": "使用Python处理UTF-8编码",
    "de-symbols": "Preis: 20 € ± 5 %, ½ kg, 25 °C",
    "de-uppercase-umlauts": "ÄRGER ÜBER ÖL",
    "es-enye": "Ñandú y pingüino",
    "lookalike-alone": "斕疑",
    "lookalike-in-clean-sentence": "他的名字叫斕疑。",
    "word-shaped-latin1-alone": "ÖÐÎÄ",
    "cp1252-symbols": "€uro ‰ †",
    "heart-and-han": "I ♥ 北京",
    "greek-math-han": "α-β 版本 ≥ 2.0",
    "zh-digits": "中华人民共和国成立于1949年。",
    "zh-hant-mentions-garble": "錕斤拷是一個常見的亂碼。",
    "ja-long": "日本語のテキスト、漢字とかな",
    "ko-short-words": "문자 깨짐 테스트",
}


def garble(text: str, path: Sequence[Sequence[str]]) -> str | None:
    """``text`` along the codec path, or None when a step is not strict or nothing changes.

    >>> garble("Café", [("utf-8", "cp1252")])
    'CafÃ©'
    >>> garble("abc", [("utf-8", "cp1252")]) is None
    True
    """
    value = text
    try:
        for enc, dec in path:
            value = value.encode(enc).decode(dec)
    except UnicodeError:
        return None
    return value if value != text else None


def main(argv: Sequence[str] | None = None) -> int:
    del argv
    repair: list[dict[str, object]] = []
    directions: list[tuple[str, str, str]] = []
    for lang in SENTENCES:
        directions += [(lang, "utf-8", reader) for reader in UTF8_READERS]
        for legacy in LEGACY[lang]:
            directions += [(lang, legacy, reader) for reader in SINGLE_BYTE]
    directions += [
        ("zh-Hant", "big5", "gbk"),
        ("zh-Hans", "gbk", "big5"),
        ("zh-Hant", "gbk", "big5"),
    ]
    for lang, enc, dec in directions:
        for i, sentence in enumerate(SENTENCES[lang]):
            garbled = garble(sentence, [(enc, dec)])
            if garbled is None:
                continue
            for shape in ("whole", "paragraph"):
                wrap = (
                    (BEFORE[lang] + "\n", "\n" + AFTER[lang]) if shape == "paragraph" else ("", "")
                )
                repair.append(
                    {
                        "id": f"{lang}-{enc}-read-as-{dec}-{i}-{shape}",
                        "text": wrap[0] + garbled + wrap[1],
                        "expected": wrap[0] + sentence + wrap[1],
                        "garbled_by": [[enc, dec]],
                        "garbled": sentence,
                    }
                )
    for lang, i, path in TWO_LAYERS:
        garbled = garble(SENTENCES[lang][i], path)
        if garbled is not None:
            name = "-then-".join(f"{e}-read-as-{d}" for e, d in path)
            repair.append(
                {
                    "id": f"{lang}-two-layers-{name}-{i}",
                    "text": garbled,
                    "expected": SENTENCES[lang][i],
                    "garbled_by": [list(p) for p in path],
                    "garbled": SENTENCES[lang][i],
                }
            )
    tables = {
        "mojibake.json": {
            "about": "East-Asian round-trip mojibake: the span `garbled` of `expected` was "
            "garbled along `garbled_by` (per layer: encode with the first codec, decode with "
            "the second) to give `text`. Generated by scripts/make_mojibake_cases.py.",
            "cases": repair,
        },
        "mojibake_negative.json": {
            "about": "Clean text near the mojibake detectors' triggers (rare characters, "
            "names, look-alikes, half-width kana, Latin-1 symbols) that must come back "
            "byte-identical with no finding. Generated by scripts/make_mojibake_cases.py.",
            "cases": [{"id": k, "text": v} for k, v in NEGATIVE.items()],
        },
    }
    for name, table in tables.items():
        (CASES / name).write_text(
            json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print(f"{len(repair)} repair cases, {len(NEGATIVE)} negative -> {CASES}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
