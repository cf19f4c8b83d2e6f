"""The audit of documents of any province: kind first, the national baseline, the generic reader.

Real documents come from ../shared (skipped when absent); the county text in
tests/data is written in a Sichuan county's wording, which no profile's patterns
read, with six planted problems at known lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.audit import checks as checks_mod
from juesuan.audit.checks_run import audit_document
from juesuan.audit.document import read_document
from juesuan.audit.kind import classify
from juesuan.cli import app

from .conftest import SHARED

CORPUS = SHARED / "corpus"
COUNTY = Path(__file__).parent / "data" / "county-sichuan-style-2023.txt"

KINDS = {
    "central-petition-bureau-2024-final.pdf": "部门决算",
    "chongqing-swu-university-2023-final.pdf": "部门决算",
    "central-petition-bureau-2026-budget.pdf": "部门预算",
    "shanghai-audit-bureau-2026-budget.pdf": "单位预算",
    "shanghai-data-bureau-2026-budget.pdf": "单位预算",
    "jiangsu-wuxi-stats-bureau-2026-budget.pdf": "部门预算",
    "jiangsu-wuxi-commerce-bureau-2026-budget.pdf": "部门预算",
    "jiangsu-wuxi-transport-bureau-2026-unit-budget.pdf": "单位预算",
    "fujian-quanzhou-gov-office-2026-budget.pdf": "部门预算",
    "guangdong-zhuhai-commerce-bureau-2026-budget.pdf": "部门预算",
    "chongqing-swu-university-2021-budget.pdf": "部门预算",
    "jiangsu-npc-standing-committee-2019-budget.pdf": "部门预算",
    "jiangsu-npc-standing-committee-2019-budget-tables.pdf": "部门预算",  # tables only: by the body
    "jiangsu-procuratorate-2019-budget.pdf": "部门预算",
    "jiangsu-high-court-2019-budget.pdf": "部门预算",
    "not-a-disclosure-ningbo-inspection-notice.pdf": "其他",
    "not-a-disclosure-weifang-rectification-report.pdf": "其他",
    "not-departmental-beijing-municipal-2022-final-report.pdf": "政府决算",
}


def _corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} 不在：真实文档语料缺失")
    return path


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_corpus_document_has_its_kind(name: str) -> None:
    assert classify(read_document(_corpus(name))).kind == KINDS[name]


def test_the_seed_and_the_samples_are_departmental_final_accounts() -> None:
    for path in (SHARED / "seed" / "000_1d4d631d9d557d27.txt",
                 SHARED / "samples" / "shanghai-putuo-finance-bureau-2024-juesuan.pdf"):
        if not path.is_file():
            pytest.skip(f"{path} 不在")
        assert classify(read_document(path)).kind == "部门决算"


def test_a_budget_is_named_as_a_budget_and_audited_as_a_budget() -> None:
    a = audit_document(_corpus("central-petition-bureau-2026-budget.pdf"))
    assert a.kind == "部门预算" and a.error is None
    assert a.profile.startswith("budget/")  # a budget profile, never a 决算 one
    assert not any(f.rule.startswith(("identity.", "audit.")) for f in a.findings)


def test_a_unit_budget_of_shanghai_is_a_unit_budget() -> None:
    a = audit_document(_corpus("shanghai-audit-bureau-2026-budget.pdf"))
    assert (a.kind, a.department, a.year) == ("单位预算", "上海市审计局", 2026)


# department and year as every corpus document's title (or, for a file of tables alone, its
# table header) names them: full names, not fragments
NAMES = {
    "central-petition-bureau-2026-budget.pdf": ("国家信访局", 2026),
    "chongqing-swu-university-2021-budget.pdf": ("西南大学", 2021),
    "fujian-quanzhou-gov-office-2026-budget.pdf": ("泉州市人民政府办公室", 2026),
    "guangdong-zhuhai-commerce-bureau-2026-budget.pdf": ("珠海市商务局", 2026),
    "jiangsu-high-court-2019-budget.pdf": ("江苏省高级人民法院", 2019),
    "jiangsu-npc-standing-committee-2019-budget.pdf": ("江苏省人大常委会办公厅", 2019),
    "jiangsu-npc-standing-committee-2019-budget-tables.pdf": ("江苏省人大常委会办公厅", 2019),  # “2019年政府采购预算表”
    "jiangsu-procuratorate-2019-budget.pdf": ("江苏省人民检察院", 2019),
    "jiangsu-wuxi-commerce-bureau-2026-budget.pdf": ("无锡市商务局", 2026),
    "jiangsu-wuxi-stats-bureau-2026-budget.pdf": ("无锡市统计局", 2026),
    "jiangsu-wuxi-transport-bureau-2026-unit-budget.pdf": ("无锡市交通运输局(本级)", 2026),
    "shanghai-audit-bureau-2026-budget.pdf": ("上海市审计局", 2026),
    "shanghai-data-bureau-2026-budget.pdf": ("上海市数据局", 2026),
    "central-petition-bureau-2024-final.pdf": ("国家信访局", 2024),
    "chongqing-swu-university-2023-final.pdf": ("西南大学", 2023),
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_every_disclosure_of_the_corpus_names_its_department_and_year(name: str) -> None:
    a = audit_document(_corpus(name))
    assert (a.department, a.year) == NAMES[name]


@pytest.mark.parametrize("name", ["not-a-disclosure-ningbo-inspection-notice.pdf",
                                  "not-departmental-beijing-municipal-2022-final-report.pdf"])
def test_what_is_not_a_departmental_disclosure_is_refused_with_its_reason(name: str) -> None:
    a = audit_document(_corpus(name))
    assert a.findings == [] and a.error
    assert a.kind in ("其他", "政府决算")
    assert "不是部门（单位）决算公开文档" in a.error


def test_central_department_reads_department_year_and_sections_by_topic() -> None:
    a = audit_document(_corpus("central-petition-bureau-2024-final.pdf"))
    assert (a.kind, a.department, a.year) == ("部门决算", "国家信访局", 2024)
    assert not [f for f in a.findings if f.rule in ("audit.missing_section", "audit.missing_part")]


# --- a county in its own wording: the baseline and the generic reader ----------------------


@pytest.fixture(scope="module")
def county():
    return audit_document(COUNTY)


def test_unknown_style_is_audited_against_the_national_baseline_and_says_so(county) -> None:  # noqa: ANN001
    assert county.error is None
    assert county.kind == "部门决算"
    assert (county.department, county.year) == ("某某县农业农村局", 2023)
    assert county.profile == "national"
    assert "全国基准样式" in county.profile_basis and "低于" in county.profile_basis
    assert 0 < county.profile_score < 1


def test_province_requirements_are_not_demanded_of_another_province(county) -> None:  # noqa: ANN001
    rules = {f.rule for f in county.findings}
    assert not rules & {"audit.missing_section", "audit.missing_part", "audit.missing_table",
                        "audit.missing_contact", "required.field"}


def test_planted_problems_are_found_at_their_lines_by_the_generic_reader(county) -> None:  # noqa: ANN001
    got = {(f.rule, f.severity.value, f.location.line, f.found) for f in county.findings}
    assert got == {
        ("narrative.share", "error", 24, "9.83%"),  # 300 ÷ 3,200 = 9.38%
        ("narrative.rate", "error", 39, "96.00%"),  # 760 ÷ 800 = 95.00%
        ("narrative.direction", "error", 49, None),  # 增加 0.50 万元，下降 20.00%
        ("narrative.change_pct", "error", 59, "12.00%"),  # 20 ÷ (200 − 20) = 11.11%
        ("narrative.pct_truncated", "warning", 40, "99.86%"),  # 599.21 ÷ 600 = 99.868%
        ("audit.topic_absent", "warning", 18, None),  # 政府采购 nowhere
    }
    assert all("通用句式" in f.message for f in county.findings if f.rule.startswith("narrative."))
    assert county.claims_generic >= 10


def test_a_correct_sentence_read_generically_gives_no_finding(tmp_path: Path) -> None:
    text = COUNTY.read_text(encoding="utf-8")
    fixed = (text.replace("占9.83%", "占9.38%").replace("完成年初预算的96.00%", "完成年初预算的95.00%")
             .replace("增加0.50万元，下降20.00%", "减少0.75万元，下降20.00%")
             .replace("增长12.00%", "增长11.11%").replace("的99.86%", "的99.87%"))
    path = tmp_path / "fixed.txt"
    path.write_text(fixed + "\n（四）政府采购支出情况\n本部门2023年度无政府采购支出。\n", encoding="utf-8")
    a = audit_document(path)
    assert [(f.rule, f.location.line) for f in a.findings] == []


def test_a_profile_file_outside_the_package_is_used_when_forced(tmp_path: Path) -> None:
    prof = tmp_path / "county.yaml"
    prof.write_text(
        "name: county-test\nextends: national\nprovince: 某省\nyear: 2023\n"
        "patterns:\n  s8.total: '{year:year}年度“三公”经费财政拨款支出预算为{budget:amount}万元，"
        "支出决算为{actual:amount}万元，完成预算的{rate:pct}。'\n", encoding="utf-8")
    a = audit_document(COUNTY, profile=str(prof))
    assert a.profile == "county-test" and a.profile_basis.startswith("指定样式")
    assert a.claims >= 1  # the 三公 sentence read with the file's own pattern
    assert audit_document(COUNTY, profile=str(tmp_path / "nope.yaml")).error


def test_a_check_that_crashes_is_a_finding_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(a):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("division by zero")

    from juesuan.audit.check_registry import AuditCheck

    monkeypatch.setattr(checks_mod, "CHECKS", (AuditCheck(boom, ("narrative.sum",)), *checks_mod.CHECKS))
    a = audit_document(COUNTY)
    crashed = [f for f in a.findings if f.rule == "audit.check_crashed"]
    assert len(crashed) == 1 and "boom" in crashed[0].message
    assert any(s.check == "boom" for s in a.skipped)


# --- the generic reader on the wordings of many provinces (synthetic sentences) -------------
# Each sentence is written here in the shape of a real province's wording, with its own subject
# and figures; the expected readings are (kind, amount, other figure, percentage) in 万元 and %,
# and the expected findings the rules the check gives (none when the sentence is right).

GENERIC_CASES = [
    # rates: the budget and the final figure in the sentence itself
    ("培训费年初预算为60.00万元，支出决算为48.00万元，为年初预算的80.00%。",
     [("rate", "48.00", "60.00", "80.00")], []),
    ("会议费年初预算数为25.00万元，决算数为20.00万元，预算执行率为85.00%。",
     [("rate", "20.00", "25.00", "85.00")], ["narrative.rate"]),  # 20 ÷ 25 = 80.00%
    ("差旅费年初预算12.50万元，决算数10.00万元，决算数占年初预算数的80.00%。",
     [("rate", "10.00", "12.50", "80.00")], []),
    ("印刷费调整预算数为8.00万元，支出决算为6.00万元，完成调整预算的75.00%。",
     [("rate", "6.00", "8.00", "75.00")], []),
    # changes: last year = this year ∓ the change
    ("2023年度财政拨款收入总计1,200.00万元，与上年相比减少50.00万元，降低4.00%。",
     [("change", "1200.00", "50.00", "4.00")], []),
    ("全年接待18批次，支出3.60万元，较上年减少0.40万元，减少了10.00%。",
     [("change", "3.60", "0.40", "10.00")], []),
    ("“三公”经费决算支出数为500.00万元，按同口径同比减少50.00万元，下降9.09%。",
     [("change", "500.00", "50.00", "9.09")], []),
    ("公务接待费240万元，较2022年的260万元减少20万元，下降7.7%。",
     [("change", "240", "20", "7.7")], []),
    ("公务用车运行维护费支出180万元，比上年累计支出200万元下降20万元，下降10%。",
     [("change", "180", "20", "10")], []),
    ("“三公”经费支出决算总额为 6.00 万元，比预算增加 0 万元，比去年增加 1.00 万元，增长 20.00%。",
     [("change", "6.00", "1.00", "20.00")], []),  # the 0 of 比预算增加 is not the amount
    ("上级补助收入12.00万元，为事业单位开展业务活动取得的收入。较2022年度决算数减少3.00万元，下降20.00%。",
     [("change", "12.00", "3.00", "20.00")], []),
    ("卫生健康支出类科目 120000.00 元，同比增加 20000.00 元，增长 16.67%。",
     [("change", "12.0000", "2.0000", "16.67")], ["narrative.change_pct"]),  # 20000 ÷ 100000 = 20.00%
    # a figure in 元, its share of a whole named before (without 的) and its change 同比
    ("基本支出预算 800000.00 元，同比减少 20000.00 元，下降 2.44%。其中：\n"
     "工资福利支出预算 600000.00 元，占基本支出预算75.00%，同比增加 50000.00 元，增长 9.09%。",
     [("change", "80", "2", "2.44"), ("change", "60", "5", "9.09"), ("share", "60", "80", "75.00")], []),
    # shares: the whole is the total “其中” follows, in this sentence or ending the one before
    ("2023年度，本单位支出为2,000.00万元。其中：基本支出1,500.00万元，占75.00%；项目支出500.00万元，占20.00%。",
     [("share", "1500.00", "2000.00", "75.00"), ("share", "500.00", "2000.00", "20.00")],
     ["narrative.share"]),  # 500 ÷ 2,000 = 25.00%
    ("一般公共预算财政拨款支出800.00万元，主要用于以下方面：教育支出600.00万元，占75.00%；卫生健康支出200.00万元，占25.00%。",
     [("share", "600.00", "800.00", "75.00"), ("share", "200.00", "800.00", "25.00")], []),
    ("本年收入合计1,000.00万元，其中：财政拨款收入800.00万元，占80.00%，其中：一般公共预算财政拨款收入600.00万元，占75.00%。",
     [("share", "800.00", "1000.00", "80.00")], []),  # the inner share: of 1,000 or of 800? not read
    # the wordings of a county's 2023 final accounts, its figures as printed (dyrmt.com/article-159286-3.html,
    # read 2026-12): a rate clause before the change, shares of a whole named at the sentence's head, and
    # 基本支出 with its two parts; the four problems are the document's own
    ("“三公”经费财政拨款支出决算为3.46万元，完成预算100%，较上年增加2.4万元，增长0.24%。",
     [("change", "3.46", "2.4", "0.24")], ["narrative.change_pct"]),  # 2.4 ÷ 1.06 ≈ 226 %
    ("“三公”经费财政拨款支出决算为3.46万元。\n2023年“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，"
     "占0%；公务用车购置及运行维护费支出决算1.4万元，占0.02%；公务接待费支出决算0.28万元，占0.95%。",
     [("share", "0", "3.46", "0"), ("share", "1.4", "3.46", "0.02"), ("share", "0.28", "3.46", "0.95")],
     ["narrative.share", "narrative.share"]),  # 1.4 ÷ 3.46 ≈ 40 %, 0.28 ÷ 3.46 ≈ 8.1 %
    ("2023年一般公共预算财政拨款基本支出911.7万元，其中：\n人员经费489.18万元，主要包括：基本工资、津贴补贴等。\n"
     "公用经费46.89万元，主要包括：办公费、印刷费等。",
     [("parts", "911.7", "489.18", "46.89")], ["narrative.sum"]),  # 489.18 + 46.89 = 536.07
    ("基本支出536.07万元，其中：人员经费489.18万元，日常公用经费46.89万元。",
     [("parts", "536.07", "489.18", "46.89")], []),
    # shares of a “三公” whole printed nowhere before: the parts listed are all of it (shouxian.gov.cn
    # /public/118322773/1260348611.html, whose two shares are swapped; hbdj.gov.cn/zwgk/public/177/62077231.html)
    ("寿县文物保护中心2023年度一般公共预算财政拨款“三公”经费支出决算中，公务接待费支出决算0.53万元，占69%；"
     "公务用车购置及运行维护费支出决算1.18万元，占31%。",
     [("share", "0.53", "1.71", "69"), ("share", "1.18", "1.71", "31")], ["narrative.share", "narrative.share"]),
    ("杜集区机关事务管理中心2021年度一般公共预算财政拨款“三公”经费支出决算中，因公出国（境）费支出决算0万元，"
     "占0%；公务接待费支出决算2.14万元，占1.3%；公务用车购置及运行维护费支出决算165.23万元，占98.7%。",
     [("share", "0", "167.37", "0"), ("share", "2.14", "167.37", "1.3"), ("share", "165.23", "167.37", "98.7")],
     []),
    ("“三公”经费支出决算中，因公出国（境）费支出决算1.00万元，占10%；公务接待费支出决算2.00万元，占30%；"
     "公务用车购置及运行维护费支出决算7.00万元，占60%。",  # the three parts of “三公”: all of it, whatever the shares
     [("share", "1.00", "10.00", "10"), ("share", "2.00", "10.00", "30"), ("share", "7.00", "10.00", "60")],
     ["narrative.share", "narrative.share"]),
    ("项目支出中，培训费1.00万元，占10%；差旅费2.00万元，占30%。", [], []),  # shares short of 100 %: not all of it
    ("陶辛镇2021年度一般公共预算财政拨款三公经费支出决算中，因公出国（境）费支出决算0.00万元，公务接待费支出决算"
     "30.00万元，占59.40%；公务用车购置及运行维护费支出决算12.00万元，占93.75%。",  # the three, one share missing
     [("share", "30.00", "42.00", "59.40"), ("share", "12.00", "42.00", "93.75")],
     ["narrative.share", "narrative.share"]),
    # a comparison with the year's budget (hbdj.gov.cn: 1.14 ÷ 1.00 is 114 %, not 1.14 %)
    ("2.公务接待费支出2.14万元， 与2021年度预算相比，增加1.14万元，增长1.14%，增长的原因是成立新的临时机构。",
     [("change", "2.14", "1.14", "1.14")], ["narrative.vs_budget_pct"]),
    ("2.公务接待费支出0.27万元， 与2021年度预算相比，减少0.57万元，下降67.86%。", [("change", "0.27", "0.57", "67.86")], []),
    # the national template's wordings (财政部's 部门决算公开 template, which most provinces follow)
    ("2023年度一般公共预算财政拨款支出500.00万元，占本年支出合计的50.00%。与2022年度相比，一般公共预算财政拨款支出"
     "增加100.00万元，增长20.00%。",  # 100 ÷ 400 = 25 %
     [("change", "500.00", "100.00", "20.00")], ["narrative.change_pct"]),
    ("2023年度一般公共预算财政拨款支出500.00万元，占本年支出合计的50.00%。与2022年度相比，财政拨款收入"
     "增加100.00万元，增长25.00%。", [], []),  # another subject than the figure's
    ("2023年度本部门机关运行经费支出30.00万元，比年初预算数减少5.00万元，降低14.29%。",
     [("change", "30.00", "5.00", "14.29")], []),  # 5 ÷ 35
    ("2023年度本部门政府采购支出总额100.00万元，其中：政府采购货物支出30.00万元、政府采购工程支出20.00万元、"
     "政府采购服务支出40.00万元。", [("parts", "100.00", "30.00", "20.00", "40.00")], ["narrative.sum"]),
    ("2023年度“三公”经费财政拨款支出决算为12.00万元，其中：因公出国（境）费2.00万元，公务用车购置及运行维护费"
     "6.00万元，公务接待费4.00万元。", [("parts", "12.00", "2.00", "6.00", "4.00")], []),
    ("“三公”经费财政拨款支出决算为12.00万元，其中：因公出国（境）费2.00万元，公务用车购置及运行维护费6.00万元"
     "（其中：公务用车购置费1.00万元，公务用车运行维护费5.00万元），公务接待费4.00万元。",
     [("parts", "6.00", "1.00", "5.00")], []),  # the car's own parts: not three figures only, but the car's sum
    # more wordings of other provinces' final accounts and budgets (the excerpts named)
    ("天水生产力促进中心收入为524.32万元,较2019年度决算数据增加141.61万元,增长37%。",  # 天水 2020: 决算数据
     [("change", "524.32", "141.61", "37")], []),
    ("1.一般公共预算财政拨款收入382.17万元，为市本级财政\n当年拨付的资金。较2020年度决算数减少157.86万元，下降\n"
     "29.2%，主要原因", [("change", "382.17", "157.86", "29.2")], []),  # a definition over a line break (广西 2021)
    ("2023年度收入合计4680.58 万元,与2022年度相比,收入合计减少2415.45   万元,下降34 %。",  # the subject said again
     [("change", "4680.58", "2415.45", "34")], []),
    ("2023年度收入合计4680.58 万元,与2022年度相比,支出合计减少2415.45 万元,下降34 %。", [], []),  # another subject
    ("收入合计10911万元 , 较上年决算数减少1376.32万元,减少12.61%。",  # spaces before the comma; ÷ this year's 10911
     [("change", "10911", "1376.32", "12.61")], ["narrative.change_pct"]),  # 11.20 %
    ("2024年度收入总计3349.97万元(含使用非财政拨款结转结余和年初结转结余)、支出总计3349.97万元(含结余分配和年末"
     "结转结余)。与2023年相比,收、支总计各增加42.43万元,增长1.3%,主要原因是人员增加。",  # 黄山第一中学 2024
     [("change", "3349.97", "42.43", "1.3"), ("totals", "3349.97", "3349.97")], []),
    # a change after the last part of a “其中” total may be of the total: 265.6 % fits it (梧州市民政局 2022 预算)
    ("事业运行经费总预算安排37337407.64元,其中:基本支出预算488180.64元,项目支出预算36849227元 , 同比增加"
     "27125219.46元,增长265.6%。", [("change", "3684.9227", "2712.521946", "265.6")], []),
    ("支出合计 1,000.00 万元，其中：基本支出 600.00 万元，项目支出 400.00 万元，较上年增加 100.00 万元，增长 50.00%。",
     [("change", "400.00", "100.00", "50.00")], ["narrative.change_pct"]),  # fits neither 400 nor 1,000
    # paired figures, in order (四川's template: 2022年度单位决算), and the two totals in sentences of their own
    ("2022年度收、支总计各是4125.49,4143.91万元。与2021年相比,收、支总计各减少1267.86,2570.97万元,各下降23.51%、38.28%。",
     [("change", "4125.49", "1267.86", "23.51"), ("change", "4143.91", "2570.97", "38.28")],
     ["narrative.pct_truncated"]),  # 2,570.97 ÷ 6,714.88 = 38.288 %
    ("2023年度收、支总计各是500.00,520.00万元。与2022年相比，收、支总计各增加50.00,40.00万元，各增长11.11%、9.33%。",
     [("change", "500.00", "50.00", "11.11"), ("change", "520.00", "40.00", "9.33")], ["narrative.change_pct"]),
    ("2023年度收入总计13,007.74万元,其中:本年收入合计13,007.74万元,年初结转和结余0.00万元。\n2023年度支出总计13,007.74"
     "万元,其中:本年支出合计13,007.74万元,年末结转和结余0.00万元。\n收入支出总体与上年相比,增加5,614.60万元,增长75.94%。",
     [("change", "13007.74", "5614.60", "75.94")], []),  # 昌吉高新区市政公用事业管理中心 2023
    ("2023年度收入总计100.00万元。2023年度支出总计90.00万元。收入支出总体与上年相比,增加10.00万元,增长11.11%。",
     [], []),  # the two totals differ: which one changed is not said
    # “T 万元。其中：…占 p%” of the sentence before's own figure, not of the last amount before “其中”
    ("2.收入情况。2023年度收入合计2828.33万元,较上年决算数增加128.63万元,增长4.76%,主要原因是2023年人员经费收入减少"
     "13.25万元,项目经费收入增加91.01万元。其中:财政拨款收入2828.33万元,占100.00%。",  # 重庆 2023 (a 街道's 决算)
     [("change", "2828.33", "128.63", "4.76"), ("share", "2828.33", "2828.33", "100.00")], []),
    ("本年收入合计 500.00 万元，本年支出合计 400.00 万元。其中：财政拨款收入 400.00 万元，占 80.00%。", [], []),
    # shares printed to add up to 100 %, one moved by 0.01 to do so (平差: 3.3145 % printed 3.32 %, 无锡市交通运输局 2026)
    ("收入预算合计 984,760.87 万元，包括本年收入 984,760.87 万元，上年结转结余 0 万元。其中：本年一般公共预算收入 "
     "196,278.67 万元，占 19.93%；本年政府性基金预算收入 143,999 万元，占 14.62%；本年国有资本经营预算收入 32,640 万元，"
     "占 3.32%；本年其他收入 611,843.2 万元，占 62.13%。",
     [("share", "196278.67", "984760.87", "19.93"), ("share", "143999", "984760.87", "14.62"),
      ("share", "32640", "984760.87", "3.32"), ("share", "611843.2", "984760.87", "62.13")], ["narrative.share_adjusted"]),
    ("收入预算合计 984,760.87 万元。其中：本年一般公共预算收入 196,278.67 万元，占 19.93%；本年政府性基金预算收入 "
     "143,999 万元，占 14.62%；本年国有资本经营预算收入 32,640 万元，占 3.33%；本年其他收入 611,843.2 万元，占 62.13%。",
     [("share", "196278.67", "984760.87", "19.93"), ("share", "143999", "984760.87", "14.62"),
      ("share", "32640", "984760.87", "3.33"), ("share", "611843.2", "984760.87", "62.13")],
     ["narrative.share"]),  # 100.01 %: no 平差 explains it

    ("2019年度“三公”经费财政拨款支出预算为44.52万元,2019年实际支出“三公经费”决算为22.62万元。其中公务接待费为20.10"
     "万元,占88.86%;公务用车运行维护费为2.52万元,占11.14%。",  # 桃江县 2019: the figure the parts add up to
     [("share", "20.10", "22.62", "88.86"), ("share", "2.52", "22.62", "11.14")], []),

    # a rate whose budget is given as a difference (“完成预算的 38%，比预算减少 2.17 万元”: 1.33 ÷ 3.50)
    ("2.公务用车购置及运行维护费支出决算为1.33万元,完成预算的38%,比预算减少2.17万元,主要原因是减少车辆使用。",
     [("rate", "1.33", "3.50", "38")], []),
    ("3.公务接待费支出决算为0.78万元,完成预算的49%,比预算减少1.22万元。", [("rate", "0.78", "2.00", "49")],
     ["narrative.rate"]),  # 0.78 ÷ 2.00 = 39 %
    ("“三公”经费支出2.05万元,较上年2.08减少0.03万元,减少了1.44%,原因为厉行节约。",  # last year's figure, no unit
     [("change", "2.05", "0.03", "1.44")], []),
    # a change with no figure of its own, of the one figure the section printed under the same subject (寻甸 2020)
    ("2020年度“三公”经费支出预算为22.96万元,支出决算为15.81万元,完成预算的68.86%。其中:公务用车购置及运行费支出决算为"
     "0.4万元;公务接待费支出决算为15.41万元。\n2020年度“三公”经费支出决算数比2019年减少11.57万元,下降42.26%。其中:"
     "公务用车购置及运行费支出决算减少2.6万元,下降86.69%;公务接待费支出决算减少8.96万元,下降26.78%。",
     [("rate", "15.81", "22.96", "68.86"), ("change", "0.4", "2.6", "86.69"), ("change", "15.41", "8.96", "26.78")],
     ["narrative.change_pct"]),  # 8.96 ÷ 24.37 = 36.77 %
    ("公务接待费支出决算为1.00万元。公务接待费支出决算为2.00万元。公务接待费支出决算减少1.00万元，下降50.00%。",
     [], []),  # two figures under that subject: which one is not said
    # a share whose figure is missing (梧州 2022 预算: “占基本支出预算%”), and 基本支出 with its parts' shares
    ("商品和服务支出预算75800元,占基本支出预算%,同比增加52044.27元,增长50.63%。", [("pct_blank",)],
     ["narrative.pct_missing"]),
    ("2022年一般公共预算基本支出1133753.33元,其中:人员经费1030180.29元,占基本支出预算90.86%。主要包括：基本工资。"
     "公用经费103573.04元,占基本支出预算9.14%。",
     [("parts", "113.375333", "103.018029", "10.357304"), ("share", "10.357304", "113.375333", "9.14"),
      ("share", "103.018029", "113.375333", "90.86")], []),
    # 政府采购 = 货物 + 工程 + 服务 in the budgets' wordings (国家信访局 2026, 珠海市商务局 2026, 上海市审计局 2026)
    ("国家信访局 2026 年政府采购预算总额 4,308.39 万元，其中：政府采购货物预算 2,315.5 万元；政府采购工程预算417.8 "
     "万元；政府采购服务预算 1,575.09 万元。", [("parts", "4308.39", "2315.5", "417.8", "1575.09")], []),
    ("2026年本部门政府采购安排512.48万元，其中：货物类采购预算2.16万元，工程类采购预算33.42万元，服务类采购预算"
     "467.9万元等。", [("parts", "512.48", "2.16", "33.42", "467.9")], ["narrative.sum"]),  # 476.9 printed there
    # 公务用车购置及运行费 = 购置费 + 运行（维护）费, in either order, after “其中” or “（” (泉州市政府办公室 2026,
    # 上海市审计局 2026, 珠海市商务局 2026)
    ("（三）公务用车购置及运行费2026 年预算安排 293.90 万元，其中：公务用车运行费32.00 万元，比上年增加 0.00 万元，"
     "增长 0.00%，与上年持平；公务用车购置费 261.90 万元，比上年减少 2.30 万元，下降0.87%。",
     [("parts", "293.90", "261.90", "32.00"), ("change", "32.00", "0.00", "0.00"),
      ("change", "261.90", "2.30", "0.87")], []),
    ("（二）公务用车购置及运行费28.00万元，与2025年预算持平。其中：公务用车购置费0.00万元，与2025年预算持平；"
     "公务用车运行费\n29.00万元，与2025年预算持平。", [("parts", "28.00", "0.00", "29.00")], ["narrative.sum"]),
    ("公务用车购置及运行维护费0万元（公务用车购置费0万元，比上年增加0万元；公务用车运行维护费0万元，比上年增加0万元。",
     [("parts", "0", "0", "0")], []),
    ("公务用车购置及运行维护费年初预算为20.00万元，支出决算为18.00万元，完成预算的90.00%。其中：公务用车购置费"
     "10.00万元，公务用车运行维护费8.00万元。", [("rate", "18.00", "20.00", "90.00")], []),  # 20 is the budget
    ("公务用车购置及运行维护费18.00万元，主要是公务用车购置费增加。公务用车购置费10.00万元。", [], []),  # no “其中”
    # a share of a whole named as a total (支出总额, 总支出) of the sentence's own “其中” total (西南大学 2023)
    ("学校 2023 年度各项支出总计 457,676.75 万元，其中基本支出 359,781.59 万元， 占支出总额 78.61%；项目 支出"
     "97,895.15 万元，占支出总额 21.39%。",
     [("share", "359781.59", "457676.75", "78.61"), ("share", "97895.15", "457676.75", "21.39")], []),
    ("学校 2023 年度财政拨款支出总计为 237,100.00 万元，其中基本支出 199,015.13 万元，占总支出的 80.00%。",
     [("share", "199015.13", "237100.00", "80.00")], ["narrative.share"]),  # 83.94 %
    ("学校收入总计 430,725.03 万元，其中事业收入 136,385.24 万元，占支出总额 31.66%。", [], []),  # another side
    ("按照支出功能科目划分，教育支出 425,287.27 万元，占总支出的 92.92%；科学技术支出 2,536.65 万元，占总支出的\n"
     "0.56%；社会保障和就业支出 13,465.06 万元，占总支出的 2.94%；住房保障支出 16,278.27 万元，占总支出的 3.56%；\n"
     "其他支出 109.50 万元，占总支出的 0.02%。",  # the shares add to 100 %: the parts are all of 总支出 (457,676.75)
     [("share", "425287.27", "457676.75", "92.92"), ("share", "2536.65", "457676.75", "0.56"),
      ("share", "13465.06", "457676.75", "2.94"), ("share", "16278.27", "457676.75", "3.56"),
      ("share", "109.50", "457676.75", "0.02")],
     ["narrative.share_adjusted"]),  # 2,536.65 ÷ 457,676.75 = 0.554 %: rounded, the five add to 99.99 %
    # the two totals of the 总表 and the change of both (the wording of many Chongqing departments)
    ("2023年度收入总计8013.45万元，支出总计8013.45万元。收支较上年决算数减少5137.56万元，下降39.1%。",
     [("totals", "8013.45", "8013.45"), ("change", "8013.45", "5137.56", "39.1")], []),
    ("2019年度收入总计4,320.52万元，支出总计4,320.52万元。收支较上年决算数增加680.23万元、增长18.69%。",
     [("totals", "4320.52", "4320.52"), ("change", "4320.52", "680.23", "18.69")], []),
    ("2022年度收入总计3,345.01万元，支出总计3,354.01万元。收支较上年决算数减少84.69万元，下降2.5%。",
     [("totals", "3345.01", "3354.01")], ["narrative.amount"]),  # unequal: no total to change
    ("2020年度收入总计25,422.73万元，支出总计25,422.73万元，与2019年度相比，各增加1,898.18万元，增长8.07%。",
     [("totals", "25422.73", "25422.73"), ("change", "25422.73", "1898.18", "8.07")], []),
    ("收入总计1,000.00万元，支出总计980.00万元，年末结转和结余20.00万元。", [], []),
    ("国家信访局 2024 年度收、支总计 22066.59 万元，与 2023 年\n相比，收、支总计各增加 5834.37 万元，增长 35.74%。",
     [("change", "22066.59", "5834.37", "35.74")], ["narrative.change_pct"]),  # 5,834.37 ÷ 16,232.22 = 35.94 %
    ("2022年度财政拨款收、支总计237.52万元。与2021年相比，财政拨款收、支总计各增加237.52万元，增长100%。",
     [("change", "237.52", "237.52", "100")], []),  # last year 0: no ratio to check (rongchang.gov.cn, 2023-10)
    ("收入总计1,000.00万元，支出总计980.00万元，年末结余20.00万元。收支较上年增加100.00万元，增长11.11%。", [], []),  # 支出总计 meant without 结转
    ("因公出国（境）费全年预算0.00万元，支出决算0.00万元，完成预算的0.00%。",
     [("rate", "0.00", "0.00", "0.00")], ["narrative.rate_zero_budget"]),  # no budget: no rate (乌海 2023)
    ("培训费年初预算为0.00万元，支出决算为3.00万元，完成年初预算的100.00%。",
     [("rate", "3.00", "0.00", "100.00")], []),  # spent without a budget: of which budget, not said
    # what looks alike and must not be read
    ("“三公”经费支出中，公务接待费3.20万元，占40.00%。", [], []),  # the whole is printed nowhere before
    ("基本支出900万元，其中：人员经费500万元，占55.6%；公用经费400万元。",
     [("share", "500", "900", "55.6"), ("parts", "900", "500", "400")], []),  # a share between the parts
    ("基本支出900万元，其中：人员经费500万元，其中离退休费100万元；公用经费300万元。",
     [], []),  # an amount between the parts: no 基本支出 reading
    ("公务接待费较上年同期减少0.50万元，减少5.00%。", [], []),  # no amount of its own
    ("“三公”经费预算为300万元。同口径比2022年减少30万元，下降9.1%。", [], []),  # the amount is in another sentence
    ("2023年度收入、支出总计各是500.00万元、520.00万元，分别比上年增加50.00万元、40.00万元。", [], []),  # no %

    ("“三公”经费决算总额为90万元，较年初预算减少10%。", [], []),
    ("因公出国（境）经费决算15万元，比上年增长25.0%。", [], []),  # no amount of change
    ("支出决算为67.00万元，完成预算91.20%。", [], []),  # no budget figure
    ("公务接待费支出决算3.20万元，占40.00%。", [], []),  # no whole
    ("税务部门完成1,050万元，占调整预算105.00%。", [], []),  # the budget is not printed
    ("在职人员50人，其中：专业技术人员40人，占80.00%。", [], []),  # people, not money
    ("公务用车运行维护费28.00万元，较2022年度增加4.00万元，原因为油价上涨。", [], []),  # no percentage
]


def _generic_reading(tmp_path: Path, text: str) -> tuple[list[tuple[str, ...]], list[str]]:
    from decimal import Decimal

    from juesuan.audit.claims import join_lines
    from juesuan.audit.generic import generic_claims
    from juesuan.audit.model import Extraction

    path = tmp_path / "sentence.txt"
    path.write_text(text + "\n", encoding="utf-8")
    doc = read_document(path)
    claims = generic_claims(join_lines(doc, 0, len(doc.lines)), "s5")
    slots = {"rate": ("actual", "budget", "rate"), "change": ("amount", "diff", "pct"),
             "share": ("amount", "whole", "share"),
             "totals": ("income", "spending"), "pct_blank": ()}
    readings = []
    for c in claims:
        kind = c.key.split(".")[1]
        if kind == "parts":
            readings.append((kind, c.values["total"], *c.values["parts"]))
        else:
            readings.append((kind, *(c.values[s] for s in slots[kind])))
    a = checks_mod.Auditor(Extraction(path=str(path), recognition=None, claims=claims), None)  # type: ignore[arg-type]
    checks_mod.check_generic(a)
    norm = sorted((k, *(Decimal(x) for x in rest)) for k, *rest in readings)
    return norm, sorted(f.rule for f in a.res.findings)


@pytest.mark.parametrize(("text", "readings", "rules"), GENERIC_CASES, ids=[t[:18] for t, _, _ in GENERIC_CASES])
def test_generic_reader_reads_each_certain_shape_and_only_those(tmp_path: Path, text: str,
                                                                readings: list, rules: list) -> None:
    from decimal import Decimal

    got, found = _generic_reading(tmp_path, text)
    assert got == sorted((k, *(Decimal(x) for x in rest)) for k, *rest in readings)
    assert found == sorted(rules)


def test_a_finding_on_figures_printed_in_yuan_says_them_in_yuan(tmp_path: Path) -> None:
    """梧州 2023 预算 prints its figures in 元: 911,000.39 for 809,961.19 + 71,339.20 = 881,300.39."""
    path = tmp_path / "sentence.txt"
    path.write_text("2023 年本年一般公共预算基本支出 911000.39 元,其中:\n人员经费 809961.19 元,主要包括:基本工资、津贴补\n"
                    "贴。\n公用经费 71339.2 元,主要包括:办公费。\n", encoding="utf-8")
    from juesuan.audit.claims import join_lines
    from juesuan.audit.generic import generic_claims
    from juesuan.audit.model import Extraction

    doc = read_document(path)
    claims = generic_claims(join_lines(doc, 0, len(doc.lines)), "s6")
    a = checks_mod.Auditor(Extraction(path=str(path), recognition=None, claims=claims), None)  # type: ignore[arg-type]
    checks_mod.check_generic(a)
    f = next(f for f in a.res.findings if f.rule == "narrative.sum")
    assert (f.found, f.expected) == ("911,000.39元", "881,300.39元") and "911,000.39元" in f.message


# --- the command line ---------------------------------------------------------------------


def test_cli_json_carries_kind_profile_and_score(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["audit", str(COUNTY), "-f", "json", "-o", str(out)])
    assert r.exit_code == 1, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    assert (doc["kind"], doc["profile"]) == ("部门决算", "national")
    assert 0 < doc["profile_score"] < 1 and "全国基准样式" in doc["profile_basis"]
    assert doc["claims_read_generic"] >= 10 and doc["tables_read"] == []


def test_cli_select_and_skip_keep_and_drop_rules(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["audit", str(COUNTY), "-f", "json", "-o", str(out),
                                 "--select", "narrative", "--skip", "narrative.pct"])
    assert r.exit_code == 1, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    rules = {f["rule"] for f in doc["findings"]}
    assert rules == {"narrative.share", "narrative.rate", "narrative.direction", "narrative.change_pct"}
    assert doc["checks_run"] and all(r.startswith("narrative") and not r.startswith("narrative.pct")
                                     for r in doc["checks_run"])


def test_cli_budget_is_audited_with_its_kind_in_json(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["audit", str(_corpus("jiangsu-wuxi-stats-bureau-2026-budget.pdf")),
                                 "-f", "json", "-o", str(out)])
    assert r.exit_code == 0 and "Traceback" not in r.output
    doc = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    assert (doc["kind"], doc["department"], doc["year"]) == ("部门预算", "无锡市统计局", 2026)
    assert doc["findings"] == []


def test_cli_unloadable_profile_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nextends: x\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["audit", str(COUNTY), "--profile", str(bad)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = CliRunner().invoke(app, ["audit", str(COUNTY), "--profile", "no-such-style"])
    assert r.exit_code == 2 and "未知的公开样式" in r.output


@pytest.mark.parametrize(("title", "kind", "dept", "year"), [
    ("某某市教育局2022年度决算公开", "部门决算", "某某市教育局", 2022),
    ("2021年度某某县财政局单位决算", "单位决算", "某某县财政局", 2021),
    ("关于某某镇人民政府2022年度部门决算的说明", "部门决算", "某某镇人民政府", 2022),
    ("某某区民政局2023年部门决算公开说明", "部门决算", "某某区民政局", 2023),
])
def test_title_variants_give_kind_department_and_year(tmp_path: Path, title: str, kind: str, dept: str,
                                                      year: int) -> None:
    lines = COUNTY.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "doc.txt"
    path.write_text("\n".join([title, *lines[1:]]) + "\n", encoding="utf-8")
    a = audit_document(path)
    assert (a.kind, a.department, a.year) == (kind, dept, year)


def test_the_baseline_knows_explanations_named_after_their_tables() -> None:
    """A style that explains table by table (西南大学: “（一）高等学校收支决算总表说明”,
    “（二）…收入决算表说明”, “（三）…支出决算表说明”) holds the baseline's first three topics:
    audited against the national baseline, none of them is reported absent (the topics it
    really lacks, 三公 or 政府采购, still are)."""
    path = CORPUS / "chongqing-swu-university-2023-final.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/corpus)")
    res = audit_document(path, profile="national")
    absent = [f.message for f in res.findings if f.rule == "audit.topic_absent"]
    for title in ("“收入支出决算总体情况说明”", "“收入决算情况说明”", "“支出决算情况说明”"):
        assert not [m for m in absent if title in m], (title, absent)
    assert any("三公" in m for m in absent) and any("政府采购" in m for m in absent)
    # its one share finding is the one its own profile finds: 2,536.65 ÷ 457,676.75 = 0.554 %, printed 0.56 %
    # (the generic reader: the five shares of 总支出 add up to 100 %, so the parts are all of it; rounded each,
    # they add up to 99.99 %: the 0.56 % was moved to make 100 %, a warning)
    assert [f for f in res.findings if f.severity.value == "error"] == []
    assert [(f.rule, f.found, f.location.page) for f in res.findings if f.rule.startswith("narrative.")] == [
        ("narrative.share_adjusted", "0.56%", 17)]


def test_the_generic_reader_warns_of_a_figure_given_another_year(tmp_path: Path) -> None:
    """“2022年“三公”经费财政拨款支出决算为3.46万元” in a 2023 document (dyrmt.com/article-159286-3.html,
    a county's 2023 final accounts): the year its subject is given, not a comparison's, is not the
    document's — a warning at that year; the sentences that name 2023 get none."""
    text = ("某县某局2023年度部门决算公开\n"
            "六、一般公共预算财政拨款基本支出决算情况说明\n"
            "2023年一般公共预算财政拨款基本支出536.07万元，其中：人员经费489.18万元，主要包括：基本工资等。"
            "公用经费46.89万元，主要包括：办公费等。\n"
            "七、财政拨款“三公”经费支出决算情况说明\n"
            "2022年“三公”经费财政拨款支出决算为3.46万元，完成预算100%，较上年增加2.4万元，增长226.42%。\n"
            "2023年“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算"
            "1.4万元，占40.46%；公务接待费支出决算0.28万元，占8.09%。\n")
    path = tmp_path / "county.txt"
    path.write_text(text, encoding="utf-8")
    res = audit_document(path)
    assert res.year == 2023
    years = [(f.location.line, f.found) for f in res.findings if f.rule == "narrative.year"]
    assert years == [(5, "2022")]  # its line
    assert not [f for f in res.findings if f.severity.value == "error"]
