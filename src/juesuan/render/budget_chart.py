"""The chart of last year's 决算 against this year's 预算 (grouped bars, 万元), CJK font via ``render.fonts``."""

from __future__ import annotations

from juesuan.audit.budget_compare import CompareRow
from juesuan.render.blocks import Figure

__all__ = ["compare_chart"]


def compare_chart(rows: list[CompareRow], title: str, left: str, right: str) -> Figure:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from juesuan.render.charts import COLORS, _check_cover, _rc, _render, chart_font

    name, path = chart_font()
    labels = [r.name for r in rows]
    _check_cover(path, [title, left, right, *labels])
    with matplotlib.rc_context(_rc(name)):
        fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.5))
        ys = range(len(rows))
        ax.barh([y - 0.2 for y in ys], [float(r.left or 0) for r in rows], height=0.4, label=left, color=COLORS[0])
        ax.barh([y + 0.2 for y in ys], [float(r.right or 0) for r in rows], height=0.4, label=right, color=COLORS[1])
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        ax.set_xlabel("万元")
        ax.set_title(title)
        ax.legend()
        return _render(fig, "compare", title)
