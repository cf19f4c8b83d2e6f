"""PDF engines side by side on the examples: ``python benchmarks/pdf_engines.py``.

- weasyprint: what ``juesuan.render.pdf`` uses (HTML + print CSS, in process);
- chromium: the same print HTML through ``chromium --headless --print-to-pdf``
  (a separate process; skipped when no chromium is installed);
- typst: the Document converted to Typst markup by a rough converter written
  for this benchmark only (headings, paragraphs, tables with spans, images),
  compiled by the ``typst`` PyPI package (skipped when not installed).

Prints seconds (best of N) and page counts; every engine gets the same
Document, assembled once.  Nothing touches the network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("wuhai-gxj-2023", "putuo-czj-2024")


def pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def weasyprint_pdf(doc, out: Path) -> None:
    from juesuan.render.pdf import write_pdf

    write_pdf(doc, out)


def chromium_pdf(doc, out: Path) -> None:
    from juesuan.render.html import render_html

    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    src = out.with_suffix(".html")
    src.write_text(render_html(doc, for_print=True), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", f"--user-data-dir={profile}",
             "--no-pdf-header-footer", f"--print-to-pdf={out}", src.as_uri()],
            check=True, capture_output=True, timeout=120)


# ----------------------------------------------------------------- a rough Typst converter


def _esc(text: str) -> str:
    return "".join("\\" + ch if ch in "\\#*_`$<>@[]~/\"'" else ch for ch in text)


def _typst_table(t) -> str:
    from juesuan.render.html import cell_align, cell_text

    n = t.columns or 1
    parts = [f"#align(center, text(font: (\"Noto Sans CJK SC\", \"SimHei\"), size: 14pt)[{_esc(t.title)}])",
             f"#text(size: 9pt)[编制单位：{_esc(t.org)} #h(1fr) {_esc(t.number)} {_esc(t.unit_label)}]",
             f"#table(columns: {n}, stroke: 0.5pt, inset: 3pt, align: horizon,"]
    if t.header:
        cells = []
        for row in t.header:
            for c in row.cells:
                cells.append(f"table.cell(colspan: {c.colspan}, rowspan: {c.rowspan}, align: center)"
                             f"[{_esc(cell_text(c))}]")
        parts.append("  table.header(" + ", ".join(cells) + "),")
    for row in t.body:
        for c in row.cells:
            a = {"left": "left", "right": "right", "center": "center"}[cell_align(c)]
            parts.append(f"  table.cell(colspan: {c.colspan}, rowspan: {c.rowspan}, align: {a})"
                         f"[{_esc(cell_text(c))}],")
    parts.append(")")
    if t.note:
        parts.append(f"#text(size: 9pt)[{_esc(t.note)}]")
    return "\n".join(parts)


def to_typst(doc, folder: Path) -> str:
    from juesuan.render.blocks import Figure, Heading, PageBreak, Paragraph, TableBlock, Toc

    out = [
        '#set page(paper: "a4", margin: (top: 3.7cm, bottom: 3.5cm, left: 2.8cm, right: 2.6cm),',
        '  footer: context align(center)[— #counter(page).display() —])',
        '#set text(font: ("FangSong", "Noto Serif CJK SC"), size: 16pt, lang: "zh", region: "cn")',
        '#set par(justify: true, first-line-indent: 2em, leading: 0.9em)',
        '#show heading: set text(font: ("SimHei", "Noto Sans CJK SC"), weight: "regular", size: 16pt)',
        '#set table(stroke: 0.5pt)',
    ]
    k = 0
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append("=" * min(b.level, 3) + " " + _esc(b.text))
        elif isinstance(b, Paragraph):
            text = _esc(b.text)
            if b.bold_prefix:
                text = f"*{_esc(b.bold_prefix)}*" + text
            out.append(f"#align(center)[{text}]" if b.style in ("title", "center", "subtitle") else text)
            out.append("")
        elif isinstance(b, PageBreak):
            out.append("#pagebreak(weak: true)")
        elif isinstance(b, Toc):
            out.append(f"#outline(title: [{_esc(b.title)}], depth: 3)")
        elif isinstance(b, Figure) and b.png:
            k += 1
            (folder / f"fig{k}.png").write_bytes(b.png)
            out.append(f'#figure(image("fig{k}.png", width: {b.width_cm}cm), caption: [{_esc(b.title)}])')
        elif isinstance(b, TableBlock):
            t = b.table
            if t.landscape:
                out.append("#page(flipped: true)[")
            out.append(_typst_table(t))
            if t.landscape:
                out.append("]")
    return "\n".join(out) + "\n"


def typst_pdf(doc, out: Path) -> None:
    import typst

    folder = out.parent / "typst"
    folder.mkdir(exist_ok=True)
    src = folder / "main.typ"
    src.write_text(to_typst(doc, folder), encoding="utf-8")
    typst.compile(str(src), output=str(out), root=str(folder))


ENGINES = {"weasyprint": weasyprint_pdf, "chromium": chromium_pdf, "typst": typst_pdf}


def available(name: str) -> bool:
    if name == "chromium":
        return any(shutil.which(x) for x in ("chromium", "chromium-browser", "google-chrome"))
    if name == "typst":
        try:
            import typst  # noqa: F401
        except ImportError:
            return False
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from juesuan.readers.loader import load_dataset
    from juesuan.render.build import assemble

    print(f"{'example':<18}{'engine':<12}{'seconds':>9}{'pages':>7}")
    for name in EXAMPLES:
        path = ROOT / "examples" / name
        if not (path / "dataset.yaml").exists():
            print(f"{name:<18}(absent, skipped)")
            continue
        ds, _ = load_dataset(path)
        doc = assemble(ds)
        for engine, fn in ENGINES.items():
            if not available(engine):
                print(f"{name:<18}{engine:<12}{'n/a':>9}")
                continue
            best = float("inf")
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "out.pdf"
                try:
                    for _ in range(args.repeat):
                        s = time.perf_counter()
                        fn(doc, out)
                        best = min(best, time.perf_counter() - s)
                except Exception as exc:  # report and go on: a benchmark, not a product path
                    print(f"{name:<18}{engine:<12}{'failed':>9}  {type(exc).__name__}: {str(exc)[:120]}")
                    continue
                print(f"{name:<18}{engine:<12}{best:9.3f}{pages(out):7d}")


if __name__ == "__main__":
    main()
