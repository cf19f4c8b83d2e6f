"""Per-format build times for each example: ``python benchmarks/build_speed.py [--repeat N]``.

Loads each example under examples/ (skipping absent ones), runs the checks,
assembles the Document and renders every format in one process, the way
``juesuan build`` does; prints the best of N runs per step.  The PDF is timed
with both engines (Typst, the default, and WeasyPrint); ``total`` is the whole
build with Typst, ``total/wp`` with WeasyPrint; ``cold`` is the first run with Typst (imports,
font loading, Typst's caches empty: what one ``juesuan build`` process pays).  Target: the whole build ≤ 2 s
per example on one core (``taskset -c 0 python benchmarks/build_speed.py``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("wuhai-gxj-2023", "putuo-czj-2024")
STEPS = ("load", "check", "assemble", "docx", "html", "pdf/typst", "pdf/wp", "xlsx")
COMMON = ("load", "check", "assemble", "docx", "html", "xlsx")


def time_example(path: Path, repeat: int, with_weasyprint: bool = True) -> dict[str, float]:
    from juesuan.readers.loader import load_dataset
    from juesuan.render.build import assemble
    from juesuan.render.docx import write_docx
    from juesuan.render.html import render_html
    from juesuan.render.pdf import write_pdf
    from juesuan.render.typst import write_pdf_typst
    from juesuan.render.xlsx import write_tables_xlsx
    from juesuan.rules.engine import Context, run_rules

    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for _ in range(repeat):
            t: dict[str, float] = {}

            def timed(key, fn, t=t):
                s = time.perf_counter()
                value = fn()
                t[key] = time.perf_counter() - s
                return value

            ds, prov = timed("load", lambda: load_dataset(path))
            timed("check", lambda ds=ds, prov=prov: run_rules(Context(ds, prov)))
            doc = timed("assemble", lambda ds=ds: assemble(ds))
            timed("docx", lambda doc=doc: write_docx(doc, out / "d.docx"))
            timed("html", lambda doc=doc: (out / "d.html").write_text(render_html(doc), encoding="utf-8"))
            timed("pdf/typst", lambda doc=doc: write_pdf_typst(doc, out / "d.pdf"))
            if with_weasyprint:
                timed("pdf/wp", lambda doc=doc: write_pdf(doc, out / "w.pdf"))
            timed("xlsx", lambda doc=doc: write_tables_xlsx(doc.tables(), out / "d.xlsx"))
            if "cold" not in best:  # the first run: what one `juesuan build` process pays
                best["cold"] = sum(t[k] for k in (*COMMON, "pdf/typst"))
            for k, v in t.items():
                best[k] = min(best.get(k, v), v)
        best["pages"] = _pages(out / "d.pdf")
        if with_weasyprint:
            best["pages/wp"] = _pages(out / "w.pdf")
    return best


def _pages(path: Path) -> float:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return float(len(pdf))
    finally:
        pdf.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-weasyprint", action="store_true", help="time the Typst PDF only")
    args = ap.parse_args()
    from juesuan.render.pdf import fast_subsetting

    if not args.no_weasyprint and not fast_subsetting():
        print("warning: HarfBuzz-Subset missing, PDF font subsetting falls back to fontTools (slow)")
    print(f"{'example':<18}" + "".join(f"{s:>10}" for s in STEPS)
          + f"{'total':>9}{'total/wp':>10}{'cold':>8}{'pages':>7}{'pages/wp':>9}")
    for name in EXAMPLES:
        path = ROOT / "examples" / name
        if not (path / "dataset.yaml").exists():
            print(f"{name:<18} (absent, skipped)")
            continue
        t = time_example(path, args.repeat, with_weasyprint=not args.no_weasyprint)
        common = sum(t[s] for s in COMMON)

        def cell(key: str, t: dict[str, float] = t) -> str:
            return f"{t[key]:10.3f}" if key in t else f"{'-':>10}"

        wp_total = f"{common + t['pdf/wp']:10.3f}" if "pdf/wp" in t else f"{'-':>10}"
        wp_pages = f"{int(t['pages/wp']):9d}" if "pages/wp" in t else f"{'-':>9}"
        print(f"{name:<18}" + "".join(cell(s) for s in STEPS)
              + f"{common + t['pdf/typst']:9.3f}{wp_total}{t['cold']:8.3f}{int(t['pages']):7d}{wp_pages}")


if __name__ == "__main__":
    main()
