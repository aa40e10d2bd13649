"""Ordinary legacy files of any size, for the large-file test and benchmark.

Each language's paragraph is everyday prose in the script its legacy encoding serves;
a file of ``size`` bytes is the paragraph repeated, cut at a character boundary, so the
bytes are exactly what an old editor would have saved.
"""

from __future__ import annotations

# codec -> prose; Chinese (Simplified, Traditional), Korean and Japanese news-style text.
PROSE = {
    "gbk": (
        "编码测试：这是一份用 GBK 保存的简体中文文件。很多老旧的 Windows 程序仍然默认使用这种编码，"
        "直接用 UTF-8 打开就会出现乱码。今年春天，市政府宣布将在城市东部新建一座图书馆，"
        "预计明年年底完工，届时将向市民免费开放，并提供儿童阅读区和数字资料室。\n"
    ),
    "big5": (
        "編碼測試：這是一份用 Big5 儲存的繁體中文檔案。許多舊的應用程式仍然預設使用這種編碼，"
        "直接用 UTF-8 開啟就會出現亂碼。今年春天，市政府宣布將在城市東部新建一座圖書館，"
        "預計明年年底完工，屆時將向市民免費開放，並提供兒童閱讀區和數位資料室。\n"
    ),
    "euc_kr": (
        "인코딩 시험: 이 파일은 EUC-KR로 저장된 한국어 문서입니다. 오래된 프로그램들은 여전히 "
        "이 인코딩을 기본으로 사용하며, UTF-8로 열면 글자가 깨져 보입니다. 올해 봄 시청은 "
        "도시 동쪽에 새 도서관을 짓겠다고 발표했으며, 내년 말에 완공될 예정입니다.\n"
    ),
    "shift_jis": (
        "文字コードの確認：このファイルは Shift_JIS で保存された日本語の文書です。古いソフトウェアは"
        "今でもこの文字コードを標準として使っており、UTF-8 として開くと文字化けします。今年の春、"
        "市は東部に新しい図書館を建てると発表し、来年の末に完成する予定です。\n"
    ),
}


def legacy_file(codec: str, size: int) -> tuple[bytes, str]:
    """About ``size`` bytes of ``codec`` prose (never more) and the text they hold."""
    unit = PROSE[codec].encode(codec)
    data = unit * (size // len(unit)) + unit[: size % len(unit)]
    text = data.decode(codec, errors="ignore")  # drop a character cut at the end
    return text.encode(codec), text
