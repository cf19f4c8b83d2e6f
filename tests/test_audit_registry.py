"""The audit's checks are registered rules: declared rules and needs; run and skipped are computed."""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.audit.check_registry import NEEDS
from juesuan.audit.checks import CHECKS, run_audit_checks
from juesuan.audit.checks_rules import RULES
from juesuan.audit.checks_run import audit_document
from juesuan.audit.extract import extract, to_dataset
from juesuan.profiles import load_profile

from .conftest import SHARED

COUNTY = Path(__file__).parent / "data" / "county-sichuan-style-2023.txt"
DOCS = [COUNTY, SHARED / "seed" / "000_1d4d631d9d557d27.txt",
        SHARED / "samples" / "shanghai-putuo-finance-bureau-2024-juesuan.pdf",
        SHARED / "corpus" / "central-petition-bureau-2024-final.pdf",
        SHARED / "corpus" / "chongqing-swu-university-2023-final.pdf"]


def test_every_audit_rule_is_declared_by_a_registered_check() -> None:
    declared = {r for c in CHECKS for r in c.rules}
    assert set(RULES) - declared == {"audit.check_crashed", "audit.bad_bytes"}  # the runner's and the reader's own
    assert all(isinstance(n, str) and n in NEEDS or hasattr(n, "present") for c in CHECKS for n in c.needs)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_no_check_reports_a_rule_it_did_not_declare(path: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} 不在：真实文档语料缺失")
    ex = extract(path)
    ds, _ = to_dataset(ex)
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()] if path.suffix == ".txt" else None
    res = run_audit_checks(ex, load_profile(ex.recognition.profile_ref or ex.recognition.profile), lines, ds)
    assert res.undeclared == set()


def test_what_could_not_run_is_computed_from_the_needs() -> None:
    a = audit_document(COUNTY)  # a text without tables, in no profile's wording
    skipped = {s.check: s.reason for s in a.skipped}
    assert "文档没有可用的公开表" in skipped["audit.row_total"]
    assert "audit.row_total" not in a.run and "narrative.share" in a.run  # the generic reader's checks ran


def test_select_runs_only_the_checks_of_the_selected_rules() -> None:
    a = audit_document(COUNTY, select=("narrative.rate",))
    assert {f.rule for f in a.findings} == {"narrative.rate"}
    assert set(a.run) == {"narrative.rate", "narrative.rate_zero_budget"}  # a prefix: both rules are kept
    b = audit_document(COUNTY, skip=("narrative", "audit"))
    assert not [f for f in b.findings if f.rule.startswith(("narrative", "audit"))]
