"""The standard tables and the self-evaluation tables (render/tables*.py, perf_tables.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from juesuan.readers.loader import load_dataset
from juesuan.render.blocks import Row, TableView
from juesuan.render.perf_tables import build_perf_tables
from juesuan.render.tables import DEFAULT_SPECS, build_tables
from juesuan.render.tables_common import TableSpec

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "tables_mini.yaml"
PUTUO = ROOT / "examples" / "putuo-czj-2024"
WUHAI = ROOT / "examples" / "wuhai-gxj-2023"
ALL = [s.id for s in DEFAULT_SPECS]

D = Decimal


def load(path: Path):
    if not path.exists():
        pytest.skip(f"example {path.name} not transcribed yet")
    return load_dataset(path)[0]


def grid_widths(rows: tuple[Row, ...]) -> list[int]:
    """Columns each row covers, counting cells merged in from rows above."""
    carry: dict[int, int] = {}  # row offset -> columns still covered there
    widths = []
    for k, row in enumerate(rows):
        widths.append(sum(c.colspan for c in row.cells) + carry.pop(k, 0))
        for c in row.cells:
            for dr in range(1, c.rowspan):
                carry[k + dr] = carry.get(k + dr, 0) + c.colspan
    return widths


def assert_grid(table: TableView) -> None:
    n = table.columns
    assert grid_widths(table.header) == [n] * len(table.header), table.id
    assert grid_widths(table.body) == [n] * len(table.body), table.id


def by_text(table: TableView) -> dict[str, list[Decimal]]:
    """Row key (codes joined, else the first text) -> the amounts printed, blanks dropped."""
    out = {}
    for row in table.body:
        texts = [c.value for c in row.cells if isinstance(c.value, str) and c.value]
        codes = [t for t in texts if t.isdigit()]
        key = "".join(codes) if codes else (texts[0] if texts else "")
        out.setdefault(key, [c.value for c in row.cells if isinstance(c.value, Decimal)])
    return out


# --- the small dataset ------------------------------------------------------


@pytest.fixture(scope="module")
def mini():
    return load_dataset(MINI)[0]


@pytest.fixture(scope="module")
def mini_tables(mini):
    return {t.id: t for t in build_tables(mini, ALL, "测试市测试局")}


def test_every_table_is_built_with_a_consistent_grid(mini_tables):
    assert list(mini_tables) == ALL
    for t in mini_tables.values():
        assert_grid(t)
        assert t.unit_label == "单位：万元"
        assert t.org == "测试市测试局"
        assert t.note.startswith("注：")


def test_amounts_are_converted_to_wan_and_rounded(mini_tables):
    rows = by_text(mini_tables["t03"])
    assert rows["合计"][:3] == [D("281.23"), D("230.00"), D("51.23")]
    assert rows["2010101"] == [D("151.23"), D("150.00"), D("1.23")]
    assert rows["201"][0] == D("171.23")


def test_t01_sides_and_totals(mini_tables):
    rows = by_text(mini_tables["t01"])
    assert rows["本年收入合计"] == [D("281.23"), D("281.23")]
    assert rows["总计"] == [D("286.23"), D("286.23")]
    assert rows["一、一般公共预算财政拨款收入"] == [D("250.00"), D("171.23")]


def test_t04_splits_budget_kinds(mini_tables):
    rows = by_text(mini_tables["t04"])
    assert rows["本年收入合计"] == [D("280.00"), D("280.00"), D("250.00"), D("30.00")]
    assert rows["总计"] == [D("285.00"), D("285.00"), D("255.00"), D("30.00")]


def test_class_and_kuan_names_come_from_data_or_code_list(mini_tables):
    names = {r.cells[0].value + (r.cells[1].value or ""): r.cells[3].value
             for r in mini_tables["t03"].body if r.kind in ("class", "kuan")}
    assert names["201"] == "一般公共服务支出"
    assert names["20101"] == "人大事务"
    assert names["21208"] == "国有土地使用权出让收入安排的支出"


def test_t06_blocks_and_footer(mini_tables):
    t = mini_tables["t06"]
    left = {(r.cells[0].value, r.cells[1].value): r.cells[3].value for r in t.body}
    assert left[("301", None)] == D("200.00")
    assert left[("303", "02")] == D("10.00")
    foot = t.body[-1].cells
    assert (foot[0].value, foot[1].value, foot[2].value, foot[3].value) == (
        "人员经费合计", D("210.00"), "公用经费合计", D("20.00"))


def test_t07_lists_only_items_with_data(mini_tables):
    rows = by_text(mini_tables["t07"])
    assert rows["302"] == [D("21.23")]
    assert rows["合计"] == [D("21.23")]
    assert "301" not in rows


def test_empty_tables_carry_their_statement(mini_tables):
    assert mini_tables["t09"].empty_statement == "本部门本年度无国有资本经营预算财政拨款收支，故本表无数据。"
    assert mini_tables["t08"].empty_statement == ""
    assert by_text(mini_tables["t08"])["合计"] == [D("30.00"), D("30.00"), D("30.00")]


def test_t10_budget_actual_pairs_and_counts(mini):
    spec = TableSpec(id="t10", number="公开10表", options={"counts": True})
    (t,) = build_tables(mini, ["t10"], "测试市测试局", specs=[spec])
    assert_grid(t)
    values = [c.value for c in t.body[0].cells]
    assert values == [D("4.50"), D("3.00"), None, None, D("3.00"), D("2.00"), None, None,
                      D("3.00"), D("2.00"), D("1.50"), D("1.00")]
    counts = [c.value for r in t.body[1:] for c in r.cells if isinstance(c.value, int)]
    assert counts == [0, 0, 0, 2, 3, 12, 0, 0]


def test_t11_information_table(mini_tables):
    rows = by_text(mini_tables["t11"])
    assert rows["政府采购支出总额"] == [D("15.00")]
    assert rows["机构运行经费支出"] == [D("20.00")]
    held = [r for r in mini_tables["t11"].body if r.cells[0].value == "车辆合计"][0]
    assert held.cells[2].value == 2


def test_profile_specs_set_number_title_and_note(mini):
    specs = [{"id": "t06", "number": "表六", "title": "一般公共预算财政拨款基本支出决算表",
              "note": "注：自定义。"}]
    (t,) = build_tables(mini, None, "", specs=specs)
    assert (t.number, t.title, t.note, t.org) == ("表六", "一般公共预算财政拨款基本支出决算表",
                                                  "注：自定义。", "测试市测试局")


def test_unknown_table_id_is_refused(mini):
    with pytest.raises(ValueError, match="t99"):
        build_tables(mini, ["t99"], "x")


# --- Putuo 2024: the printed figures ------------------------------------------

PUTUO_T01 = {
    "一、一般公共预算财政拨款收入": ["2940.05", "2106.66"],
    "八、其他收入": ["6.20", "326.71"],
    "本年收入合计": ["2946.25", "2940.05"],
    "年初结转和结余": ["49.14", "55.34"],
    "总计": ["2995.39", "2995.39"],
}
PUTUO_T02 = {
    "合计": ["2946.25", "2940.05", "6.20"],
    "201": ["2112.86", "2106.66", "6.20"],
    "20106": ["2112.86", "2106.66", "6.20"],
    "2010601": ["1511.90", "1511.89", "0.01"],
    "2010602": ["16.19", "10.00", "6.19"],
    "2010607": ["135.25", "135.25"],
    "2010608": ["449.52", "449.52"],
    "208": ["326.72", "326.72"],
    "2080505": ["160.75", "160.75"],
    "2080599": ["0.94", "0.94"],
    "2101101": ["60.99", "60.99"],
    "221": ["445.69", "445.69"],
    "2210203": ["258.50", "258.50"],
}
PUTUO_T03 = {
    "合计": ["2940.05", "2336.91", "603.14"],
    "201": ["2106.66", "1503.52", "603.14"],
    "2010601": ["1511.89", "1503.52", "8.37"],
    "2010602": ["10.00", "10.00"],
    "208": ["326.72", "326.72"],
    "20805": ["326.72", "326.72"],
    "2080501": ["84.65", "84.65"],
    "2080506": ["80.38", "80.38"],
    "210": ["60.99", "60.99"],
    "22102": ["445.69", "445.69"],
    "2210201": ["187.19", "187.19"],
}
PUTUO_T04 = {
    "一、一般公共预算财政拨款": ["2940.05", "2106.66", "2106.66"],
    "本年收入合计": ["2940.05", "2940.05", "2940.05"],
    "年初财政拨款结转和结余": ["21.63", "21.63", "21.63"],
    "总计": ["2961.68", "2961.68", "2961.68"],
}
PUTUO_T04_CLASSES = {"八、社会保障和就业支出": ["326.71", "326.71"],
                     "九、卫生健康支出": ["60.99", "60.99"],
                     "十九、住房保障支出": ["445.69", "445.69"]}
PUTUO_T06 = {
    ("301", None): "2082.85", ("301", "01"): "262.33", ("301", "02"): "1238.58",
    ("301", "08"): "160.75", ("301", "13"): "187.19", ("301", "99"): "91.03",
    ("303", None): "69.41", ("303", "02"): "69.10", ("303", "09"): "0.31",
    ("302", None): "171.07", ("302", "01"): "21.21", ("302", "28"): "24.42",
    ("302", "29"): "42.77", ("302", "39"): "48.49", ("302", "99"): "11.53",
    ("310", None): "13.58", ("310", "02"): "13.58",
}


@pytest.fixture(scope="module")
def putuo_tables():
    ds = load(PUTUO)
    return {t.id: t for t in build_tables(ds, ALL, ds.department.name)}


def _expect(rows: dict[str, list[Decimal]], expected: dict[str, list[str]]) -> None:
    for key, values in expected.items():
        assert rows[key] == [D(v) for v in values], key


@pytest.mark.parametrize("tid, expected", [
    ("t01", PUTUO_T01), ("t02", PUTUO_T02), ("t03", PUTUO_T03), ("t04", PUTUO_T04),
    ("t05", {k: v for k, v in PUTUO_T03.items()}),
])
def test_putuo_figures_match_the_printed_tables(putuo_tables, tid, expected):
    rows = by_text(putuo_tables[tid])
    _expect(rows, expected)
    assert_grid(putuo_tables[tid])


def test_putuo_t04_class_rows(putuo_tables):
    rows = {r.cells[2].value: [c.value for c in r.cells if isinstance(c.value, Decimal)]
            for r in putuo_tables["t04"].body}
    for label, values in PUTUO_T04_CLASSES.items():
        assert rows[label] == [D(v) for v in values]


def test_putuo_t06_both_blocks(putuo_tables):
    t = putuo_tables["t06"]
    printed = {}
    for r in t.body[:-1]:
        for block in (r.cells[:4], r.cells[4:]):
            if block[0].value:
                printed[(block[0].value, block[1].value)] = block[3].value
    for key, value in PUTUO_T06.items():
        assert printed[key] == D(value), key
    assert printed[("301", "03")] is None  # blank 款 rows of the template are kept, blank
    foot = t.body[-1].cells
    assert (foot[1].value, foot[3].value) == (D("2152.26"), D("184.65"))


def test_putuo_empty_fund_tables_print_the_published_note(putuo_tables):
    assert putuo_tables["t08"].empty_statement == "注：上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据。"
    assert "本表无数据" in putuo_tables["t09"].empty_statement


def test_putuo_three_public(putuo_tables):
    values = [c.value for c in putuo_tables["t10"].body[0].cells]
    assert values[0] == D("0.95") and values[10] == D("0.95")
    assert [v for i, v in enumerate(values) if i not in (0, 10)] == [None] * 10


# --- Wuhai 2023: the self-evaluation tables -------------------------------------

def test_wuhai_tables_build(tmp_path):
    ds = load(WUHAI)
    for t in build_tables(ds, ALL):
        assert_grid(t)


def test_wuhai_self_evaluation_tables():
    ds = load(WUHAI)
    tables = build_perf_tables(ds.performance.self_evaluations, ds.year)
    assert [t.body[-1].cells[2].value for t in tables] == [
        D("96.71"), D("95.86"), D("96.10"), D("92.28"), D("96.47")]
    for t in tables:
        assert_grid(t)
        assert t.title.endswith("项目支出绩效自评表（2023年度）")
    first = tables[0]
    funds = [r for r in first.body if r.cells[0].value == "年度资金总额"][0]
    assert [c.value for c in funds.cells[1:]] == [D("50.00"), D("50.00"), D("49.32"), D(10),
                                                   D("98.64"), D("9.86")]
    level1 = [c for r in first.body for c in r.cells if c.value == "产出指标"][0]
    assert level1.rowspan == 15


def test_self_evaluation_computes_a_missing_score():
    ds = load(WUHAI)
    ev = ds.performance.self_evaluations[0]
    blank = ev.model_copy(update={
        "indicators": [i.model_copy(update={"score": None}) for i in ev.indicators],
        "funds_score": None, "total_score": None})
    (t,) = build_perf_tables([blank], 2023)
    assert t.body[-1].cells[2].value == D("96.71")
