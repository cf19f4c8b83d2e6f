"""Usage errors and help-panel words in Chinese, and console output a GBK console can show.

Click (as Typer vendors it) words its errors in English f-strings ("No such
option: --x", "Missing argument 'DATASET'."); finance staff read Chinese.  The
messages are translated where Click prints them (``UsageError.show``), by a
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
    (r"Value error, ", ""),
    (r"'([^']+)' is not one of (.+)\.", r"“\1”不是可选的值（可选：\2）。"),
    (r"(?:Path|File|Directory) '(.+?)' does not exist\.", r"“\1”不存在。"),
    (r"Value '(.+?)' is not a valid (\w+)\.", r"“\1”不是有效的 \2。"),
    (r"'(.+?)' is not a valid (?:integer|float)(?: range)?\.", r"“\1”不是有效的数字。"),
)


def translate(message: str) -> str:
    """A Click usage message in Chinese (unknown parts stay as they are)."""
    out = message
    for pattern, repl in _MESSAGES:
        out = re.sub(pattern, repl, out)
    return (out.replace("Usage:", "用法：").replace("[OPTIONS]", "[选项]")
            .replace("COMMAND [ARGS]...", "命令 [参数]..."))


def install() -> None:
    """Chinese words in Click's usage errors (once).

    The CLI uses Click's plain help and errors (Typer's Rich panels cost more to
    import than the whole ``--help``), so ``UsageError.show`` and
    ``ClickException.show`` of whichever Click Typer runs on are replaced.
    """
    try:
        from typer._click import exceptions  # type: ignore[import-not-found]
        from typer._click.utils import echo  # type: ignore[import-not-found]
    except ImportError:  # older Typer uses the click package itself
        from click import exceptions
        from click.utils import echo
    if getattr(exceptions, "_juesuan_zh", False):
        return

    def usage_show(self, file=None) -> None:  # noqa: ANN001 - Click's own signature
        color = None
        if self.ctx is not None:
            color = self.ctx.color
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = f"运行“{self.ctx.command_path} {self.ctx.help_option_names[0]}”查看帮助。\n"
            echo(f"{translate(self.ctx.get_usage())}\n{hint}", file=file, err=file is None, color=color)
        echo(f"错误：{translate(self.format_message())}", file=file, err=file is None, color=color)

    def exception_show(self, file=None) -> None:  # noqa: ANN001 - Click's own signature
        echo(f"错误：{translate(self.format_message())}", file=file, err=file is None,
             color=getattr(self, "show_color", None))

    exceptions.UsageError.show = usage_show
    exceptions.ClickException.show = exception_show
    exceptions._juesuan_zh = True


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
