"""Measuring the pages of a built disclosure (used by tests/test_page_fill.py and
benchmarks/page_fill.py): each page rendered with pdftoppm, the share of its
height between the first and the last line of ink (page header and footer
left out)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

QUARTER = 0.25
DPI = 24
_PART = re.compile(r"^\s*第[一二三四五六七八九十]+部分")


@dataclass
class PageReport:
    pages: int
    fill: list[float] = field(default_factory=list)  # per page, 0 … 1 of its height
    short: list[int] = field(default_factory=list)  # 1-based pages under a quarter
    allowed: list[int] = field(default_factory=list)  # of those: the first, before a new part, last
    texts: list[str] = field(default_factory=list)  # each page's text
    bands: list[tuple[float, float]] = field(default_factory=list)  # first and last ink, 0 … 1


def _band(png: Path) -> tuple[float, float]:
    from PIL import Image

    im = Image.open(png).convert("L")
    w, h = im.size
    px = im.load()
    top, bottom = int(h * 0.06), int(h * 0.90)  # the draft mark above, the page number below
    rows = [y for y in range(top, bottom) if any(px[x, y] < 160 for x in range(w))]
    return (rows[0] / h, (rows[-1] + 1) / h) if rows else (0.0, 0.0)


def _texts(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[k].get_textpage().get_text_range() for k in range(len(doc))]
    finally:
        doc.close()


def _first_line(text: str) -> str:
    return next((t.strip() for t in text.splitlines() if t.strip()), "")


def page_report(pdf: Path, images: Path) -> PageReport:
    images.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(images / "p")], check=True,
                   capture_output=True, timeout=600)
    pngs = sorted(images.glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
    bands = [_band(p) for p in pngs]
    texts = _texts(pdf)
    report = PageReport(len(pngs), [round(b - a, 3) for a, b in bands], texts=texts, bands=bands)
    for k, f in enumerate(report.fill, 1):
        if f < QUARTER:
            report.short.append(k)
            if k in (1, len(pngs)) or (k < len(texts) and _PART.match(_first_line(texts[k]))):
                report.allowed.append(k)
    return report


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def word_to_pdf(docx: Path, out: Path, office: str, timeout: float = 600) -> Path:
    """``docx`` converted to PDF by LibreOffice (headless, in its own temporary user profile, so
    that it neither uses nor waits for the user's running instance), into the folder ``out``."""
    import tempfile

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="juesuan-lo-") as profile:
        subprocess.run([office, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                        "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                       check=True, capture_output=True, timeout=timeout)
    pdf = out / (docx.stem + ".pdf")
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice wrote no PDF for {docx}")
    return pdf


def example_document(dataset: Path):
    """The example's Document as ``juesuan build`` assembles it (a budget through render.budget_doc)."""
    from juesuan.readers.loader import load_dataset

    ds = load_dataset(dataset)[0]
    if getattr(ds, "kind", "决算") == "预算":
        from juesuan.render.budget_doc import assemble_budget

        return assemble_budget(ds)
    from juesuan.render.build import assemble

    return assemble(ds)


def build_outputs(dataset: Path, out: Path, *, word: bool | None = None) -> dict[str, Path]:
    """The example's PDF (Typst) and, with LibreOffice (``word``: None = when installed), its Word
    file converted to PDF."""
    from juesuan.render.docx import write_docx
    from juesuan.render.typst import write_pdf_typst

    out.mkdir(parents=True, exist_ok=True)
    doc = example_document(dataset)
    files = {"typst-pdf": write_pdf_typst(doc, out / "doc.pdf")}
    office = libreoffice()
    if office and word is not False:
        docx = write_docx(doc, out / "doc.docx")
        files["word-via-libreoffice"] = word_to_pdf(docx, out / "word", office)
    return files


def _noto_faces(style: str) -> tuple[dict[int, str], dict[int, str]] | None:
    """The cmaps of the Simplified Chinese and the Japanese face of Noto ``style`` (Sans, Serif) CJK."""
    from fontTools.ttLib import TTCollection

    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", f"Noto {style} CJK SC"], capture_output=True,
                               text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    if not found.lower().endswith((".ttc", ".otc")):
        return None
    faces = {f["name"].getDebugName(1): f for f in TTCollection(found, lazy=True).fonts}
    sc, jp = faces.get(f"Noto {style} CJK SC"), faces.get(f"Noto {style} CJK JP")
    return (sc.getBestCmap(), jp.getBestCmap()) if sc and jp else None


def cjk_forms(pdf: Path) -> dict[str, tuple[int, int]]:
    """Per embedded Noto CJK font of ``pdf``: how many of its glyphs are Simplified Chinese forms
    and how many Japanese ones (glyphs whose form differs between the two faces).

    pdffonts does not tell: the Noto CJK collection shares one CFF font program, named
    ``NotoSansCJKjp-…``, between its faces, so LibreOffice embeds every face under that name;
    the glyphs (``cidNNNNN``, the CIDs of the collection) tell which face's cmap chose them.
    """
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    out: dict[str, tuple[int, int]] = {}
    with open(pdf, "rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        programs: dict[str, set[int]] = {}
        for xref in doc.xrefs:
            for objid in xref.get_objids():
                try:
                    obj = resolve1(doc.getobj(objid))
                except Exception:  # noqa: BLE001 - a free or broken object: not a font
                    continue
                if not isinstance(obj, dict) or "FontName" not in obj:
                    continue
                name = str(getattr(obj["FontName"], "name", obj["FontName"]))
                if "CJK" not in name:
                    continue
                for key in ("FontFile", "FontFile2", "FontFile3"):
                    if key in obj:
                        data = resolve1(obj[key]).get_data()
                        programs.setdefault(name, set()).update(int(m) for m in re.findall(rb"cid(\d+)", data))
    for style in ("Sans", "Serif"):
        cmaps = _noto_faces(style)
        if cmaps is None:
            continue
        sc, jp = cmaps
        sc_only = {int(v[3:]) for k, v in sc.items() if v.startswith("cid") and jp.get(k) != v}
        jp_only = {int(v[3:]) for k, v in jp.items() if v.startswith("cid") and sc.get(k) != v}
        for name, cids in programs.items():
            if f"{style}CJK" in name:
                out[name] = (len(cids & sc_only), len(cids & jp_only))
    return out


def pdffonts(pdf: Path) -> list[str]:
    """The names of the fonts ``pdf`` uses, as pdffonts lists them (subset prefix dropped)."""
    text = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=120).stdout
    return [line.split()[0].split("+", 1)[-1] for line in text.splitlines()[2:] if line.strip()]
