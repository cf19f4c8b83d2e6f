"""The code rules: each fires on a crafted dataset and stays quiet on a valid one."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from juesuan.model.accounts import Dataset
from juesuan.model.findings import Finding, Severity
from juesuan.rules.engine import Context, Options, run_rules
from juesuan.rules.registry import get_rule

RULES = ("codes.", "econ.")

VALID: dict[str, Any] = {
    "year": 2023,
    "department": {"name": "测试局"},
    "expenditure": [
        {"code": "215", "name": "资源勘探工业信息等支出（类）", "basic": "432.47", "project": "145.00"},
        {"code": "21508", "name": "支持中小企业发展和管理支出", "basic": "432.47", "project": "145.00"},
        {"code": "2150801", "name": "行政运行", "basic": "432.47"},
        {"code": "2150805", "name": "中小企业发展专项", "project": "145.00"},
        {"code": "2080505", "name": "机关事业单位基本养老保险缴费支出", "basic": "79.05"},
        {"code": "2299901", "name": "其他支出", "project": "3.78"},
    ],
    "basic_econ": [
        {"code": "301", "name": "工资福利支出", "amount": "79.05"},
        {"code": "30108", "name": "机关事业单位基本养老保险缴费", "amount": "79.05", "kind": "人员经费"},
        {"code": "30399", "name": "其他对个人和家庭的补助支出", "amount": "0.14"},
        {"code": "30213", "name": "维修(护)费", "amount": "1.00", "kind": "公用经费"},
    ],
    "project_econ": [
        {"code": "312", "name": "对企业补助", "amount": "3174.50"},
        {"code": "31204", "name": "费用补贴", "amount": "3174.50"},
    ],
}


def _data(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data.update(changes)
    return data


def _run(data: dict[str, Any], **opts: Any) -> list[Finding]:
    ds = Dataset.model_validate(data)
    return run_rules(Context(ds, options=Options(select=RULES, **opts)))


def _found(data: dict[str, Any], rule: str, **opts: Any) -> list[Finding]:
    return [f for f in _run(data, **opts) if f.rule == rule]


def _with_line(field: str, index: int, **values: Any) -> dict[str, Any]:
    data = _data()
    data[field][index].update(values)
    return data


@pytest.mark.parametrize("year", [2023, 2024, 2026])
def test_valid_dataset_is_quiet(year: int) -> None:
    assert _run(_data(year=year)) == []


def test_rules_are_registered_and_documented() -> None:
    for rule_id in ("codes.unknown", "codes.name_mismatch", "codes.parent_missing", "codes.retired",
                    "codes.duplicate", "codes.user_list", "econ.unknown", "econ.name_mismatch",
                    "econ.kind"):
        r = get_rule(rule_id)
        assert r.title and r.description and r.check is not None


def test_unknown_function_code() -> None:
    found = _found(_with_line("expenditure", 2, code="2150807"), "codes.unknown")
    assert len(found) == 1
    f = found[0]
    assert f.severity is Severity.WARNING
    assert f.location.path == "expenditure[2].code"
    assert "2150807" in f.message and "2023年科目表" in f.message


def test_unknown_code_added_later_says_so() -> None:
    data = _data()
    data["expenditure"].append({"code": "2013901", "name": "行政运行", "basic": "1.00"})
    [f] = _found(data, "codes.parent_missing")  # the 款 20139 is new in 2024
    assert "20139 自2024年起才设立" in f.message
    assert _run(_data(year=2024, expenditure=data["expenditure"])) == []


def test_unknown_year_falls_back_and_says_so() -> None:
    [f] = _found(_with_line("expenditure", 2, code="2150807") | {"year": 2028}, "codes.unknown")
    assert "2026年科目表" in f.message and "无2028年版本" in f.message


def test_parent_missing() -> None:
    data = _with_line("expenditure", 3, code="2159701", name="某项目")
    found = _found(data, "codes.parent_missing")
    assert [(f.location.path, f.severity) for f in found] == [("expenditure[3].code", Severity.ERROR)]
    assert "款 21597" in found[0].message
    assert _found(data, "codes.unknown") == []  # one finding for one mistake


def test_parent_missing_class() -> None:
    [f] = _found(_with_line("expenditure", 3, code="2990101"), "codes.parent_missing")
    assert "类 299" in f.message


def test_parent_missing_kuan() -> None:
    [f] = _found(_with_line("expenditure", 3, code="2159801"), "codes.parent_missing")
    assert "款 21598" in f.message


def test_name_mismatch_warning() -> None:
    [f] = _found(_with_line("expenditure", 2, name="行政运行费"), "codes.name_mismatch")
    assert f.severity is Severity.WARNING
    assert f.location.path == "expenditure[2].name"
    assert f.expected == "行政运行" and f.found == "行政运行费"
    assert "“行政运行费”" in f.message and "“行政运行”" in f.message


def test_name_of_a_sibling_is_an_error() -> None:
    [f] = _found(_with_line("expenditure", 2, name="机关服务"), "codes.name_mismatch")
    assert f.severity is Severity.ERROR and "2150803" in f.message


def test_old_name_is_reported_as_renamed_not_mismatch() -> None:
    data = _with_line("expenditure", 1, code="20805", name="行政事业单位离退休")
    data["expenditure"][1].update(basic="79.05", project="0")
    assert _found(data, "codes.name_mismatch") == []
    [f] = _found(data, "codes.retired")
    assert f.severity is Severity.WARNING
    assert "旧名称" in f.message and "行政事业单位养老支出" in f.message


def test_retired_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A retirement recorded in changes.csv is reported instead of an unknown code."""
    from juesuan.refdata import CodeChange, codelists

    def retire(code: str) -> None:
        gone = CodeChange("func", code, 2022, 2023, "retired", "x", "", "test")
        monkeypatch.setattr(codelists, "_all_changes", lambda: (gone,))

    retire("2150804")  # still in the 2023 list: the list wins, nothing to say
    assert _found(_with_line("expenditure", 2, code="2150804", name="科技型中小企业技术创新基金"),
                  "codes.retired") == []
    retire("2150898")
    data = _with_line("expenditure", 2, code="2150898", name="x")
    [f] = _found(data, "codes.retired")
    assert "2023年起已停用" in f.message and f.location.path == "expenditure[2].code"
    assert _found(data, "codes.unknown") == []


def test_duplicate_function_code() -> None:
    data = _data()
    data["expenditure"].append(copy.deepcopy(data["expenditure"][2]))
    [f] = _found(data, "codes.duplicate")
    assert f.severity is Severity.ERROR
    assert f.location.path == "expenditure[6].code"
    assert "2150801" in f.message and "第 3 行" in f.message


def test_duplicate_econ_code() -> None:
    data = _data()
    data["project_econ"].append({"code": "31204", "name": "费用补贴", "amount": "1"})
    [f] = _found(data, "codes.duplicate")
    assert f.location.path == "project_econ[2].code" and "项目支出经济分类明细" in f.message


def test_same_code_in_both_econ_tables_is_fine() -> None:
    data = _data()
    data["project_econ"].append({"code": "30213", "name": "维修（护）费", "amount": "1"})
    assert _found(data, "codes.duplicate") == []


def test_econ_unknown() -> None:
    [f] = _found(_with_line("basic_econ", 1, code="30130"), "econ.unknown")
    assert f.severity is Severity.WARNING and f.location.path == "basic_econ[1].code"
    assert "基本支出经济分类明细" in f.message and "30130" in f.message


def test_econ_name_mismatch() -> None:
    [f] = _found(_with_line("project_econ", 1, name="利息补贴"), "econ.name_mismatch")
    assert f.severity is Severity.ERROR  # the name of 31205: the code is probably wrong
    assert f.location.path == "project_econ[1].name" and "31205" in f.message
    [g] = _found(_with_line("project_econ", 1, name="企业费用补助"), "econ.name_mismatch")
    assert g.severity is Severity.WARNING and g.expected == "费用补贴"


def test_econ_kind() -> None:
    [f] = _found(_with_line("basic_econ", 3, kind="人员经费"), "econ.kind")
    assert f.severity is Severity.ERROR and f.location.path == "basic_econ[3].kind"
    assert f.expected == "公用经费" and f.found == "人员经费"
    [g] = _found(_with_line("basic_econ", 1, kind="公用经费"), "econ.kind")
    assert g.expected == "人员经费"


def test_user_list_adds_a_code(tmp_path: Path) -> None:
    data = _with_line("expenditure", 2, code="2150807", name="本地专项")
    assert _found(data, "codes.unknown")
    path = tmp_path / "local.csv"
    path.write_text("code,name\n2150807,本地专项\n30130,本地补贴\n", encoding="utf-8")
    data["basic_econ"][1].update(code="30130", name="本地补贴", kind="人员经费")
    assert _run(data, code_lists=(str(path),)) == []


def test_bad_user_list_is_one_finding_and_checks_go_on(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("code,name\n21508x,坏编码\n", encoding="utf-8")
    data = _with_line("expenditure", 2, code="2150807")
    findings = _run(data, code_lists=(str(path),))
    assert {f.rule for f in findings} == {"codes.user_list", "codes.unknown"}
    [f] = [f for f in findings if f.rule == "codes.user_list"]
    assert f.severity is Severity.ERROR and "bad.csv" in f.message and "第 2 行" in f.message


def test_putuo_style_2024_dataset_is_quiet() -> None:
    data = _data(year=2024, expenditure=[
        {"code": "2010601", "name": "行政运行", "basic": "1503.52", "project": "8.37"},
        {"code": "2010608", "name": "财政委托业务支出", "project": "449.52"},
        {"code": "2013999", "name": "其他社会工作事务支出", "project": "1"},
        {"code": "2080599", "name": "其他行政事业单位养老支出", "basic": "0.94"},
        {"code": "2200150", "name": "事业运行", "basic": "1"},
        {"code": "2210203", "name": "购房补贴", "basic": "258.50"},
    ])
    assert _run(data) == []
