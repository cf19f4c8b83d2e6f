"""Golden text of both bundled examples in every output format.

Each example is built once per test session (all four formats, as a draft: the
examples carry error findings on purpose) and the text of every output is
compared with tests/golden/examples/<example>.<format>.txt.  After an intended
change, regenerate with ``JUESUAN_UPDATE_GOLDEN=1 pytest tests/test_golden_examples.py``
and review the diff.

The PDF is compared with all whitespace removed: line and page breaks depend on
the installed fonts and on the PDF engine (whichever ``build`` uses by default).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytest.importorskip("docx")
pytest.importorskip("jinja2")

from juesuan.readers.loader import load_dataset  # noqa: E402
from juesuan.render.build import BuildResult, build  # noqa: E402
from juesuan.rules.engine import Context, run_rules  # noqa: E402
from tests.test_render_common import docx_text, html_text, normalise, pdf_text  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden" / "examples"
NAMES = ("wuhai-gxj-2023", "putuo-czj-2024")


def xlsx_text(path: Path) -> str:
    """Every sheet: its name, then one line per non-empty row, cell values joined by |."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    out: list[str] = []
    try:
        for ws in wb.worksheets:
            out.append(f"## {ws.title}")
            for row in ws.iter_rows(values_only=True):
                cells = ["" if v is None else str(v) for v in row]
                while cells and cells[-1] == "":
                    cells.pop()
                if cells:
                    out.append("|".join(cells))
    finally:
        wb.close()
    return normalise("\n".join(out))


def _portable(text: str) -> str:
    """No machine-specific paths (findings name the dataset file), no invisible break marks.

    Typst puts zero-width spaces after "/" in long Latin runs and PDFium reports soft
    hyphens as U+FFFE: without removing them the repository path is not recognised.
    """
    text = text.replace("\u200b", "").replace("\ufffe", "").replace("\u00ad", "")
    return text.replace(str(ROOT) + os.sep, "").replace(str(ROOT), "")


def check(name: str, text: str, loose: bool = False) -> None:
    path = GOLDEN / name
    text = _portable(text)
    if loose:
        text = re.sub(r"\s+", "", text) + "\n"
    if os.environ.get("JUESUAN_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        raise AssertionError(f"golden file {path} was missing and has been written; rerun")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        exp, got = expected.splitlines(), text.splitlines()
        k = next((i for i, (a, b) in enumerate(zip(exp, got, strict=False)) if a != b), min(len(exp), len(got)))
        where = (f"line {k + 1}: expected {exp[k][:120]!r}, got {got[k][:120]!r}"
                 if k < min(len(exp), len(got)) else f"{len(exp)} lines expected, {len(got)} written")
        raise AssertionError(f"{name} differs from its golden file ({where}); "
                             "JUESUAN_UPDATE_GOLDEN=1 to update")


@pytest.fixture(scope="module", params=NAMES)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, BuildResult]:
    name = request.param
    # a relative path, as a user types it: the findings appendix prints it, and an absolute
    # path would make the layout (line breaks) differ from machine to machine
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        dataset, provenance = load_dataset(Path("examples") / name)
    finally:
        os.chdir(cwd)
    findings = run_rules(Context(dataset, provenance))
    result = build(dataset, findings, tmp_path_factory.mktemp(name) / "out", draft=True)
    return name, result


def _file(result: BuildResult, suffix: str) -> Path:
    return next(f for f in result.files if f.suffix == suffix and f.parent == result.out_dir)


def test_docx_golden(built: tuple[str, BuildResult]) -> None:
    name, result = built
    check(f"{name}.docx.txt", docx_text(_file(result, ".docx")))


def test_html_golden(built: tuple[str, BuildResult]) -> None:
    name, result = built
    check(f"{name}.html.txt", html_text(_file(result, ".html").read_text(encoding="utf-8")))


def test_pdf_golden(built: tuple[str, BuildResult]) -> None:
    pytest.importorskip("pypdfium2")
    name, result = built
    check(f"{name}.{_pdf_engine()}.pdf.txt", pdf_text(_file(result, ".pdf")), loose=True)


def _pdf_engine() -> str:
    """The engine ``build`` uses by default: the PDF golden is kept per engine."""
    try:
        from juesuan.render.build import default_pdf_engine
    except ImportError:
        return "weasyprint"
    return default_pdf_engine()


def test_xlsx_golden(built: tuple[str, BuildResult]) -> None:
    name, result = built
    check(f"{name}.xlsx.txt", xlsx_text(_file(result, ".xlsx")))


def test_every_item_in_every_format(built: tuple[str, BuildResult]) -> None:
    """Each 项 of the function classification is printed in the Word, HTML, Excel and PDF output."""
    name, result = built
    dataset, _ = load_dataset(EXAMPLES / name)
    texts = {
        "docx": docx_text(_file(result, ".docx")),
        "html": html_text(_file(result, ".html").read_text(encoding="utf-8")),
        "xlsx": xlsx_text(_file(result, ".xlsx")),
        "pdf": re.sub(r"\s+", "", pdf_text(_file(result, ".pdf"))),
    }
    assert dataset.items()
    for fmt, text in texts.items():
        assert dataset.department.name in text, fmt
        for item in dataset.items():
            wanted = normalise(item.name).strip()
            assert (re.sub(r"\s+", "", wanted) if fmt == "pdf" else wanted) in text, (fmt, item.code, item.name)
