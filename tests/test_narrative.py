"""The narrative builder: every section of each profile, figures worded by sign, and fidelity."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from juesuan import patterns
from juesuan.profiles import list_profiles, load_profile
from juesuan.readers.yaml_io import load_yaml
from juesuan.render.blocks import Figure, Heading, Paragraph, TableBlock, Toc
from juesuan.render.narrative import build_narrative

ROOT = Path(__file__).parents[1]
SHARED = Path(__file__).parents[2] / "shared"
MINI = ROOT / "tests" / "data" / "narrative_mini.yaml"


def mini():  # noqa: ANN201
    return load_yaml(MINI)[0]


def paragraphs(blocks, key_prefix: str = "") -> list[Paragraph]:  # noqa: ANN001
    return [b for b in blocks if isinstance(b, Paragraph) and b.key.startswith(key_prefix)]


@pytest.mark.parametrize("profile", list_profiles(buildable=True))
def test_every_section_of_the_profile_is_written(profile: str) -> None:
    prof = load_profile(profile)
    blocks = build_narrative(mini(), prof)
    assert any(isinstance(b, Toc) for b in blocks)
    heads = [b.text for b in blocks if isinstance(b, Heading)]
    for part in prof.parts:
        assert any(part.title.split(" ")[0] in h for h in heads)
    for sec in prof.sections():
        assert any(sec.title.replace("{year:year}", "2023") in h for h in heads), sec.title
    for b in blocks:
        if isinstance(b, Paragraph) and b.key and b.key != "glossary":
            for key in b.key.split("+"):
                assert key.startswith(("p1.", "cover.", "contact.")) or prof.has(key), key


@pytest.mark.parametrize("profile", list_profiles(buildable=True))
def test_each_paragraph_reads_back_with_its_patterns(profile: str) -> None:
    prof = load_profile(profile)
    for p in paragraphs(build_narrative(mini(), prof)):
        keys = [k for k in p.key.split("+") if prof.has(k)]
        for k in keys:
            if k in ("then",):
                continue
            assert patterns.match(prof.patterns[k], p.text) is not None, (k, p.text)


def test_units_are_converted_and_words_follow_the_sign() -> None:
    blocks = build_narrative(mini(), "neimenggu-2023")
    first = paragraphs(blocks, "s1.total")[0].text
    # 1,239,567.89 元 = 123.96 万元; vs budget 100.00 → 增加 23.96, 增长 23.96%; vs last year 130.00 → 减少
    assert "决算总计123.96万元" in first
    assert "各增加23.96万元，增长23.96%" in first
    assert "各减少6.04万元，减少4.65%" in first
    item = paragraphs(blocks, "s5.item")[0].text
    assert "完成年初预算的123.46%" in item and "人员增加" in item


def test_shanghai_omits_zero_items_and_uses_flat_wording() -> None:
    ds = mini().model_copy(update={"profile": "shanghai-2024"})
    blocks = build_narrative(ds)
    income = paragraphs(blocks, "s2.total")[0].text
    assert "财政拨款收入123.46万元" in income and "事业收入" not in income
    assert "1239567" not in income  # no raw 元 figure


def test_hooks_place_charts_tables_and_perf_tables() -> None:
    fig = Figure("expenditure", "图2. 支出决算图")
    marker = Paragraph("TABLE t01")
    blocks = build_narrative(mini(), "neimenggu-2023", charts={"expenditure": fig}, tables={"t01": marker})
    i = blocks.index(fig)
    before = [b for b in blocks[:i] if isinstance(b, Heading)][-1]
    assert before.text.startswith("三、")
    assert marker in blocks
    units = [b for b in blocks if isinstance(b, TableBlock) and b.table.id == "units"]
    assert units and units[0].table.body[0].cells[1].value == "示例市测试局"


def test_glossary_and_contact() -> None:
    blocks = build_narrative(mini(), "neimenggu-2023")
    gl = paragraphs(blocks, "glossary")
    assert len(gl) == 18 and gl[0].bold_prefix == "一、财政拨款收入："
    assert "联系人：李四" in paragraphs(blocks, "contact.person")[0].text


# --- fidelity against the published documents ---------------------------------


def _fidelity():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("fidelity", ROOT / "benchmarks" / "fidelity.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["fidelity"] = mod
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


@pytest.mark.parametrize(("case", "floor"), [("wuhai", 0.9), ("putuo", 0.9)])
def test_fidelity(case: str, floor: float) -> None:
    fid = _fidelity()
    dataset_dir, ref, *_ = fid.CASES[case]
    if not (dataset_dir / "dataset.yaml").is_file():
        pytest.skip(f"{dataset_dir.name}/dataset.yaml not transcribed yet")
    if not ref.is_file() or not SHARED.is_dir():
        pytest.skip(f"reference text {ref.name} absent")
    res = fid.run(case)
    assert res.total > 50
    unexplained = [m for m in res.misses if m[3].startswith(("not derivable", "section not"))]
    assert res.fraction >= floor, res.misses
    assert not unexplained, unexplained


def test_fidelity_numbers_helper() -> None:
    fid = _fidelity()
    assert fid.numbers("共 4,499.46 万元，占 100.00%") == [
        ("amount", Decimal("4499.46"), "4,499.46"),
        ("pct", Decimal("100.00"), "100.00"),
    ]
