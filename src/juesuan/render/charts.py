"""The disclosure's charts as ``Figure`` blocks (PNG at 150 dpi and SVG).

收入决算图 (income by source, pie), 支出决算图 (基本/项目/其他, pie: the seed's
图2) and the “三公” budget against actual (grouped bars).  matplotlib with
the Agg backend; figures are drawn inside an ``rc_context`` so the caller's
matplotlib settings are untouched.

Chinese text needs a Chinese font: one is found on the system
(``juesuan.render.fonts``: fontconfig on Linux, the Fonts folder on
Windows) and checked to cover every character drawn; without one a
``ChartFontError`` is raised instead of drawing empty boxes.  SVG text is
written as paths, so the SVG shows the same glyphs without the font.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure as MplFigure  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

from juesuan.compute import derive as d  # noqa: E402
from juesuan.model.accounts import INCOME_FIELDS, INCOME_LABELS, Dataset  # noqa: E402
from juesuan.model.money import ZERO, Unit, convert, fmt_amount, fmt_pct, round2  # noqa: E402
from juesuan.render.blocks import Figure  # noqa: E402
from juesuan.render.fonts import find_cjk_font_family  # noqa: E402
from juesuan.render.tables_common import pick  # noqa: E402

DPI = 150
SIZE_IN = (6.4, 4.0)
WIDTH_CM = 15.0
COLORS = ("#3a6ea5", "#e07b39", "#6aa84f", "#c0504d", "#8064a2", "#4bacc6", "#f2c14e", "#7f7f7f")

DEFAULT_TITLES = {
    "income": "图1. 收入决算图",
    "expenditure": "图2. 支出决算图",
    "three_public": "图3. “三公”经费预算与决算对比图",
}
CHART_IDS = tuple(DEFAULT_TITLES)


class ChartFontError(RuntimeError):
    """No installed font can draw the chart's Chinese text."""


@lru_cache(maxsize=4)
def chart_font(kind: str = "sans") -> tuple[str, Path]:
    """(family name as matplotlib knows it, file) of the CJK font used for charts."""
    hit = find_cjk_font_family(kind)  # type: ignore[arg-type]
    if hit is None:
        raise ChartFontError(
            "未找到中文字体，无法绘制图表：请安装 Noto Sans CJK SC（Debian/Ubuntu：fonts-noto-cjk）"
            "或使用带宋体/黑体/微软雅黑的 Windows 系统"
        )
    path = hit[1]
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return name, path


def missing_glyphs(path: Path, texts: Iterable[str]) -> set[str]:
    """The characters of ``texts`` that the font file has no glyph for."""
    font = FT2Font(str(path))
    chars = {ch for t in texts for ch in t if not ch.isspace()}
    return {ch for ch in chars if font.get_char_index(ord(ch)) == 0}


def _check_cover(path: Path, texts: Iterable[str]) -> None:
    missing = missing_glyphs(path, texts)
    if missing:
        raise ChartFontError(f"字体 {path.name} 缺少字符：{''.join(sorted(missing))}")


def _wan(ds: Dataset, v: Decimal) -> Decimal:
    return round2(convert(v, ds.unit, Unit.WAN))


def _render(fig: MplFigure, chart_id: str, title: str) -> Figure:
    png, svg = io.BytesIO(), io.StringIO()
    fig.savefig(png, format="png", dpi=DPI, bbox_inches="tight")
    fig.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return Figure(chart_id=chart_id, title=title, png=png.getvalue(), svg=svg.getvalue(),
                  width_cm=WIDTH_CM)


def _rc(name: str) -> dict:
    return {
        "font.family": [name],
        "font.sans-serif": [name],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "juesuan",
        "font.size": 10,
    }


def _pie(chart_id: str, title: str, parts: list[tuple[str, Decimal]], empty_text: str) -> Figure:
    """A pie of the non-zero parts, each labelled with its amount (万元) and share."""
    shown = [(label, v) for label, v in parts if v > 0]
    total = sum((v for _, v in shown), ZERO)
    labels = [f"{label}\n{fmt_amount(v)}万元（{fmt_pct(d.share(v, total))}）" for label, v in shown]
    name, path = chart_font()
    _check_cover(path, [title, empty_text, *labels])
    with matplotlib.rc_context(_rc(name)):
        fig, ax = plt.subplots(figsize=SIZE_IN)
        if not shown:
            ax.text(0.5, 0.5, empty_text, ha="center", va="center", fontsize=12)
            ax.axis("off")
        else:
            ax.pie([float(v) for _, v in shown], labels=labels, colors=COLORS[: len(shown)],
                   startangle=90, counterclock=False, wedgeprops={"linewidth": 1, "edgecolor": "white"},
                   textprops={"fontsize": 9})
            ax.axis("equal")
        # the title is the document's caption under the figure, not drawn twice
        return _render(fig, chart_id, title)


def income_chart(ds: Dataset, title: str = DEFAULT_TITLES["income"]) -> Figure:
    """收入决算图: 本年收入 by source."""
    parts = [(INCOME_LABELS[f], _wan(ds, getattr(ds.income, f))) for f in INCOME_FIELDS]
    return _pie("income", title, parts, "本年度无收入")


def expenditure_chart(ds: Dataset, title: str = DEFAULT_TITLES["expenditure"]) -> Figure:
    """支出决算图: 基本支出, 项目支出 and the other kinds together (the seed's 图2)."""
    kinds = d.spending_by_kind(ds)
    other = kinds["to_superior"] + kinds["operating"] + kinds["affiliated"]
    n = len(ds.items())
    parts = [("基本支出", pick(ds, "t03", "total", "basic", _wan(ds, kinds["basic"]), n)),
             ("项目支出", pick(ds, "t03", "total", "project", _wan(ds, kinds["project"]), n)),
             ("其他支出", _wan(ds, other))]
    return _pie("expenditure", title, parts, "本年度无支出")


def three_public_chart(ds: Dataset, title: str = DEFAULT_TITLES["three_public"]) -> Figure:
    """“三公”经费: 预算数 and 决算数 side by side for the total and each item."""
    tp = ds.three_public
    items = [("合计", "total"), ("因公出国（境）费", "abroad"),
             ("公务用车购置及\n运行维护费", "vehicle"), ("公务接待费", "reception")]
    budget = [_wan(ds, getattr(tp.budget, k)) for _, k in items]
    actual = [_wan(ds, getattr(tp.actual, k)) for _, k in items]
    labels = [label for label, _ in items]
    values = [fmt_amount(v) for v in budget + actual]
    name, path = chart_font()
    _check_cover(path, [title, "预算数决算数万元", *labels, *values])
    with matplotlib.rc_context(_rc(name)):
        fig, ax = plt.subplots(figsize=SIZE_IN)
        xs = range(len(items))
        width = 0.38
        b1 = ax.bar([x - width / 2 for x in xs], [float(v) for v in budget], width,
                    label="预算数", color=COLORS[0])
        b2 = ax.bar([x + width / 2 for x in xs], [float(v) for v in actual], width,
                    label="决算数", color=COLORS[1])
        for bars, vals in ((b1, budget), (b2, actual)):
            ax.bar_label(bars, labels=[fmt_amount(v) for v in vals], fontsize=8, padding=2)
        ax.set_xticks(list(xs), labels)
        ax.set_ylabel("万元")
        top = max([float(v) for v in budget + actual] + [0.0])
        ax.set_ylim(0, top * 1.2 if top > 0 else 1)
        ax.legend(frameon=False, loc="upper right")
        ax.spines[["top", "right"]].set_visible(False)
        # the title is the document's caption under the figure, not drawn twice
        return _render(fig, "three_public", title)


BUILDERS = {"income": income_chart, "expenditure": expenditure_chart,
            "three_public": three_public_chart}


def build_charts(ds: Dataset, chart_ids: Iterable[str] = CHART_IDS,
                 titles: dict[str, str] | None = None) -> list[Figure]:
    """The charts ``chart_ids`` in order; ``titles`` overrides the default captions."""
    titles = {**DEFAULT_TITLES, **(titles or {})}
    out = []
    for cid in chart_ids:
        if cid not in BUILDERS:
            raise ValueError(f"未知的图表“{cid}”：可用 {', '.join(CHART_IDS)}")
        out.append(BUILDERS[cid](ds, titles[cid]))
    return out
