"""Usage errors and help-panel words in Chinese, and console output a GBK console can show.

Click (as Typer vendors it) words its errors in English f-strings ("No such
option: --x", "Missing argument 'DATASET'."); finance staff read Chinese.  The
messages are translated where Typer prints them (``rich_format_error``), by a
table of patterns: an unknown message is shown as it is rather than lost.
"""

from __future__ import annotations

import codecs
import re
import sys

_MESSAGES: tuple[tuple[str, str], ...] = (
    (r"No such option: (\S+)", r"没有这个选项：\1"),
    (r"\(Possible options: (.+)\)", r"（可能是：\1）"),
    (r"Did you mean (.+)\?", r"是否想用 \1？"),
    (r"No such command '(.+?)'\.", r"没有这个命令：\1。"),
    (r"Missing argument (.+?)\.$", r"缺少参数 \1。"),
    (r"Missing option (.+?)\.$", r"缺少选项 \1。"),
    (r"Missing parameter: (\S+)", r"缺少参数 \1"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", r"多余的参数：\1"),
    (r"Option '(.+?)' requires an argument\.", r"选项 \1 后面需要一个值。"),
    (r"Option '(.+?)' requires (\d+) arguments\.", r"选项 \1 后面需要 \2 个值。"),
    (r"Option '(.+?)' does not take a value\.", r"选项 \1 不接受值。"),
    (r"Invalid value for (.+?): ", r"\1 的值无效："),
    (r"Invalid value: ", r"值无效："),
    (r"'(.+?)' is not one of (.+)\.", r"“\1”不是可选的值（可选：\2）。"),
    (r"(?:Path|File|Directory) '(.+?)' does not exist\.", r"“\1”不存在。"),
    (r"Value '(.+?)' is not a valid (\w+)\.", r"“\1”不是有效的 \2。"),
    (r"'(.+?)' is not a valid (?:integer|float)(?: range)?\.", r"“\1”不是有效的数字。"),
)
_PANEL_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "DEPRECATED_STRING": "（已弃用）",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}


def translate(message: str) -> str:
    """A Click usage message in Chinese (unknown parts stay as they are)."""
    out = message
    for pattern, repl in _MESSAGES:
        out = re.sub(pattern, repl, out)
    return (out.replace("Usage:", "用法：").replace("[OPTIONS]", "[选项]")
            .replace("COMMAND [ARGS]...", "命令 [参数]..."))


def install() -> None:
    """Chinese words in Typer's help panels and error messages (once)."""
    try:
        from typer import rich_utils
    except ImportError:
        return
    if getattr(rich_utils, "_juesuan_zh", False):
        return
    for name, text in _PANEL_WORDS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    original = rich_utils.rich_format_error

    def rich_format_error(self) -> None:  # noqa: ANN001 - Click's exception
        format_message = self.format_message
        self.format_message = lambda: translate(format_message())
        ctx = getattr(self, "ctx", None)
        if ctx is not None:
            get_usage = ctx.get_usage
            ctx.get_usage = lambda: translate(get_usage())
        original(self)

    rich_utils.rich_format_error = rich_format_error
    rich_utils._juesuan_zh = True


# --------------------------------------------------------------- consoles that cannot show every character

_REPLACEMENTS = {
    "∓": "±", "−": "-", "–": "-", "‑": "-", "✓": "√", "✗": "×", "✔": "√", "✘": "×",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "•": "·", "→": "->", "≈": "约",
}


def _replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(_REPLACEMENTS.get(ch, "?") for ch in bad), exc.end


codecs.register_error("juesuan-replace", _replace)


def safe_streams() -> None:
    """stdout/stderr that never crash on a character their encoding (GBK …) lacks.

    "∓" becomes "±", other such characters a close one or "?", instead of a
    UnicodeEncodeError half-way through a report redirected to a file.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower()
        if not encoding or codecs.lookup(encoding).name in ("utf-8", "utf-16", "utf-32"):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="juesuan-replace")
            except (ValueError, OSError):
                pass
