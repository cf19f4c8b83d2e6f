"""The ``juesuan`` entry point: ``juesuan --help`` without importing the command line.

Typer alone costs several times a bare Python start, and the top-level help
is the same text every time, so it is kept here (``ROOT_HELP``, the usage line
with the program's name put in).  ``tests/test_startup.py`` asserts that it is
exactly what Typer prints for the registered commands, so it cannot drift.
Anything else goes to ``juesuan.cli.main``.
"""

from __future__ import annotations

import os
import sys

ROOT_HELP = """\
Usage: {prog} [OPTIONS] COMMAND [ARGS]...

  部门决算（预算）公开工具：检查决算或预算数据、生成公开文档、审核已公开的文档。

Options:
  -V, --version  显示版本号并退出。
  -h, --help     显示本帮助并退出。

Commands:
  check           检查决算数据的勾稽关系、科目代码、绩效自评计分和必填内容；预算数据集（kind: 预算）按预算的勾稽关系检查。
  rules           列出全部检查规则：编号、级别、标题和说明。
  template        生成决算（或部门预算，--kind budget）数据工作簿：空白模板（含填写说明），或用已有数据集填好的工作簿。
  build           先检查数据，再生成部门决算公开文档：Word、PDF、网页、Excel 决算表。
  audit           审核已公开的部门决算或部门预算文档：说明与公开表、说明前后的数字是否一致，各部分是否齐全。
  extract         从已公开的文档中恢复决算数据集（预算文档则恢复预算数据集：收入、支出总表各项、基本支出经济分类、...
  compare-budget  把部门预算与决算放在一起比较（同一部门）。
  scorecard       按文档、部门和地区给决算公开评分：完整性（应有的部分、章节和公开表是否齐全）和一致性...
  serve           启动本机网页应用：填报人上传、检查、填写说明、生成并提交；审核人查看报送情况、批量审核公开文档；...
  db              数据库：保存各部门各年度的数据集和审核结果（默认 SQLite，也可用 PostgreSQL）。
  user            网页应用的用户：新增用户（已有则改密码）、停用和启用、生成接口令牌。
"""
"""``juesuan --help`` as Typer prints it at a terminal width of 80 or more."""


def program_name() -> str:
    """The name the usage line shows, as Click derives it (``python -m juesuan`` when run so)."""
    package = getattr(sys.modules.get("__main__"), "__package__", None)
    if not package:
        return os.path.basename(sys.argv[0])
    stem = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    return "python -m " + (package if stem == "__main__" else f"{package}.{stem}").lstrip(".")


def root_help() -> bool:
    """Print the top-level help when that is all that is asked for; True when it was printed."""
    if sys.argv[1:] not in (["--help"], ["-h"]):
        return False
    import shutil

    if shutil.get_terminal_size().columns < 80:  # Click lays it out narrower
        return False
    out = sys.stdout
    text = ROOT_HELP.format(prog=program_name())
    out.buffer.write(text.encode(out.encoding or "utf-8", errors="replace")) if hasattr(out, "buffer") \
        else out.write(text)
    out.flush()
    return True


def main() -> None:
    if not root_help():
        from juesuan.cli import main as cli_main

        cli_main()
