"""Tables read by their structure: the national (Ministry of Finance) template and the university one.

The central document (国家信访局 2024) prints 行次 columns, a 栏次 row of column numbers, a
basic-expenditure table of three code/name/amount groups per row and lists each page's title
after the table under it; the university document (西南大学 2023) wraps names above and below
their codes, continues tables over pages and prints “其中” columns and rows.  Every table must
read completely and add up (``tables_check.self_check``).
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal

import pytest

from juesuan.audit.document import SourceDoc, read_document
from juesuan.audit.model import Cell, Recognition, RecoveredTable, Span
from juesuan.audit.recognize import recognize
from juesuan.audit.tables import recover_tables
from juesuan.audit.tables_check import self_check
from juesuan.audit.tables_grid import fold
from tests.conftest import ROOT, shared_file

CENTRAL = "corpus/central-petition-bureau-2024-final.pdf"
SWU = "corpus/chongqing-swu-university-2023-final.pdf"
PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"
NATIONAL = ROOT / "src" / "juesuan" / "profiles" / "national.yaml"


def _recognize(doc: SourceDoc) -> Recognition:
    return recognize(doc, profile="national") if NATIONAL.exists() else recognize(doc)


_SWU_TITLES = {"高等学校收支决算总表": "t01", "高等学校收入决算表": "t02", "高等学校支出决算表": "t03",
               "高等学校财政拨款支出决算表": "t05"}


def _swu_spans(doc: SourceDoc) -> Recognition:
    """The university tables by their titles (“表 1：高等学校收支决算总表” …): the table reader is
    tested here, whatever the profiles recognise."""
    starts = []
    for i, line in enumerate(doc.lines):
        tid = _SWU_TITLES.get(re.sub(r"^表\d+[:：]", "", fold(line.text)))
        if tid and (line.page or 0) > 3 and tid not in {s[1] for s in starts}:
            starts.append((i, tid, line.text.strip()))
    out = {}
    for k, (start, tid, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else min(len(doc.lines), start + 80)
        out[tid] = Span(tid, title, start, end, doc.lines[start].location(doc.path))
    return Recognition(year=2023, tables=out)


@pytest.fixture(scope="module")
def central() -> dict[str, RecoveredTable]:
    doc = read_document(shared_file(CENTRAL))
    return recover_tables(doc, _recognize(doc))


@pytest.fixture(scope="module")
def swu() -> dict[str, RecoveredTable]:
    doc = read_document(shared_file(SWU))
    return recover_tables(doc, _swu_spans(doc))


@pytest.fixture(scope="module")
def putuo() -> dict[str, RecoveredTable]:
    doc = read_document(shared_file(PUTUO))
    return recover_tables(doc, recognize(doc))


def _row(table: RecoveredTable, key: str, side: str | None = None) -> dict[str, Cell]:
    hits = [r for r in table.rows if str((r.get("code") or r.get("row")).value) == key
            and (side is None or r["side"].value == side)]
    assert len(hits) == 1, (table.id, key, side, len(hits))
    return hits[0]


def _v(row: dict[str, Cell], key: str) -> Decimal | None:
    cell = row.get(key)
    return cell.value if cell is not None else None  # type: ignore[return-value]


def _figures(table: RecoveredTable) -> list[Decimal]:
    return [c.value for r in table.rows for k, c in r.items()
            if k not in ("code", "name", "row", "side") and isinstance(c.value, Decimal)]


# --- the central template ----------------------------------------------------------------------

def test_central_every_table_read(central):
    for tid in ("t01", "t02", "t03", "t04", "t05", "t06", "t10"):
        assert central[tid].rows and not central[tid].problems, tid
    for tid in ("t08", "t09"):
        assert "故本表无数据" in central[tid].empty_statement and not central[tid].rows, tid
    assert len([r for r in central["t02"].rows if "code" in r]) == 24
    assert len([r for r in central["t06"].rows if "code" in r]) == 81


def test_central_adds_up(central):
    for tid, table in central.items():
        if not tid.startswith("se"):
            assert self_check(table) is None, (tid, self_check(table))


def test_central_row_numbers_are_no_amounts(central):
    """行次 (1 … 64) and the 栏次 row (1 2 3 …) are never read as figures: every amount prints cents."""
    for tid in ("t01", "t02", "t03", "t04", "t05", "t06", "t10"):
        for value in _figures(central[tid]):
            assert value.as_tuple().exponent == -2, (tid, value)
    t01 = central["t01"]
    assert "amount" not in _row(t01, "gov_fund") and "amount" not in _row(t01, "203")  # printed “2”, “34”
    assert "amount" not in _row(t01, "distribution")


def test_central_t01(central):
    t01 = central["t01"]
    assert _v(_row(t01, "income_total"), "amount") == Decimal("20451.35")
    assert _v(_row(t01, "general_budget"), "amount") == Decimal("19572.91")
    assert _v(_row(t01, "other"), "amount") == Decimal("878.44")
    assert _v(_row(t01, "opening"), "amount") == Decimal("1615.24")
    assert _v(_row(t01, "total", "left"), "amount") == Decimal("22066.59")
    assert _v(_row(t01, "total", "right"), "amount") == Decimal("22066.59")
    assert _v(_row(t01, "201"), "amount") == Decimal("10685.56")
    assert _v(_row(t01, "expenditure_total"), "amount") == Decimal("14572.53")
    assert _v(_row(t01, "closing"), "amount") == Decimal("7494.06")


def test_central_t02_t03(central):
    row = _row(central["t02"], "2014001")
    assert (row["name"].value, _v(row, "total"), _v(row, "appropriation"), _v(row, "other")) == (
        "行政运行", Decimal("6000.76"), Decimal("5732.26"), Decimal("268.50"))
    assert _v(_row(central["t02"], "total"), "total") == Decimal("20451.35")
    row = _row(central["t03"], "2014099")
    assert (_v(row, "total"), _v(row, "basic"), _v(row, "project")) == (
        Decimal("1788.46"), Decimal("540.61"), Decimal("1247.85"))
    assert row["total"].location.page == 9


def test_central_t04(central):
    t04 = central["t04"]
    assert _v(_row(t04, "opening.general"), "total") == Decimal("1154.62")
    closing = _row(t04, "closing")
    assert (_v(closing, "total"), _v(closing, "general")) == (Decimal("6993.74"), Decimal("6993.74"))
    assert _v(_row(t04, "total", "left"), "total") == Decimal("20727.53")
    assert _v(_row(t04, "total", "right"), "general") == Decimal("20727.53")


def test_central_t05(central):
    t05 = central["t05"]
    total = _row(t05, "total")
    assert (_v(total, "total"), _v(total, "basic"), _v(total, "project")) == (
        Decimal("13733.80"), Decimal("10234.37"), Decimal("3499.42"))
    row = _row(t05, "2014002")
    assert (_v(row, "total"), _v(row, "project"), _v(row, "basic")) == (Decimal("4.70"), Decimal("4.70"), None)
    row = _row(t05, "2080505")
    assert (row["name"].value, _v(row, "total"), _v(row, "basic")) == (
        "机关事业单位基本养老保险缴费支出", Decimal("659.05"), Decimal("659.05"))


def test_central_basic_expenditure_three_groups(central):
    """人员经费 | 公用经费 (two groups): three code/name/amount groups per printed row."""
    t06 = central["t06"]
    assert _v(_row(t06, "30108"), "amount") == Decimal("659.05")
    assert _v(_row(t06, "302"), "amount") == Decimal("2239.41") and _row(t06, "302")["side"].value == "right"
    assert _v(_row(t06, "30217"), "amount") == Decimal("0.90")
    assert _v(_row(t06, "310"), "amount") == Decimal("27.24")
    assert _v(_row(t06, "31099"), "amount") == Decimal("2.58")
    assert _v(_row(t06, "30106"), "amount") is None
    assert _row(t06, "39908")["name"].value == "对民间非营利组织和群众性自治组织补贴"  # wrapped above and below
    assert _v(_row(t06, "personnel"), "amount") == Decimal("7967.72")
    assert _v(_row(t06, "public"), "amount") == Decimal("2266.65")
    codes = [str(r["code"].value) for r in t06.rows if "code" in r]
    assert all(re.fullmatch(r"3\d\d(\d\d)?", c) for c in codes) and len(set(codes)) == len(codes)


def test_central_three_public(central):
    (row,) = central["t10"].rows
    assert _v(row, "budget.total") == Decimal("76.43") and _v(row, "budget.abroad") == Decimal("30.00")
    assert _v(row, "budget.vehicle_operation") == Decimal("40.63") and "budget.vehicle_purchase" not in row
    assert _v(row, "actual.total") == Decimal("46.21") and _v(row, "actual.reception") == Decimal("0.90")


# --- self_check catches a misread ----------------------------------------------------------------

def _altered(tables: dict[str, RecoveredTable], tid: str, key: str, col: str, value: str,
             side: str | None = None) -> RecoveredTable:
    table = copy.deepcopy(tables[tid])
    row = _row(table, key, side)
    row[col] = Cell(Decimal(value), row[col].location if col in row else row["name"].location)
    return table


def test_self_check_row_total(central):
    why = self_check(_altered(central, "t05", "2080505", "total", "34.00"))
    assert why == "“2080505 机关事业单位基本养老保险缴费支出”行：合计 34.00 ≠ 各列之和 659.05"


def test_self_check_hierarchy(central):
    why = self_check(_altered(central, "t02", "2014004", "appropriation", "2124.27"))  # two digits swapped
    assert why is not None and why.startswith("“2014004 信访业务”行")
    table = _altered(central, "t03", "2210202", "total", "36.52")  # the row agrees with itself, not with its 款
    table = _altered({"t03": table}, "t03", "2210202", "basic", "36.52")
    assert self_check(table) == "“22102 住房改革支出”行：合计 980.85 ≠ 各项之和 953.84"
    why = self_check(_altered(central, "t03", "201", "basic", "7366.61"))
    assert why == "“201 一般公共服务支出”行：合计 10,685.56 ≠ 各列之和 10,686.00"
    table = _altered(central, "t03", "total", "total", "14575.23", None)
    assert self_check(table) is not None


def test_self_check_rounding_is_no_failure(central):
    """Within rounding: parts may sum to a total off by a few 0.01 (each printed figure ±0.005)."""
    table = _altered(central, "t05", "2014099", "basic", "540.62")
    assert self_check(table) is None  # 540.62 + 1,247.85 vs 1,788.46: 0.01 apart, within tolerance
    table = _altered(central, "t05", "2014099", "basic", "540.64")
    assert self_check(table) == "“2014099 其他信访事务支出”行：合计 1,788.46 ≠ 各列之和 1,788.49"


def test_self_check_econ_and_summary_tables(central):
    why = self_check(_altered(central, "t06", "30101", "amount", "1875.40"))
    assert why is not None and why.startswith("“301 工资福利支出”行")
    why = self_check(_altered(central, "t06", "public", "amount", "2266.95"))
    assert why is not None and "公用经费合计" in why
    why = self_check(_altered(central, "t01", "general_budget", "amount", "19752.91"))
    assert why is not None and why.startswith("“本年收入合计”行")
    why = self_check(_altered(central, "t01", "total", "amount", "22066.95", "right"))
    assert why is not None and "总计" in why
    why = self_check(_altered(central, "t04", "201", "general", "9846.28"))
    assert why is not None and "一般公共服务支出" in why
    why = self_check(_altered(central, "t10", "amounts", "actual.abroad", "4.96"))
    assert why is not None and "决算数" in why


def test_self_check_absent_rows_are_no_failure(central):
    table = copy.deepcopy(central["t02"])
    table.rows = [r for r in table.rows if not (r.get("code") and len(str(r["code"].value)) == 7)]
    assert self_check(table) is None  # no 项 printed: the 款 stand alone
    table = copy.deepcopy(central["t06"])
    table.rows = [r for r in table.rows if "code" in r]
    assert self_check(table) is None


# --- the university template ---------------------------------------------------------------------

def test_university_tables_read_and_add_up(swu):
    assert set(swu) >= {"t01", "t02", "t03", "t05"}
    for tid in ("t01", "t02", "t03", "t05"):
        assert swu[tid].rows and not swu[tid].problems, tid
        assert self_check(swu[tid]) is None, (tid, self_check(swu[tid]))


def test_university_t01_over_two_pages(swu):
    t01 = swu["t01"]
    assert _v(_row(t01, "appropriation"), "amount") == Decimal("243015.38")
    assert _v(_row(t01, "of.gov_fund"), "amount") == Decimal("109.50")  # “其中”: not a term of the sum
    assert _v(_row(t01, "income_total"), "amount") == Decimal("430725.03")
    assert _v(_row(t01, "opening"), "amount") == Decimal("93660.54")  # 上年结转和结余
    assert _v(_row(t01, "221"), "amount") == Decimal("16278.27")  # on the second page
    assert _v(_row(t01, "total", "left"), "amount") == Decimal("569496.54")  # printed 合计


def test_university_wrapped_names_and_part_columns(swu):
    t02 = swu["t02"]
    row = _row(t02, "2080505")  # “机关事业单位基本” above the code, “养老保险缴费支出” below
    assert row["name"].value == "机关事业单位基本养老保险缴费支出"
    assert _row(t02, "20805")["name"].value == "行政事业单位养老支出"
    assert _v(_row(t02, "205"), "business") == Decimal("136385.24")  # not its “其中：教育收费” 73,648.19
    assert _v(_row(t02, "total"), "total") == Decimal("430725.03")  # the 合计 row under the table
    row = _row(swu["t05"], "2060204")  # “小计” under 项目支出 is the project column
    assert (_v(row, "total"), _v(row, "project"), _v(row, "basic")) == (Decimal("1707.93"), Decimal("1707.93"), None)
    assert [r["name"].value for r in swu["t05"].rows if "code" not in r] == ["合计", "合计"]


# --- Putuo still adds up -----------------------------------------------------------------------

def test_putuo_adds_up(putuo):
    for tid, table in putuo.items():
        if not tid.startswith("se"):
            assert self_check(table) is None, (tid, self_check(table))
    assert _v(_row(putuo["t04"], "opening.gov_fund"), "total") is None  # a label wrapped in its row
