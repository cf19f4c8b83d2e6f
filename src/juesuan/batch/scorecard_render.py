"""The scorecard's files: CSV per level, one workbook, and a self-contained HTML page whose
charts are inline SVG (matplotlib, the text drawn as paths: no font, script or CDN needed)."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import Any

from juesuan.batch.scorecard import DocScore, GroupScore, Scorecard

__all__ = ["DOC_COLUMNS", "GROUP_COLUMNS", "write_scorecard"]

DOC_COLUMNS = [("rank", "排名"), ("department", "部门"), ("region", "地区"), ("year", "年度"),
               ("total", "总分"), ("completeness", "完整性"), ("consistency", "一致性"),
               ("required", "应有项"), ("missing", "缺少项"), ("tables_present", "公开表（有）"),
               ("tables_required", "公开表（应有）"), ("errors", "错误"), ("figures", "核对数字"),
               ("errors_per_100", "每百个数字错误"), ("warnings", "警告"), ("profile", "样式"),
               ("path", "文档"), ("sha256", "SHA-256")]
GROUP_COLUMNS = [("rank", "排名"), ("name", "名称"), ("documents", "文档数"), ("years", "年度"),
                 ("total", "总分"), ("completeness", "完整性"), ("consistency", "一致性"),
                 ("errors", "错误"), ("figures", "核对数字")]
_SHEETS = (("documents", "文档", DOC_COLUMNS), ("organisations", "部门", GROUP_COLUMNS),
           ("regions", "地区", GROUP_COLUMNS))


def _table(card: Scorecard, level: str, columns: list[tuple[str, str]]) -> list[list[Any]]:
    items: list[DocScore] | list[GroupScore] = getattr(card, level)
    return [[h for _, h in columns]] + [[getattr(x, k) for k, _ in columns] for x in items]


def write_scorecard(card: Scorecard, out_dir: Path) -> list[Path]:
    """documents.csv, organisations.csv, regions.csv, scorecard.xlsx, scorecard.html in ``out_dir``."""
    from juesuan.cli.common import write_atomic

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for level, _, columns in _SHEETS:
        buf = io.StringIO()
        csv.writer(buf).writerows(_table(card, level, columns))
        target = out_dir / f"{level}.csv"
        write_atomic(target, lambda tmp, text=buf.getvalue(): Path(tmp).write_text("\ufeff" + text, encoding="utf-8"))
        written.append(target)
    target = out_dir / "scorecard.xlsx"
    write_atomic(target, lambda tmp: _xlsx(card, Path(tmp)))
    written.append(target)
    target = out_dir / "scorecard.html"
    page = _html(card)
    write_atomic(target, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    written.append(target)
    return written


def _xlsx(card: Scorecard, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for level, title, columns in _SHEETS:
        ws = wb.create_sheet(title)
        for row in _table(card, level, columns):
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    wb.save(path)


def _svg_bars(names: list[str], series: list[tuple[str, list[float | None]]], title: str) -> str:
    """A horizontal bar chart as SVG text; '' when matplotlib or a Chinese font is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot as plt

        from juesuan.render.charts import COLORS, ChartFontError, _rc, chart_font
    except ImportError:
        return ""
    try:
        font, _ = chart_font()
    except ChartFontError:
        return ""
    n = len(names)
    with matplotlib.rc_context(_rc(font)):
        fig, ax = plt.subplots(figsize=(7.5, max(2.0, 0.32 * n * len(series) + 1.0)))
        h = 0.8 / len(series)
        for i, (label, values) in enumerate(series):
            ys = [k + i * h for k in range(n)]
            ax.barh(ys, [v or 0 for v in values], height=h, label=label, color=COLORS[i % len(COLORS)])
        ax.set_yticks([k + 0.4 - h / 2 for k in range(n)], [x[:18] for x in names])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_title(title)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(series), fontsize=8, frameon=False)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


_CSS = ("body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}"
        "th,td{border:1px solid #bbb;padding:.2em .5em;text-align:right}th{background:#eef}"
        "td.t{text-align:left}figure{margin:1em 0}p.note{color:#555}")


def _html_table(rows: list[list[Any]], text_cols: set[int]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in rows[0])
    body = "".join("<tr>" + "".join(f"<td{' class=t' if i in text_cols else ''}>"
                                     f"{'' if v is None else html.escape(str(v))}</td>" for i, v in enumerate(r))
                   + "</tr>" for r in rows[1:])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html(card: Scorecard) -> str:
    top = card.organisations[:30]
    charts = [
        _svg_bars([g.name for g in top], [("总分", [g.total for g in top]), ("完整性", [g.completeness for g in top]),
                                          ("一致性", [g.consistency for g in top])], "各部门得分（前 30）"),
        _svg_bars([g.name for g in card.regions[:30]], [("总分", [g.total for g in card.regions[:30]])], "各地区得分"),
    ]
    parts = ["<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>决算公开评分</title>"
             f"<style>{_CSS}</style></head><body><h1>决算公开评分</h1>",
             f"<p>评分文档 {len(card.documents)} 个，部门 {len(card.organisations)} 个，地区 {len(card.regions)} 个；"
             f"未评分（不是决算公开文档、无法读取或失败）{card.not_scored} 个。</p>",
             "<p class=note>完整性：样式要求的部分、章节（或说明的各项内容）、联系方式和公开表中，文档具备的比例；"
             "一致性：100 ÷（1 + 每百个核对数字的错误级问题数），无错误为 100，每百个数字一个错误为 50；"
             "总分为两者的平均，同分同名次。部门、地区得分为其文档得分的平均。</p>"]
    parts += [f"<figure>{svg}</figure>" for svg in charts if svg]
    for level, title, columns in _SHEETS:
        text_cols = {i for i, (k, _) in enumerate(columns) if k in ("department", "region", "name", "path",
                                                                   "profile", "sha256", "years")}
        parts.append(f"<h2>{title}</h2>" + _html_table(_table(card, level, columns), text_cols))
    parts.append("</body></html>")
    return "".join(parts)
