"""Audit speed: a ~50 KB text disclosure (target ≤ 20 ms after start-up) and PDFs in pages/s
(target ≥ 50 pages/s on one core), beside a pdfplumber-only text extraction of the same files;
each with its stages (reading, recognition, tables, claims, data model, checks), in one process.
The whole process (imports included) is measured by ``benchmarks/speed.py``.

    python benchmarks/audit_speed.py [PDF …]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from juesuan.audit.checks_run import audit_document
from juesuan.audit.document import read_document

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed/000_1d4d631d9d557d27.txt"
PDFS = [SHARED / "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"]


def _time(fn, n: int = 15) -> float:  # noqa: ANN001
    fn()  # warm-up: imports, compiled patterns, code lists
    runs = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def text_50k(tmp: Path) -> Path:
    """The seed padded to ~50 KB with more part-one text (the narrative to check stays the same)."""
    text = SEED.read_text(encoding="utf-8")
    cut = text.index("## 二、部门机构设置及决算单位构成情况")
    pad = text[text.index("### （二）部门主要职责"):cut]
    while len(text.encode("utf-8")) < 50 * 1024:
        text = text[:cut] + pad + text[cut:]
    p = tmp / "seed_50k.txt"
    p.write_text(text, encoding="utf-8")
    return p


def stages(path: Path) -> dict[str, float]:
    """Seconds per stage of one audit, the steps of ``audit_document`` taken one by one."""
    from juesuan.audit import extract as ex_mod
    from juesuan.audit.checks_run import DocAudit, audit_extraction
    from juesuan.audit.model import Extraction
    from juesuan.model.findings import Location, Provenance
    from juesuan.profiles import load_profile

    out: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        out[name] = now - t
        t = now

    doc = read_document(path)
    lap("reading")
    rec = ex_mod.recognise(doc)
    lap("recognition")
    profile = load_profile(rec.profile or "neimenggu-2023")
    ex = Extraction(path=doc.path, recognition=rec)
    ex.provenance = Provenance(Location(file=doc.path))
    tables_data = ex_mod._tables(doc, rec, profile, ex)
    lap("tables")
    ex.claims = ex_mod.extract_claims(doc, rec, profile)
    lap("claims")
    ex_mod.Builder(ex, profile, doc).build()
    ex_mod._merge(ex.data, tables_data)
    lap("data model")
    audit = DocAudit(str(path))
    audit.lines = [(line.page, line.number, line.text) for line in doc.lines]
    audit_extraction(ex, audit)
    lap("rules and checks")
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = text_50k(Path(tmp))
        size = p.stat().st_size / 1024
        t = _time(lambda: audit_document(p))
        print(f"text {size:.0f} KB: full audit {t * 1000:.1f} ms (target ≤ 20 ms)")
        stages(p)
        runs = [stages(p) for _ in range(15)]
        print("  " + ", ".join(f"{k} {statistics.median(r[k] for r in runs) * 1000:.1f} ms" for k in runs[0]))
    for pdf in [Path(a) for a in sys.argv[1:]] or [p for p in PDFS if p.exists()]:
        pages = read_document(pdf).pages
        t_read = _time(lambda: read_document(pdf), 5)  # noqa: B023
        t_audit = _time(lambda: audit_document(pdf), 5)  # noqa: B023
        line = (f"{pdf.name} ({pages} pages): read {pages / t_read:.0f} pages/s, "
                f"full audit {pages / t_audit:.0f} pages/s (target ≥ 50)")
        try:
            import pdfplumber

            def plumb() -> None:
                with pdfplumber.open(pdf) as doc:  # noqa: B023
                    for page in doc.pages:
                        page.extract_text()

            t_pl = _time(plumb, 3)
            line += f"; pdfplumber extract_text only {pages / t_pl:.0f} pages/s"
        except ImportError:
            line += "; pdfplumber not installed"
        print(line)
        runs = [stages(pdf) for _ in range(3)]  # noqa: B023
        print("  " + ", ".join(f"{k} {statistics.median(r[k] for r in runs) * 1000:.1f} ms" for k in runs[0]))


if __name__ == "__main__":
    main()
