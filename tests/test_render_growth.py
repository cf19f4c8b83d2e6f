"""The build at 5,000 function rows: its own document audits without an error finding.

The HTML output is audited (the Word and PDF ones at this size are in
``benchmarks/speed.py``'s growth curve: a PDF of some 1,800 pages takes minutes to
lay out); the 1,000-row PDF is audited in ``tests/test_speed_paths.py``.  Also here:
the Typst source of a long table asks no measurement of it (``FIT`` only for a table
that may fit a page), and a table that may fit is measured without its continued labels.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from juesuan.model.findings import Severity
from juesuan.rules.engine import Context, run_rules

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402


def test_5000_row_department_audits_its_own_html_without_error(tmp_path: Path) -> None:
    from juesuan.audit.checks_run import audit_document
    from juesuan.render.build import build

    ds = generate.dataset(5000, seed=0)
    findings = run_rules(Context(ds))
    assert not [f for f in findings if f.severity is Severity.ERROR]
    result = build(ds, findings, tmp_path / "out", formats=["html"], force=True)
    html = next(f for f in result.files if f.suffix == ".html")
    assert html.read_text(encoding="utf-8").count("<tr") > 3 * 5000  # 02, 03 and 05表 print every 项
    audit = audit_document(html, None, (), ())
    assert audit.error is None
    errors = [f"{f.rule}: {f.message}" for f in audit.findings if f.severity is Severity.ERROR]
    assert errors == []
    assert len(audit.findings) > 0  # the local codes are reported (warnings), so the checks ran


def test_typst_measures_only_the_tables_that_may_fit_a_page() -> None:
    from juesuan.render.build import assemble
    from juesuan.render.typst import may_fit, typst_source

    doc = assemble(generate.dataset(300, seed=0))
    tables = doc.tables()
    long = [t for t in tables if len(t.header) + len(t.body) > 60]
    assert {t.id for t in long} >= {"t02", "t03", "t05"}
    assert not any(may_fit(t) for t in long)
    source, _ = typst_source(doc, stacks={})
    measured = [t for t in tables if may_fit(t) and len(t.header) + len(t.body) >= 15]
    assert source.count("fit: (") == len(measured)


def test_typst_measures_a_table_without_its_continued_labels() -> None:
    """Putuo's tables of 15 to 40 rows may fit a page: each is measured in a copy without its
    continued labels (the header's markers and the group marks), and printed with them."""
    from juesuan.readers.loader import load_dataset
    from juesuan.render.build import assemble
    from juesuan.render.typst import typst_source

    ds, _ = load_dataset(ROOT / "examples" / "putuo-czj-2024")
    source, _ = typst_source(assemble(ds), stacks={})
    chunks = [c for c in source.split("\n#TB(")[1:] if "plain: table(" in c]
    assert len(chunks) == 3
    for chunk in chunks:
        tbl, plain = chunk.split("plain: table(", 1)
        assert "fit: (" in tbl and "<jht>" in tbl and "<jhb>" in tbl and ", m: (" in tbl
        assert "<jht>" not in plain and "<jhb>" not in plain and ", m: (" not in plain


def test_typst_layout_of_long_tables_settles(tmp_path: Path) -> None:
    """A 150-row department's PDF: Typst's layout converges (no "did not converge" warning; the
    continued labels of main's sub-headers did not at 100 rows), and every page after a long
    table's first names the 类 it continues above its header rows, or starts a new 类."""
    typst = pytest.importorskip("typst")
    pdfium = pytest.importorskip("pypdfium2")
    from juesuan.render.build import assemble
    from juesuan.render.typst import font_setup, typst_source

    setup = font_setup()
    source, files = typst_source(assemble(generate.dataset(150, seed=0)), stacks=setup.stacks)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "main.typ").write_text(source, encoding="utf-8")
    fonts = setup.book if setup.book is not None else list(setup.dirs)
    compiler = typst.Compiler(str(tmp_path / "main.typ"), root=str(tmp_path), font_paths=fonts,
                              ignore_system_fonts=not setup.system)
    pdf, warnings = compiler.compile_with_warnings(format="pdf")
    assert not [w.message for w in warnings if "converge" in w.message]
    doc = pdfium.PdfDocument(pdf)
    texts = ["".join(doc[k].get_textpage().get_text_range().split()) for k in range(len(doc))]
    doc.close()
    labelled = [t for t in texts if "（续）" in t]
    assert len(labelled) >= 10
    for t in labelled:  # above the header rows: a 类 code, its name, （续）
        label = t[:t.index("（续）")]
        assert label[:3].isdigit() and len(label) > 3 and t.index("（续）") < t.index("类款项"), label
        first = t[t.index("类款项") + 3:][:7]  # the code of the page's first row
        assert first[:3] == label[:3], (label, first)  # the 类 that goes on there
