"""A generated JSONL corpus of web-crawl-like records, with what record mode must make of it.

Used by ``test_records.py``, ``test_dask.py`` and ``benchmarks/bench_records.py``, so the
tests and the benchmark read the same kinds of records. Deterministic: record ``i`` of a
given seed always has the same bytes. Each record's ``text`` joins one to four
paragraphs; a damaged record has exactly one damaged paragraph (Latin mojibake, East-Asian
mojibake, or machine-inserted pinyin), whose repair is known, so the expected output
line is the input line with only ``text`` replaced. Some lines are malformed (truncated
JSON, bytes that are not UTF-8, a JSON array): they must come out byte for byte.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# A pinyin textbook's real readings: correct text that looks like annotation noise.
TEXTBOOK = "拼音课本：你(nǐ)好(hǎo)，老师(lǎo shī)说得对。"
# Correct text in many languages and styles: it must come out byte for byte.
CLEAN = (
    "The committee met on Tuesday to discuss the budget for the coming year.",
    "Café au lait, naïve façade, jalapeño — “curly quotes” and ‘single ones’ stay.",
    "Straße, Köln, Ærøskøbing, Łódź, İstanbul: every Latin letter is correct here.",
    "你好，世界！（测试）这是一段简体中文的新闻正文，用来检查清洁文本不会被改动。",
    "這是繁體中文的測試文字，台灣與香港的讀者都看得懂，不應該有任何改動。",
    "日本語のテキストです。カタカナとひらがな、そして漢字が混ざっています。",
    "한국어 문장도 그대로 남아야 합니다. 인코딩 문제는 없습니다.",
    TEXTBOOK,
    "Emoji 🎉🚀 and symbols ±×÷ → ∞, box drawing ┌─┐ │ └─┘ stay as they are.",
    "A price of €12.50, ¥300 or £7 is not mojibake; neither is «this» or „that“.",
    "def main(argv):  # source code with ASCII only, plus a comment: naïve",
    "Москва — столица России; Ελληνικά κείμενα; עברית; العربية.",
)

# Single-language documents, as most crawled pages are, with each language's share of
# the corpus: the benchmark's realistic mix (``lines(by_language=True)``). The tests'
# default draws every paragraph from ``CLEAN``, mixing languages and scripts on purpose.
LANGUAGES: tuple[tuple[float, tuple[str, ...]], ...] = (
    (
        0.45,
        (
            CLEAN[0],
            "Researchers released the dataset under an open licence last week.",
            "Local businesses reported a busy weekend as the festival drew large crowds.",
            "The software update fixes several security issues and improves battery life.",
            CLEAN[9],
        ),
    ),
    (0.10, (CLEAN[1], CLEAN[2], "Le café est fermé le lundi ; l’équipe vous remercie.")),
    (
        0.20,
        (
            CLEAN[3],
            "今天上午，市政府召开新闻发布会，介绍了今年经济运行的总体情况。",
            "研究人员表示，这项技术有望在未来五年内得到广泛应用。",
            "欢迎使用本网站，如有问题请联系客服。",
        ),
    ),
    (
        0.10,
        (
            CLEAN[4],
            "研究團隊表示，這項技術可望在未來五年內廣泛應用。",
            "歡迎光臨本網站，如有任何問題請與我們聯絡。",
        ),
    ),
    (0.07, (CLEAN[5], "東京では今日、桜の開花が発表されました。")),
    (0.04, (CLEAN[6], "서울의 날씨는 오늘 맑고 따뜻하겠습니다.")),
    (0.04, (CLEAN[11], "Погода в Москве сегодня будет солнечной.")),
)

# Correct paragraphs whose damaged forms fixenc must repair exactly.
LATIN_GOLD = (
    "Café au lait and crème brûlée at the corner bistro.",
    "A naïve façade, a jalapeño, and the résumé on the wall.",
    "The chef said: “everything is fresh.”",
    "Straße in Köln, Ångström units, and São Paulo.",
)
CJK_GOLD = (
    "你好，世界！",
    "各位同事：明天下午三点在二楼会议室开会，请准时参加。",
    "中文编码测试",
    "人工智能",
    "这是一段简体中文的测试文字，用来检查编码侦测是否正确。",
)
# Machine-inserted pinyin, as in the user's article: (damaged, repaired).
PINYIN = (
    (
        "2018-05-19 12:26:04 來(lái)源:各界導(dǎo)報(bào)-各界新聞網(wǎng)",
        "2018-05-19 12:26:04 來源:各界導報-各界新聞網",
    ),
    (
        "為推進(jìn)漢中鎮(zhèn)巴縣脫貧攻堅(jiān)工作,打贏打好脫貧攻堅(jiān)戰(zhàn)。",
        "為推進漢中鎮巴縣脫貧攻堅工作,打贏打好脫貧攻堅戰。",
    ),
)


def latin_mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252 (bytes it leaves undefined read as Latin-1, as browsers do)."""
    return "".join(_sloppy_cp1252(b) for b in text.encode("utf-8"))


def _sloppy_cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def utf8_read_as_gbk(text: str) -> str:
    return text.encode("utf-8").decode("gbk")


def gbk_read_as_latin1(text: str) -> str:
    return text.encode("gbk").decode("cp1252")


def damaged_pairs() -> list[tuple[str, str, str]]:
    """Every (kind, damaged, repaired) paragraph the corpus uses."""
    pairs = [("latin", latin_mojibake(g), g) for g in LATIN_GOLD]
    for gold in CJK_GOLD:
        # Most UTF-8 read as GBK loses bytes: a different (lost-bytes) case, left out.
        with contextlib.suppress(UnicodeDecodeError):
            pairs.append(("utf8-as-gbk", utf8_read_as_gbk(gold), gold))
        pairs.append(("gbk-as-latin1", gbk_read_as_latin1(gold), gold))
    pairs.extend(("pinyin", bad, good) for bad, good in PINYIN)
    return pairs


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the corpus: its bytes, and the bytes record mode must write for it."""

    data: bytes
    expected: bytes
    kind: str  # "clean", "damaged", "malformed", "no-field"


def lines(
    count: int,
    *,
    seed: int = 14,
    damaged: float = 0.20,
    malformed: float = 0.05,
    no_field: float = 0.05,
    paragraphs: tuple[int, int] = (1, 4),
    by_language: bool = False,
) -> Iterator[Line]:
    """``count`` lines: the given shares damaged, malformed and without ``text``, the rest
    clean; each record has a number of clean paragraphs drawn from ``paragraphs``, from
    every language at once or (``by_language``) from one language per record."""
    rng = random.Random(seed)
    pairs = damaged_pairs()
    # A pinyin textbook's readings are real: beside one, inserted pinyin is no longer
    # clearly noise (fixenc then rightly leaves both), so they never share a record.
    no_textbook = tuple(c for c in CLEAN if c != TEXTBOOK)
    for i in range(count):
        roll = rng.random()
        damage = rng.choice(pairs) if roll < damaged else None
        pool = no_textbook if damage is not None and damage[0] == "pinyin" else CLEAN
        if by_language:
            pool = rng.choices([p for _, p in LANGUAGES], weights=[w for w, _ in LANGUAGES])[0]
        chosen = [rng.choice(pool) for _ in range(rng.randint(*paragraphs))]
        fixed = list(chosen)
        kind = "clean"
        if damage is not None:
            at = rng.randrange(len(chosen) + 1)
            chosen.insert(at, damage[1])
            fixed.insert(at, damage[2])
            kind = "damaged"
        chosen.append(f"Record {i}.")
        fixed.append(f"Record {i}.")
        record: dict[str, object] = {
            "id": f"doc-{seed}-{i:08d}",
            "url": f"https://example.org/{i % 997}/page-{i}.html",
            "text": "\n".join(chosen),
            "meta": {"lang": "mixed", "score": round(rng.random(), 3), "n": i},
        }
        style = i % 3  # three writers' styles: plain, \u-escaped, compact

        def dump(rec: dict[str, object], style: int = style) -> bytes:
            separators = (",", ":") if style == 2 else None
            text = json.dumps(rec, ensure_ascii=style == 1, separators=separators)
            return text.encode() + b"\n"

        if damaged <= roll < damaged + malformed:
            data = _malformed(rng, dump(record), i)
            yield Line(data, data, "malformed")
            continue
        if damaged + malformed <= roll < damaged + malformed + no_field:
            del record["text"]
            if i % 2:
                record["text"] = None
            data = dump(record)
            yield Line(data, data, "no-field")
            continue
        data = dump(record)
        expected = dump({**record, "text": "\n".join(fixed)})
        yield Line(data, expected, kind)


def _malformed(rng: random.Random, line: bytes, i: int) -> bytes:
    which = rng.randrange(3)
    if which == 0:
        return line[: len(line) // 2] + b"\n"  # truncated mid-record
    if which == 1:
        return b'{"id": "latin-1 %d", "text": "caf\xe9 cr\xe8me"}\n' % i  # not UTF-8
    return b'["an", "array", %d]\n' % i  # JSON, but not an object


def write(path: Path, count: int, *, seed: int = 14) -> list[Line]:
    """Write ``count`` lines to ``path`` (plain JSONL) and return them."""
    out = list(lines(count, seed=seed))
    path.write_bytes(b"".join(line.data for line in out))
    return out
