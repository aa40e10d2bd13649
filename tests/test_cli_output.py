"""What ``fixenc`` prints and returns, as users of ruff and black expect it.

In-process through ``main(argv)`` (the entry point's contract) on real files: findings
listed by ``check`` and silenced by kind, ``-q``, ``--diff`` on a transcoded file,
``--no-summary`` (the hooks), and script-variant targets by alias, in the CLI and the
library alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fixenc
from fixenc.cli import main
from fixenc.targets import ALIASES, canonical, names

MIXED = "我们讨论了软件开发的计划，这个会议很长。\n大家都同意上线的时间。\n這份報告說明了舊系統的問題，請大家會後閱讀。\n"
VOCAB = "這個軟件的網絡設置很簡單，我們的服務器在機房。\n"
DAMAGED = "Menu\nCafÃ© au lait\n"
LEGACY = "这是一段简体中文的测试文字，用来检查编码侦测。\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "mixed.txt").write_text(MIXED, encoding="utf-8")
    (root / "vocab.txt").write_text(VOCAB, encoding="utf-8")
    (root / "menu.txt").write_text(DAMAGED, encoding="utf-8")
    (root / "legacy.txt").write_bytes(LEGACY.encode("gbk"))
    (root / "clean.txt").write_text("Café au lait, 你好。\n", encoding="utf-8")
    return root


def _run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: Path, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(where)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# (arguments, exit code, in stdout, not in stdout, in stderr, not in stderr); paths are
# relative to the tree.
OUTPUT_CASES = [
    pytest.param(
        ("check", "mixed.txt"),
        1,
        ["mixed.txt:3:1: variant: passage at lines 3–3 is zh-Hant", "[!這份報告"],
        [],
        ["mixed.txt: 1 variant finding, nothing changed"],
        [],
        id="check-lists-a-mixed-script-passage",
    ),
    pytest.param(
        ("check", "vocab.txt"),
        1,
        ["vocab.txt:1:3: variant: mainland vocabulary", "candidates: '軟體'"],
        [],
        ["vocab.txt: 4 variant findings, nothing changed"],
        [],
        id="check-lists-mainland-vocabulary",
    ),
    pytest.param(
        ("check", "-v", "vocab.txt"),
        1,
        ["vocab.txt:1:6: variant"],
        [],
        ["vocab.txt: 4 variant findings"],
        [],
        id="verbose-too",
    ),
    pytest.param(
        ("check", "--ignore", "variant", "mixed.txt", "vocab.txt"),
        0,
        [],
        ["variant"],
        ["2 files unchanged."],
        ["finding"],
        id="ignore-silences-a-kind",
    ),
    pytest.param(
        ("check", "--ignore", "unrecoverable,variant", "vocab.txt"),
        0,
        [],
        ["variant"],
        [],
        ["finding"],
        id="ignore-comma-separated",
    ),
    pytest.param(
        ("check", "--ignore", "variant", "menu.txt", "vocab.txt"),
        1,
        ["menu.txt:2:4: mojibake"],
        ["vocab.txt"],
        ["menu.txt: would fix 1 mojibake"],
        [],
        id="ignore-leaves-other-kinds",
    ),
    pytest.param(
        ("detect", "vocab.txt"),
        0,
        ["findings: 4", "1:3 variant: '軟件' → '軟體'"],
        [],
        [],
        [],
        id="detect-lists-findings",
    ),
    pytest.param(
        ("detect", "--ignore", "variant", "vocab.txt"),
        0,
        ["findings: none", "line 1: zh-Hant"],
        ["1:3 variant"],
        [],
        [],
        id="detect-honours-ignore",
    ),
    pytest.param(
        ("fix", "mixed.txt"),
        0,
        [],
        [],
        ["mixed.txt: 1 variant finding, nothing changed"],
        [],
        id="fix-reports-information-and-succeeds",
    ),
    pytest.param(
        ("check", "--diff", "mixed.txt"),
        1,
        [],
        ["variant"],
        ["mixed.txt:3:1: variant"],
        [],
        id="diff-keeps-stdout-a-patch",
    ),
    pytest.param(
        ("check", "-q", "menu.txt", "vocab.txt", "clean.txt"),
        1,
        [],
        ["menu.txt", "vocab.txt"],
        [],
        ["menu.txt", "vocab.txt", "unchanged"],
        id="quiet-prints-no-listing",
    ),
    pytest.param(
        ("check", "--diff", "legacy.txt"),
        1,
        ["legacy.txt: only transcoded gb18030 → UTF-8; the text is unchanged"],
        ["@@"],
        ["legacy.txt: would fix gb18030 → UTF-8"],
        [],
        id="diff-says-a-file-is-only-transcoded",
    ),
    pytest.param(
        ("check", "--no-summary", "menu.txt", "clean.txt", "legacy.txt"),
        1,
        ["menu.txt:2:4: mojibake"],
        [],
        ["menu.txt: would fix 1 mojibake", "legacy.txt: would fix gb18030 → UTF-8"],
        ["would be fixed", "unchanged"],
        id="no-summary-under-a-hook",
    ),
    pytest.param(
        ("check", "menu.txt", "clean.txt"),
        1,
        [],
        [],
        ["1 file would be fixed, 1 unchanged."],
        [],
        id="summary-otherwise",
    ),
    pytest.param(
        ("check", "--target", "zh-CN", "mixed.txt"),
        1,
        ["Traditional → Simplified", "[-會後閱讀-]{+会后阅读+}"],
        [],
        ["mixed.txt: would fix"],
        [],
        id="target-alias",
    ),
]


@pytest.mark.parametrize(
    ("argv", "code", "out_has", "out_lacks", "err_has", "err_lacks"), OUTPUT_CASES
)
def test_output(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tree: Path,
    argv: tuple[str, ...],
    code: int,
    out_has: list[str],
    out_lacks: list[str],
    err_has: list[str],
    err_lacks: list[str],
) -> None:
    got, out, err = _run(capsys, monkeypatch, tree, *argv)
    assert got == code, out + err
    for text in out_has:
        assert text in out, out
    for text in out_lacks:
        assert text not in out, out
    for text in err_has:
        assert text in err, err
    for text in err_lacks:
        assert text not in err, err


@pytest.mark.parametrize(
    ("setting", "code", "err_has"),
    [
        pytest.param('ignore = ["variant"]', 0, "2 files unchanged.", id="config-ignores"),
        pytest.param('ignore = ["varient"]', 2, "unknown kind 'varient'", id="config-typo"),
        pytest.param('target = "zh_cn"', 1, "would fix", id="config-target-alias"),
    ],
)
def test_config(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tree: Path,
    setting: str,
    code: int,
    err_has: str,
) -> None:
    (tree / "pyproject.toml").write_text(f"[tool.fixenc]\n{setting}\n", encoding="utf-8")
    (tree / ".git").mkdir()  # the search for the configuration stops here
    got, out, err = _run(capsys, monkeypatch, tree, "check", "mixed.txt", "vocab.txt")
    assert got == code, out + err
    assert err_has in err


def test_flag_ignore_adds_to_config_ignore(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tree: Path
) -> None:
    (tree / "pyproject.toml").write_text('[tool.fixenc]\nignore = ["variant"]\n', "utf-8")
    (tree / ".git").mkdir()
    (tree / "lost.txt").write_text("用户名：锟斤拷锟斤拷\n", encoding="utf-8")
    got, out, err = _run(capsys, monkeypatch, tree, "check", "vocab.txt", "lost.txt")
    assert got == 1 and "lost.txt: needs attention: 1 unrecoverable" in err, err
    assert "vocab.txt" not in out + err
    flags = ("check", "--ignore", "unrecoverable", "vocab.txt", "lost.txt")
    got, out, err = _run(capsys, monkeypatch, tree, *flags)
    assert (got, out) == (0, ""), err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ("check", "--target", "zh-XX", "mixed.txt"), "unknown target 'zh-XX'", id="target"
        ),
        pytest.param(
            ("check", "--ignore", "varient", "mixed.txt"), "unknown kind 'varient'", id="ignore"
        ),
    ],
)
def test_usage_errors_name_the_choices(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tree: Path,
    argv: tuple[str, ...],
    message: str,
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run(capsys, monkeypatch, tree, *argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


# --- targets: one table, read by the CLI, the configuration and the library ----------
ALIAS_CASES = [pytest.param(alias, target, id=alias) for alias, target in ALIASES.items()] + [
    pytest.param("zh_CN", "zh-Hans", id="posix-locale-spelling"),
    pytest.param("ZH-hant", "zh-Hant", id="any-case"),
    pytest.param("keep", "keep", id="keep"),
]


@pytest.mark.parametrize(("alias", "target"), ALIAS_CASES)
def test_aliases_name_a_target(alias: str, target: str) -> None:
    assert canonical(alias) == target and target in names()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param("zh-CN", "这份报告说明了旧系统", id="zh-CN"),
        pytest.param("zh-SG", "这份报告说明了旧系统", id="zh-SG"),
        pytest.param("zh-Hans", "这份报告说明了旧系统", id="zh-Hans"),
    ],
)
def test_library_converts_with_an_alias(target: str, expected: str) -> None:
    assert fixenc.fix_text("這份報告說明了舊系統", target=target) == expected


def test_library_aliases_to_traditional() -> None:
    simplified = "这个软件的网络设置很简单。"
    assert fixenc.fix_text(simplified, target="zh-MO") == fixenc.fix_text(
        simplified, target="zh-HK"
    )
    assert fixenc.fix_text(simplified, target="zh-MO") != simplified


@pytest.mark.parametrize("target", ["zh-XX", "zh", "Simplified", ""])
def test_library_rejects_unknown_targets(target: str) -> None:
    with pytest.raises(fixenc.ConfigError, match=r"unknown target .*known targets: keep, zh-Hans"):
        fixenc.fix_text("CafÃ©", target=target)
    with pytest.raises(ValueError):  # ConfigError is a ValueError too
        fixenc.repair("這份報告", target=target)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: fixenc.fix_text(b"Caf\xc3\x83\xc2\xa9"), id="fix_text"),  # type: ignore[arg-type]
        pytest.param(lambda: fixenc.repair(b"Caf\xc3\x83\xc2\xa9"), id="repair"),  # type: ignore[arg-type]
        pytest.param(lambda: fixenc.fix_text(bytearray(b"abc")), id="bytearray"),  # type: ignore[arg-type]
    ],
)
def test_bytes_where_text_is_expected_say_use_fix_bytes(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(TypeError, match=r"takes str, not (bytes|bytearray); use fixenc\.fix_bytes"):
        call()
    assert fixenc.fix_bytes(b"Caf\xc3\x83\xc2\xa9").text == "Café"
