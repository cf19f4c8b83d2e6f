"""What we publish, we can read back: build a disclosure, audit it, extract its figures.

For both examples (Word, HTML, PDF by WeasyPrint and by Typst, plain and with the
draft mark): the audit finds no error beyond the dataset's own ``juesuan check``
errors, and ``extract`` gives back every published figure (juesuan.audit.compare
lists them).  For generated variants of
the Wuhai example (new “三公”, procurement, vehicle figures; Word, HTML): every
figure reads back.  (Their audit is not yet compared: a variant can show a
false ``narrative.budget_diff`` on class 215 that the example does not.)
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from juesuan.audit.checks_run import audit_document
from juesuan.audit.compare import compare
from juesuan.audit.extract import extract, to_dataset
from juesuan.model.accounts import Dataset
from juesuan.model.findings import Provenance
from juesuan.readers.yaml_io import load_yaml
from juesuan.render.build import DRAFT_MARK
from juesuan.rules.engine import Context, run_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("wuhai-gxj-2023", "putuo-czj-2024")
# the PDF of ``juesuan build`` (Typst; with ``--draft`` the mark on every page and across it),
# and of ``--pdf-engine weasyprint`` ("pdf")
FORMATS = ["docx", "html", "pdf", "typst", "typst-draft"]


def _write(ds: Dataset, folder: Path, formats: tuple[str, ...]) -> dict[str, Path]:
    from juesuan.render.build import assemble

    doc = assemble(ds)
    out: dict[str, Path] = {}
    if "docx" in formats:
        from juesuan.render.docx import write_docx

        write_docx(doc, folder / "doc.docx")
        out["docx"] = folder / "doc.docx"
    if "html" in formats:
        from juesuan.render.html import render_html

        (folder / "doc.html").write_text(render_html(doc), encoding="utf-8")
        out["html"] = folder / "doc.html"
    if "pdf" in formats:  # WeasyPrint
        from juesuan.render.pdf import PdfEngineMissing, write_pdf

        try:
            write_pdf(doc, folder / "doc.pdf")
        except PdfEngineMissing as exc:  # pragma: no cover - depends on the machine
            pytest.skip(f"no PDF engine: {exc}")
        out["pdf"] = folder / "doc.pdf"
    for fmt, mark in (("typst", ""), ("typst-draft", DRAFT_MARK)):
        if fmt in formats:
            from juesuan.render.pdf import PdfEngineMissing
            from juesuan.render.typst import write_pdf_typst

            try:
                write_pdf_typst(doc, folder / f"{fmt}.pdf", watermark=mark)
            except PdfEngineMissing:  # pragma: no cover - depends on the machine
                continue
            out[fmt] = folder / f"{fmt}.pdf"
    return out


def printed(ds: Dataset) -> Dataset:
    """The dataset as the build prints it (after 舍位平衡, juesuan.compute.balance)."""
    from juesuan.compute.balance import balance_dataset

    return balance_dataset(ds).dataset


_NUM = re.compile(r"\d[\d,]*\.\d\d")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUM.findall(text or "")}


def _unexplained_errors(ds: Dataset, path: Path) -> list[str]:
    """Audit errors that no error of ``juesuan check`` on the source dataset accounts for.

    One problem may be reported under another rule by the audit (the project
    table's total against its items is ``stated.total`` for check and also
    ``identity.project_econ`` for the audit): an audit error counts as the same
    problem when it names the same figures.
    """
    own = [f for f in run_rules(Context(ds, Provenance())) if f.severity.value in ("error", "warning")]
    own_numbers = [_numbers(f.message) for f in own]
    audit = audit_document(path)
    assert audit.error is None, audit.error
    out = []
    for f in audit.findings:
        if f.severity.value != "error":
            continue
        nums = _numbers(f.message)
        if any(f.rule == o.rule and (not nums or nums & n) for o, n in zip(own, own_numbers, strict=True)):
            continue
        if nums and any(nums & n for n in own_numbers):
            continue
        out.append(f"{f.rule} p{f.location.page} l{f.location.line}: {f.message}")
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Dataset, dict[str, Path]]]:
    out = {}
    for name in EXAMPLES:
        ds, _ = load_yaml(ROOT / "examples" / name / "dataset.yaml")
        folder = tmp_path_factory.mktemp(name)
        out[name] = (ds, _write(ds, folder, tuple(FORMATS)))
    return out


def _file(built, name: str, fmt: str) -> tuple[Dataset, Path]:  # noqa: ANN001
    ds, files = built[name]
    if fmt not in files:  # pragma: no cover - depends on the machine
        pytest.skip(f"no {fmt} engine")
    return ds, files[fmt]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_figures_read_back(built, name: str, fmt: str) -> None:  # noqa: ANN001
    ds, path = _file(built, name, fmt)
    got, _ = to_dataset(extract(path))
    c = compare(printed(ds), got)  # what the build prints: the figures after 舍位平衡
    print(f"{name} {fmt}: {c.describe()}")
    assert c.total > 0
    assert c.share == 1.0, c.describe()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_audit_reports_only_the_datasets_own_errors(built, name: str, fmt: str) -> None:  # noqa: ANN001
    ds, path = _file(built, name, fmt)
    extra = _unexplained_errors(ds, path)
    assert not extra, "\n".join(extra)


def test_putuo_zero_budget_items_are_written_without_a_rate(built) -> None:  # noqa: ANN001
    """Putuo's 因公出国（境）费 and 公务用车 have a budget of 0: the built document names their outturn
    without “完成预算的0.00%” (a rate of a zero budget does not exist), and its audit has no
    narrative.rate_zero_budget; 公务接待费 (budget 0.95万元) keeps its rate."""
    ds, path = _file(built, "putuo-czj-2024", "docx")
    assert ds.three_public.budget.abroad == 0 and ds.three_public.budget.vehicle == 0
    claims = extract(path).claims
    keys = {c.key for c in claims}
    assert {"s8.total", "s8.abroad_actual_no_rate", "s8.vehicle_actual_no_rate", "s8.reception_actual"} <= keys
    assert "s8.abroad_actual" not in keys and "s8.vehicle_actual" not in keys
    rules = {f.rule for f in audit_document(path).findings}
    assert "narrative.rate_zero_budget" not in rules


# --- generated consistent variants of the Wuhai example ----------------------------------------

_WUHAI, _ = load_yaml(ROOT / "examples" / "wuhai-gxj-2023" / "dataset.yaml")
_money = st.integers(0, 999_999).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def variants(draw: st.DrawFn) -> Dataset:
    """The Wuhai example with new, mutually consistent “三公”, procurement, vehicle and score figures."""
    d = _WUHAI.model_dump(by_alias=True)
    tp = d["three_public"]
    for kind in ("budget", "actual"):
        for f in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
            tp[kind][f] = draw(_money)
    # the basic-expenditure economic items must not exceed the “三公” actuals
    for e in d["basic_econ"]:
        if e["code"] in ("30212", "30217", "30231", "31013"):
            field = {"30212": "abroad", "30217": "reception", "30231": "vehicle_operation",
                     "31013": "vehicle_purchase"}[e["code"]]
            tp["actual"][field] = max(tp["actual"][field], e["amount"])
    tp["foreign_reception"] = Decimal(0)
    for f in tp["counts"]:
        tp["counts"][f] = draw(st.integers(0, 30))
    tp["counts"]["foreign_receptions"] = tp["counts"]["foreign_reception_people"] = 0
    pr = d["procurement"]
    for f in ("goods", "works", "services"):
        pr[f] = draw(_money)
    total = pr["goods"] + pr["works"] + pr["services"]
    pr["sme"] = min(draw(_money), total)
    pr["small_micro"] = min(draw(_money), pr["sme"])
    for f in ("goods_sme", "works_sme", "services_sme"):
        pr[f] = Decimal(0)
    pr["goods_sme"] = min(pr["sme"], pr["goods"])
    rest = pr["sme"] - pr["goods_sme"]
    pr["works_sme"] = min(rest, pr["works"])
    pr["services_sme"] = rest - pr["works_sme"]
    vehicles = d["assets"]["vehicles"]
    for f in vehicles:
        vehicles[f] = draw(st.integers(0, 5))
    d["assets"]["vehicles_total"] = sum(vehicles.values())
    tp["counts"]["vehicles_held"] = min(tp["counts"]["vehicles_held"], d["assets"]["vehicles_total"])
    d["stated"] = [s for s in d["stated"] if s["table"] not in ("t10", "procurement")]
    return Dataset.model_validate(d)


@settings(max_examples=4, deadline=None, phases=(Phase.explicit, Phase.generate), suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(ds=variants())
def test_generated_datasets_read_back(tmp_path_factory: pytest.TempPathFactory, ds: Dataset) -> None:
    folder = tmp_path_factory.mktemp("variant")
    files = _write(ds, folder, ("docx", "html"))
    for fmt, path in files.items():
        got, _ = to_dataset(extract(path))
        c = compare(printed(ds), got)
        assert c.share == 1.0, f"{fmt}: {c.describe()}"
