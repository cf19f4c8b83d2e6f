"""Charts (render/charts.py): real Chinese glyphs, PNG and self-contained SVG."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from juesuan.readers.loader import load_dataset
from juesuan.render import charts
from juesuan.render.blocks import Figure

ROOT = Path(__file__).resolve().parents[1]
DATASETS = [ROOT / "tests" / "data" / "tables_mini.yaml", ROOT / "examples" / "putuo-czj-2024",
            ROOT / "examples" / "wuhai-gxj-2023"]


def _font_or_skip():
    try:
        return charts.chart_font()
    except charts.ChartFontError as e:
        pytest.skip(f"no CJK font on this machine: {e}")


@pytest.fixture(params=DATASETS, ids=lambda p: p.name)
def dataset(request):
    if not request.param.exists():
        pytest.skip(f"example {request.param.name} not transcribed yet")
    return load_dataset(request.param)[0]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_charts_draw_every_glyph(dataset):
    _font_or_skip()
    handler = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            figures = charts.build_charts(dataset)
    finally:
        logger.removeHandler(handler)
    messages = [str(w.message) for w in caught] + handler.messages
    assert not [m for m in messages if "missing from" in m or "Glyph" in m], messages
    assert [f.chart_id for f in figures] == ["income", "expenditure", "three_public"]
    for fig in figures:
        assert isinstance(fig, Figure)
        assert fig.png.startswith(b"\x89PNG")
        assert fig.svg.lstrip().startswith("<?xml") and "<svg" in fig.svg
        assert "<text" not in fig.svg  # text drawn as paths: renders without the font


def test_font_file_covers_the_chart_text():
    _, path = _font_or_skip()
    text = "图1.收入决算图支出决算图“三公”经费预算与决算对比图一般公共预算财政拨款收入政府性基金其他收入" \
           "基本支出项目支出万元（）%因公出国（境）费公务用车购置及运行维护费公务接待费合计0123456789,."
    assert charts.missing_glyphs(path, [text]) == set()


def test_missing_glyphs_are_detected():
    _, path = _font_or_skip()
    assert charts.missing_glyphs(path, ["\U0010fffd"]) == {"\U0010fffd"}


def test_no_cjk_font_raises_a_clear_error(monkeypatch):
    charts.chart_font.cache_clear()
    monkeypatch.setattr(charts, "find_cjk_font_family", lambda kind="sans": None)
    try:
        with pytest.raises(charts.ChartFontError, match="未找到中文字体"):
            charts.chart_font()
    finally:
        charts.chart_font.cache_clear()


def test_titles_can_be_overridden():
    _font_or_skip()
    ds = load_dataset(DATASETS[0])[0]
    (fig,) = charts.build_charts(ds, ["expenditure"], titles={"expenditure": "图2. 支出决算图"})
    assert fig.title == "图2. 支出决算图"
    with pytest.raises(ValueError):
        charts.build_charts(ds, ["pie"])
