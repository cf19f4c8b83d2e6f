"""Charts as inline SVG drawn on the server: no chart library, nothing fetched, works offline.

``bars(categories, series)`` draws grouped bars (a group per category, a bar per
series) with the value over each bar; every label is escaped here, so the SVG can
be put into a page as it is.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

__all__ = ["bars"]

COLOURS = ("#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d68910", "#566573")


def bars(categories: list[str], series: list[tuple[str, list[Decimal | None]]], unit: str = "万元",
         width: int = 640, height: int = 260) -> str:
    """Grouped bars; ``series`` is (name, one value per category or None)."""
    values = [v for _, vs in series for v in vs if v is not None]
    if not categories or not values:
        return "<p class='muted'>没有可画的数字。</p>"
    top = max(max(values), Decimal(0)) or Decimal(1)
    left, bottom, right, head = 56, 40, 12, 28
    plot_w, plot_h = width - left - right, height - bottom - head
    group = plot_w / len(categories)
    bar = max(4.0, min(36.0, group * 0.8 / max(len(series), 1)))
    out = [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' role='img' class='chart'>",
           f"<text x='4' y='16' font-size='12'>单位：{escape(unit)}</text>",
           f"<line x1='{left}' y1='{head + plot_h}' x2='{width - right}' y2='{head + plot_h}' stroke='#888'/>"]
    for i, cat in enumerate(categories):
        gx = left + i * group + (group - bar * len(series)) / 2
        for j, (_, vs) in enumerate(series):
            v = vs[i] if i < len(vs) else None
            if v is None:
                continue
            h = float(max(v, Decimal(0)) / top) * plot_h
            x, y = gx + j * bar, head + plot_h - h
            out.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{bar - 2:.1f}' height='{h:.1f}' "
                       f"fill='{COLOURS[j % len(COLOURS)]}'><title>{escape(series[j][0])} {escape(cat)}："
                       f"{v:,.2f}</title></rect>")
            out.append(f"<text x='{x + bar / 2 - 1:.1f}' y='{y - 3:.1f}' font-size='9' text-anchor='middle'>"
                       f"{v:,.0f}</text>")
        out.append(f"<text x='{left + i * group + group / 2:.1f}' y='{head + plot_h + 16}' font-size='11' "
                   f"text-anchor='middle'>{escape(cat)}</text>")
    for j, (name, _) in enumerate(series):
        x = left + j * 150
        out.append(f"<rect x='{x}' y='{height - 14}' width='10' height='10' fill='{COLOURS[j % len(COLOURS)]}'/>"
                   f"<text x='{x + 14}' y='{height - 5}' font-size='11'>{escape(name[:16])}</text>")
    out.append("</svg>")
    return "".join(out)
