"""The built-in code lists: the codes of the real documents, the loader, user lists."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources
from pathlib import Path

import pytest

from juesuan.readers.errors import InputError
from juesuan.refdata import (
    available_years,
    changes,
    load_code_list,
    nearest_year,
    normalise_name,
    same_name,
)
from tests.conftest import shared_file

# The seed (乌海市工业和信息化局 2023) prints these names; the codes are the standard ones.
SEED_2023 = {
    "201": "一般公共服务支出", "20129": "群众团体事务", "2012999": "其他群众团体事务支出",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080501": "行政单位离退休",
    "2080502": "事业单位离退休", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出", "210": "卫生健康支出", "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗", "2101102": "事业单位医疗", "211": "节能环保支出",
    "21110": "能源节约利用", "2111001": "能源节约利用", "215": "资源勘探工业信息等支出",
    "21505": "工业和信息产业监管", "2150502": "一般行政管理事务", "2150517": "产业发展",
    "21508": "支持中小企业发展和管理支出", "2150801": "行政运行", "2150802": "一般行政管理事务",
    "2150803": "机关服务", "2150805": "中小企业发展专项",
    "2150899": "其他支持中小企业发展和管理支出", "221": "住房保障支出", "22102": "住房改革支出",
    "2210201": "住房公积金", "229": "其他支出", "22999": "其他支出", "2299901": "其他支出",
}
SEED_ECON_2023 = {
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金",
    "30106": "伙食补助费", "30107": "绩效工资", "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费", "30112": "其他社会保障缴费",
    "30113": "住房公积金", "30199": "其他工资福利支出", "303": "对个人和家庭的补助",
    "30302": "退休费", "30304": "抚恤金", "30305": "生活补助",
    "30399": "其他对个人和家庭的补助支出",  # as the seed prints it
    "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费", "30203": "咨询费",
    "30204": "手续费", "30206": "电费", "30207": "邮电费", "30209": "物业管理费",
    "30211": "差旅费", "30213": "维修（护）费", "30216": "培训费", "30217": "公务接待费",
    "30226": "劳务费", "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费",
    "30239": "其他交通费用", "30299": "其他商品和服务支出", "310": "资本性支出",
    "31002": "办公设备购置", "312": "对企业补助", "31204": "费用补贴",
}
# Codes and names printed in the Shanghai 2024 documents (template T, Putuo P1–P3).
SHANGHAI_FUNC_2024 = {
    "201": "一般公共服务支出", "20106": "财政事务", "2010601": "行政运行",
    "2010602": "一般行政管理事务", "2010607": "信息化建设", "2010608": "财政委托业务支出",
    "20139": "社会工作事务", "2013901": "行政运行", "2013950": "事业运行",
    "2013999": "其他社会工作事务支出", "205": "教育支出", "20502": "普通教育",
    "2050205": "高等教育", "207": "文化旅游体育与传媒支出", "20799": "其他文化旅游体育与传媒支出",
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "2080501": "行政单位离退休",
    "2080502": "事业单位离退休", "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出", "2080599": "其他行政事业单位养老支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗", "2101101": "行政单位医疗",
    "2101102": "事业单位医疗", "212": "城乡社区支出", "21201": "城乡社区管理事务",
    "2120101": "行政运行", "21202": "城乡社区规划与管理", "2120201": "城乡社区规划与管理",
    "220": "自然资源海洋气象等支出", "22001": "自然资源事务", "2200150": "事业运行",
    "2200199": "其他自然资源事务支出", "221": "住房保障支出", "22102": "住房改革支出",
    "2210201": "住房公积金", "2210203": "购房补贴",
}
ALL_CLASSES = {
    "201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213",
    "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "227", "229", "230",
    "231", "232", "233", "234",
}
ECON_CLASSES = {"301", "302", "303", "307", "309", "310", "311", "312", "313", "399"}


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("juesuan.refdata").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("code,name", sorted(SEED_2023.items()))
def test_seed_function_codes(code: str, name: str) -> None:
    codes = load_code_list("func", 2023)
    assert code in codes
    assert same_name(name, codes.name(code) or "")


@pytest.mark.parametrize("code,name", sorted(SEED_ECON_2023.items()))
def test_seed_econ_codes(code: str, name: str) -> None:
    codes = load_code_list("econ", 2023)
    assert code in codes
    assert same_name(name, codes.name(code) or "")


@pytest.mark.parametrize("code,name", sorted(SHANGHAI_FUNC_2024.items()))
def test_shanghai_function_codes(code: str, name: str) -> None:
    assert load_code_list("func", 2024).name(code) == name


def test_shanghai_econ_codes_from_template() -> None:
    """Every 款 of the template's 基本支出 table is in the 2024 econ list with its name."""
    codes = load_code_list("econ", 2024)
    t_rows = [r for r in _data_rows("econ_2024.csv") if "T" in r["source"].split("+")]
    assert len(t_rows) >= 60
    for row in t_rows:
        assert codes.name(row["code"]) == row["name"]


def test_shanghai_text_codes_are_listed() -> None:
    """Codes printed with a name in the template text are all known (names may be cut there)."""
    text = shared_file("reference/text/shanghai-2024-juesuan-template.txt").read_text(encoding="utf-8")
    pairs = re.findall(r"(?<![\d.])([23]\d{2}(?:\d{2}){0,2})(?![\d.])\s+[\u4e00-\u9fff]", text)
    assert len(pairs) > 40
    func, econ = load_code_list("func", 2024), load_code_list("econ", 2024)
    for code in pairs:
        assert code in (func if code.startswith("2") else econ), code


YEARS = list(range(2019, 2027))
DATA_FILES = [f"{kind}_{year}.csv" for kind in ("func", "econ") for year in YEARS]


@pytest.mark.parametrize("year", YEARS)
def test_all_classes_present(year: int) -> None:
    func, econ = load_code_list("func", year), load_code_list("econ", year)
    expected = ALL_CLASSES if year >= 2020 else ALL_CLASSES - {"234"}  # 234 set up in 2020
    assert expected <= {e.code for e in func if e.level == "类"}
    assert ECON_CLASSES <= {e.code for e in econ if e.level == "类"}
    for code in ("30211", "30212", "30216", "30217", "30226", "30227", "30228", "30229",
                 "30231", "30239", "30299", "30302", "30304", "30305", "31002", "31013", "31204"):
        assert code in econ


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_files_are_consistent(name: str) -> None:
    rows = _data_rows(name)
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    documented = (Path(str(resources.files("juesuan.refdata"))) / "data" / "SOURCES.md").read_text(
        encoding="utf-8")
    for r in rows:
        assert r["level"] == {3: "类", 5: "款", 7: "项"}[len(r["code"])]
        assert r["parent"] == {3: "", 5: r["code"][:3], 7: r["code"][:5]}[len(r["code"])]
        assert not r["parent"] or r["parent"] in codes, r
        assert r["name"].strip() == r["name"] and r["name"]
        assert "其他其他" not in r["name"], r
        for tag in r["source"].split("+"):
            assert f"| `{tag}` |" in documented, tag


def test_econ_kind_split() -> None:
    econ = load_code_list("econ", 2024)
    assert econ.get("30113").kind == "人员经费"
    assert econ.get("30302").kind == "人员经费"
    assert econ.get("30231").kind == "公用经费"
    assert econ.get("31002").kind == "公用经费"
    assert econ.get("31204").kind == ""


def test_hierarchy_and_lookup() -> None:
    codes = load_code_list("func", 2023)
    assert [e.code for e in codes.children("21508")] == [
        "2150801", "2150802", "2150803", "2150804", "2150805", "2150899"]
    assert codes.parent("2150805").code == "21508"
    assert codes.parent("215").__class__ is type(None)
    assert codes.get("9999999") is None and "9999999" not in codes
    assert [e.code for e in codes.find_by_name("机关服务", "21508")] == ["2150803"]


def test_year_differences() -> None:
    assert "20139" not in load_code_list("func", 2023)
    assert "20139" in load_code_list("func", 2024)
    added = {c.code for c in changes("func", 2024, since=2023) if c.change == "added"}
    assert added == {"20139", "20140", "22006"}
    renamed = [c for c in changes("func", 2024) if c.change == "renamed"]
    assert [(c.code, c.old_name, c.new_name) for c in renamed] == [
        ("20805", "行政事业单位离退休", "行政事业单位养老支出"),
        ("2080599", "其他行政事业单位离退休支出", "其他行政事业单位养老支出")]
    assert changes("func", 2023, since=2023) == ()


def test_nearest_year() -> None:
    assert available_years("func") == tuple(YEARS)
    assert available_years("econ") == tuple(YEARS)
    assert nearest_year("func", 2025) == 2025
    assert nearest_year("econ", 2015) == 2019
    assert nearest_year("func", 2030) == 2026
    later = load_code_list("func", 2028)
    assert later.year == 2026 and later.requested_year == 2028 and later.fallback
    earlier = load_code_list("econ", 2017)
    assert earlier.year == 2019 and earlier.requested_year == 2017 and earlier.fallback
    exact = load_code_list("func", 2021)
    assert exact.year == exact.requested_year == 2021 and not exact.fallback


@pytest.mark.parametrize("year", YEARS)
def test_every_year_loads(year: int) -> None:
    func, econ = load_code_list("func", year), load_code_list("econ", year)
    assert func.year == econ.year == year and not func.fallback
    assert len(func) > 700 and len(econ) > 100
    for codes in (func, econ):
        for entry in codes:
            assert not entry.parent or entry.parent in codes, entry


# Codes and names printed in the real documents of each year (shared/corpus, samples).
PRINTED = {
    2019: {  # Jiangsu provincial budgets (NPC standing committee, procuratorate, high court)
        "20101": "人大事务", "2010104": "人大会议", "2010105": "人大立法",
        "2010107": "人大代表履职能力提升", "2010109": "人大信访工作", "2010199": "其他人大事务支出",
        "20404": "检察", "2040410": "检察监督", "2040504": "案件审判", "2040505": "案件执行",
        "20805": "行政事业单位离退休", "2080504": "未归口管理的行政单位离退休",
    },
    2021: {"2050602": "来华留学教育", "2060201": "机构运行", "2060204": "实验室及相关设施",
           "2059999": "其他教育支出"},
    2023: {"2050699": "其他留学教育支出", "2059999": "其他教育支出"},
    2024: {"20140": "信访事务", "2014001": "行政运行", "2014002": "一般行政管理事务",
           "2014003": "机关服务", "2014004": "信访业务", "2014099": "其他信访事务支出",
           "2050803": "培训支出", "2080503": "离退休人员管理机构"},
    2026: {"20141": "数据事务", "2014101": "行政运行", "2014199": "其他数据事务支出",
           "2014050": "事业运行", "21598": "超长期特别国债安排的支出", "2159802": "制造业",
           "2013699": "其他共产党事务支出", "2019999": "其他一般公共服务支出",
           "2069999": "其他科学技术支出", "2089999": "其他社会保障和就业支出",
           "21208": "国有土地使用权出让收入安排的支出", "2120803": "城市建设支出",
           "2140104": "公路建设", "2140106": "公路养护", "2149901": "公共交通运营补助",
           "2010507": "专项普查活动", "2010805": "审计管理", "2011308": "招商引资"},
}


@pytest.mark.parametrize("year,code,name", sorted(
    (y, c, n) for y, d in PRINTED.items() for c, n in d.items()))
def test_printed_codes_of_the_year(year: int, code: str, name: str) -> None:
    codes = load_code_list("func", year)
    assert codes.name(code) == name
    tags = codes.get(code).source.split("+")
    assert "M" not in tags  # a document of that year confirms it


def test_petition_items_under_their_class_in_2024() -> None:
    codes = load_code_list("func", 2024)
    assert codes.parent("2014001").code == "20140"
    assert codes.parent("2014001").name == "信访事务"
    assert codes.parent("20140").code == "201"
    assert {"2014001", "2014002", "2014003", "2014004", "2014099"} <= {
        e.code for e in codes.children("20140")}


@pytest.mark.parametrize("code,first", [
    ("234", 2020), ("20139", 2024), ("20140", 2024), ("2014001", 2024), ("22006", 2024),
    ("2170404", 2025), ("22911", 2025), ("23107", 2025), ("20141", 2026), ("21598", 2026),
])
def test_added_codes_only_from_their_year(code: str, first: int) -> None:
    for year in YEARS:
        assert (code in load_code_list("func", year)) == (year >= first), (code, year)
    recorded = {c.code: c for c in changes("func", 2026) if c.change == "added"}
    if code in recorded:
        assert recorded[code].year_to == first


def test_renamed_code_has_each_years_name() -> None:
    for year in YEARS:
        name = load_code_list("func", year).name("20805")
        assert name == ("行政事业单位离退休" if year < 2020 else "行政事业单位养老支出"), year


def test_no_other_other_names() -> None:
    for year in YEARS:
        for kind in ("func", "econ"):
            assert not [e.code for e in load_code_list(kind, year) if "其他其他" in e.name]


def test_every_change_matches_the_lists() -> None:
    for c in changes("func", 2026):
        after = load_code_list("func", c.year_to)
        assert c.code in after
        if c.change == "renamed":
            assert after.name(c.code) == c.new_name
            assert load_code_list("func", c.year_to - 1).name(c.code) == c.old_name
        if c.change == "added" and c.year_to - 1 >= 2019:
            assert c.code not in load_code_list("func", c.year_to - 1)


def test_sources_counts_are_documented() -> None:
    """SOURCES.md states, for each year and kind, the row count that the file has."""
    documented = (Path(str(resources.files("juesuan.refdata"))) / "data" / "SOURCES.md").read_text(
        encoding="utf-8")
    for year in YEARS:
        for kind in ("func", "econ"):
            rows = _data_rows(f"{kind}_{year}.csv")
            assert f"| {year} | {kind} | {len(rows)} |" in documented, (year, kind)


def test_loads_are_cached() -> None:
    assert load_code_list("func", 2024) is load_code_list("func", 2024)


@pytest.mark.parametrize("written,listed", [
    ("群众团体事务（款）", "群众团体事务"),
    ("维修(护)费", "维修（护）费"),
    ("一般公共服务支出 (类)", "一般公共服务支出"),
    ("行政 运行", "行政运行"),
    ("其他对个人和家庭的补助支出", "其他对个人和家庭的补助"),
])
def test_same_name(written: str, listed: str) -> None:
    assert same_name(written, listed)


def test_different_names() -> None:
    assert not same_name("行政运行", "事业运行")
    assert not same_name("支出", "")
    assert normalise_name("因公出国（境）费用") == "因公出国(境)费用"


# --------------------------------------------------------------------------- user lists


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "my.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_user_list_adds_and_overrides(tmp_path: Path) -> None:
    path = _write(tmp_path, "code,name\n2089901,其他社会保障和就业支出\n2150805,中小企业发展专项资金\n"
                            "30230,本地公用经费\n")
    func = load_code_list("func", 2023, [path])
    assert func.name("2089901") == "其他社会保障和就业支出"
    assert func.get("2089901").source == "U:my.csv" and func.get("2089901").parent == "20899"
    assert func.name("2150805") == "中小企业发展专项资金"
    assert "30230" not in func
    assert load_code_list("econ", 2023, [str(path)]).name("30230") == "本地公用经费"
    assert "2089901" not in load_code_list("func", 2023)  # the built-in list is untouched


def test_user_list_chinese_header_gbk_and_kind(tmp_path: Path) -> None:
    path = _write(tmp_path, "科目编码,科目名称,kind\n2139901,化解其他公益性乡村债务支出,func\n\n",
                  encoding="gbk")
    assert load_code_list("func", 2024, [path]).name("2139901") == "化解其他公益性乡村债务支出"


@pytest.mark.parametrize("text,line,words", [
    ("code,name\n2010101,行政运行\n20101x,人大事务\n", 3, "应全部为数字"),
    ("code,name\n201010,行政运行\n", 2, "3、5 或 7 位"),
    ("code,name\n2010101,\n", 2, "名称为空"),
    ("code,name\n1010101,税收收入\n", 2, "无法判断"),
    ("code,name\n302011,办公费\n", 2, "3 或 5 位"),
    ("编码,说明\n2010101,行政运行\n", 1, "缺少 name"),
])
def test_bad_user_list(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = _write(tmp_path, text, name=f"bad{line}.csv")
    with pytest.raises(InputError) as info:
        load_code_list("func", 2023, [path])
    message = info.value.describe()
    assert str(path) in message and f"第 {line} 行" in message and words in message
    assert info.value.problems[0][1].line == line


def test_bad_user_list_reports_every_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "code,name\nabc,x\n2010101,行政运行\n99,y\n")
    with pytest.raises(InputError) as info:
        load_code_list("econ", 2023, [path])
    assert [loc.line for _msg, loc in info.value.problems] == [2, 4]
    assert "另有 1 处错误" in info.value.message


def test_missing_user_list(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到"):
        load_code_list("func", 2023, [tmp_path / "none.csv"])


def test_undecodable_user_list(tmp_path: Path) -> None:
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\xff" * 3)
    with pytest.raises(InputError, match="UTF-8 或 GBK"):
        load_code_list("func", 2023, [path])
