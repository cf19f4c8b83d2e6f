"""Installs and runs anywhere: version, Chinese usage errors, GBK consoles, Windows fonts and paths."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan import __version__
from juesuan.cli import app
from juesuan.cli.common import missing_module_message
from juesuan.cli.usage_zh import translate
from juesuan.render import fonts

runner = CliRunner()
SRC = Path(__file__).resolve().parents[1] / "src"


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"juesuan {__version__}"


@pytest.mark.parametrize("args, words", [
    (["build", "--nosuch"], "没有这个选项：--nosuch"),
    (["build"], "缺少参数"),
    (["check", "a.yaml", "extra"], "多余的参数：extra"),
    (["nosuch"], "没有这个命令"),
    (["check", "a.yaml", "--format", "pdf"], "的值无效"),
])
def test_usage_errors_are_chinese(args, words):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert words in result.output, result.output
    assert "用法：" in result.output and "Usage:" not in result.output and "Error" not in result.output


def test_translate_keeps_what_it_does_not_know():
    assert translate("Missing option '--output' / '-o'.") == "缺少选项 '--output' / '-o'。"
    assert translate("something new") == "something new"


def test_missing_package_says_what_to_install():
    text = missing_module_message(ModuleNotFoundError("No module named 'docx'", name="docx"))
    assert "python-docx" in text and "pip install" in text
    store = missing_module_message(ModuleNotFoundError("x", name="sqlalchemy.orm"))
    assert 'juesuan[store]' in store


def _run(args: list[str], encoding: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "juesuan", *args], capture_output=True, env=env,
                          timeout=300, check=False)


def test_gbk_console_gets_no_unencodable_character():
    """`juesuan rules` prints "∓" (a rule's description); redirected in a GBK console it must not crash."""
    result = _run(["rules"], "gbk")
    assert result.returncode == 0, result.stderr.decode("gbk", "replace")
    text = result.stdout.decode("gbk")  # strictly GBK
    assert "±" in text  # "∓" has no GBK code: shown as the nearest sign
    assert "Traceback" not in result.stderr.decode("gbk", "replace")


def test_rules_wrap_long_descriptions():
    text = runner.invoke(app, ["rules"], terminal_width=80).output
    flat = "".join(line.strip("│| ").replace(" ", "") for line in text.splitlines())
    # a long description is shown whole, wrapped over lines, not cut to a few characters
    assert "使用财政拨款开支的公务用车是全部车辆的一部分。" in flat.replace("││", "")


def test_file_names_with_brackets_keep_them(tmp_path):
    p = tmp_path / "[2024]决算[终稿].yaml"
    p.write_text("year: [\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(p)])
    assert result.exit_code == 2 and "[2024]决算[终稿].yaml" in result.output


# --------------------------------------------------------------- Windows


@pytest.fixture()
def windows(monkeypatch, tmp_path):
    """A Windows machine: no fontconfig, the fonts in %WINDIR%\\Fonts and the user's font folder."""
    system = tmp_path / "Windows" / "Fonts"
    user = tmp_path / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
    system.mkdir(parents=True)
    user.mkdir(parents=True)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    monkeypatch.setattr(fonts, "_fc_fonts", lambda: ())
    fonts.find_cjk_font_family.cache_clear()
    yield system, user
    fonts.find_cjk_font_family.cache_clear()


def test_windows_fonts_are_found_by_file(windows):
    system, user = windows
    for name in ("simsun.ttc", "simhei.ttf", "msyh.ttc", "simfang.ttf"):
        (system / name).write_bytes(b"font")
    assert fonts.find_cjk_font_family("serif") == ("SimSun", system / "simsun.ttc")
    assert fonts.find_cjk_font_family("sans") == ("SimHei", system / "simhei.ttf")
    assert fonts.find_cjk_font_family("fangsong") == ("FangSong", system / "simfang.ttf")
    assert fonts.find_cjk_font_family("kai") == ("SimSun", system / "simsun.ttc")  # no 楷体: 宋体


def test_windows_user_installed_gb2312_font_comes_first(windows):
    system, user = windows
    (system / "simfang.ttf").write_bytes(b"font")
    (user / "FANGSONG_GB2312.TTF").write_bytes(b"font")
    assert fonts.find_cjk_font_family("fangsong") == ("FangSong_GB2312", user / "FANGSONG_GB2312.TTF")


def test_windows_yahei_only(windows):
    system, _ = windows
    (system / "msyh.ttc").write_bytes(b"font")
    assert fonts.find_cjk_font_family("serif") == ("Microsoft YaHei", system / "msyh.ttc")


def test_output_names_are_valid_windows_file_names():
    from juesuan.render.build import safe_name

    assert safe_name('乌海市:工信局/办公室*"?<>|') == "乌海市工信局办公室"
    assert safe_name("（部门）[2024]") == "（部门）[2024]"
