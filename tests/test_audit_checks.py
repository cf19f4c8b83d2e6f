"""The audit finds the real inconsistencies of the two documents (NOTES.md), at the right line, and no others."""

from __future__ import annotations

from pathlib import Path

from juesuan.audit.checks_run import audit_document
from juesuan.rules.registry import all_rules
from tests.conftest import shared_file

SEED = "seed/000_1d4d631d9d557d27.txt"
PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"


def _flat(audit) -> set[tuple[str, int | None, int | None]]:  # noqa: ANN001
    return {(f.rule, f.location.page, f.location.line) for f in audit.findings}


def test_seed_real_inconsistencies_found_at_their_lines() -> None:
    a = audit_document(shared_file(SEED))
    assert a.error is None
    assert _flat(a) == {
        ("narrative.budget_diff", None, 254),  # 215 增加 3,108.76 vs 3,379.76 from its 项
        ("budget.items", None, 212),  # 年初预算 1,348.37 vs Σ 项 1,077.34
        ("narrative.share", None, 342),  # 61.66 % / 38.34 %: goods ÷ total, not SME ÷ goods
        ("narrative.year", None, 106),  # "2022 年部门汇总决算"
        ("required.phone_format", None, 632),  # "0473-8991998-"
        ("narrative.rate_zero_budget", None, 310),  # 完成预算的0.00% of a zero budget
        ("audit.tables_absent", None, 634),  # 第五部分 says 见附件
    }
    shares = [f for f in a.findings if f.rule == "narrative.share"]
    assert {f.found for f in shares} == {"61.66%", "38.34%"}
    assert all("分子分母用错了" in f.message for f in shares)


def test_seed_rounding_never_fires() -> None:
    """The within-rounding cases of NOTES §4 (4,499.44 vs 4,499.46, 71.48 %, 9.87 % …) are silent."""
    a = audit_document(shared_file(SEED))
    assert not [f for f in a.findings if f.rule in ("narrative.sum", "narrative.rate", "narrative.change_pct")]
    assert "narrative.sum" in a.run and "narrative.change_pct" in a.run


def test_putuo_real_inconsistencies() -> None:
    a = audit_document(shared_file(PUTUO))
    flat = _flat(a)
    assert ("narrative.amount", 21, 14) in flat  # 说明四 0.3 vs 表四 2,961.68
    assert ("narrative.flat_with_reason", 21, 14) in flat  # 持平 with a reason for a decrease
    assert ("narrative.share", 21, 25) in flat  # 71.73 % vs 71.65 %
    assert ("narrative.items_vs_table", 23, 3) in flat  # 个人农业生产补贴 listed, 奖励金 left out
    assert ("narrative.rate_zero_budget", 23, 11) in flat  # 完成预算的0% of a blank budget
    assert a.has_errors


def _audit_text(tmp_path: Path, replace: list[tuple[str, str]]):  # noqa: ANN202
    text = Path(shared_file(SEED)).read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text
        text = text.replace(old, new, 1)
    p = tmp_path / "doc.txt"
    p.write_text(text, encoding="utf-8")
    return audit_document(p)


def test_fixing_an_inconsistency_loses_its_finding(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("货物支出金额的61.66%", "货物支出金额的100.00%"),
                               ("服务支出金额的38.34%", "服务支出金额的100.00%")])
    assert not [f for f in a.findings if f.rule == "narrative.share"]
    b = _audit_text(tmp_path, [("我部门 2022 年部门汇总决算", "我部门 2023 年部门汇总决算")])
    assert not [f for f in b.findings if f.rule == "narrative.year"]


def test_changed_figure_detected_at_its_line(tmp_path: Path) -> None:
    a = _audit_text(tmp_path, [("本年基本支出1,235.35万元，占27.46%", "本年基本支出1,235.35万元，占27.66%")])
    assert ("narrative.share", None, 195) in _flat(a)
    b = _audit_text(tmp_path, [("公务接待费全年预算0.30万元，支出决算0.03万元，完成预算的9.87%",
                                "公务接待费全年预算0.30万元，支出决算0.03万元，完成预算的19.87%")])
    assert ("narrative.rate", None, 310) in _flat(b)
    c = _audit_text(tmp_path, [("与上年决算相比，减少 0.74 万元，减少 24.20%", "与上年决算相比，减少 0.74 万元，增长 24.20%")])
    assert ("narrative.direction", None, 322) in _flat(c)


def test_audit_rules_are_registered_and_documented() -> None:
    import juesuan.audit.checks_rules  # noqa: F401

    ids = {r.id: r for r in all_rules()}
    for rid in ("narrative.share", "narrative.budget_diff", "narrative.year", "audit.missing_section"):
        assert rid in ids and ids[rid].description and ids[rid].message
