"""The PDF pages of an audit report: each page with a finding, rendered, its figures boxed.

A reviewer checks a finding against the page as printed, not against our
reading of its text.  The figure's box comes from the coordinates of the
words the PDF reader located on that line (``audit.document.Word``: x from
the left, y from the bottom of the page, in points), so it is where the
audit read it; the page is rendered with pypdfium2 (no network, no browser)
and embedded in the report as a ``data:`` URI, so the report stays one file.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCALE = 1.3  # 94 dpi: readable, about 80 kB a page as JPEG
MAX_PAGES = 60  # a report of a very long document shows its first pages with findings
COLOURS = {"error": (176, 0, 32), "warning": (200, 140, 0), "info": (0, 120, 170)}


@dataclass(frozen=True)
class Box:
    """A located figure on a page, in PDF points (y from the bottom)."""

    x0: float
    y0: float
    x1: float
    y1: float
    label: str  # the finding's number in the report
    severity: str


def _core(found: str | None) -> str:
    return re.sub(r"万元$|%$|元$", "", found or "").replace(",", "").strip()


def _weight(ch: str) -> float:
    """A character's share of a run's width: CJK full width, digits and Latin about half."""
    if ord(ch) > 0x2E7F:
        return 1.0
    return 0.3 if ch in ",.:;'!| " else 0.55


def _figure_pattern(core: str) -> re.Pattern[str] | None:
    if not core or not re.search(r"\d", core):
        return None
    variants = [core]
    if "." in core:  # 0.30 printed as 0.3
        variants.append(core.rstrip("0").rstrip("."))
    alts = "|".join(r"[,，\s]*".join(re.escape(ch) for ch in v) for v in variants)
    return re.compile(rf"(?<![\d.])(?:{alts})(?![\d])")


def figure_box(words: tuple, baseline: float, found: str | None) -> tuple[float, float, float, float]:
    """The box of the figure ``found`` on a line (the whole line when it is not there).

    A run of Chinese text is one word to the PDF reader ("增加3,108.77万元。"), so
    the figure's x is interpolated inside its run by character widths.
    """
    pattern = _figure_pattern(_core(found))
    spans: list[tuple[int, int, object]] = []  # (start, end) of each word in the joined text
    joined = ""
    for w in words:
        spans.append((len(joined), len(joined) + len(w.text), w))
        joined += w.text
    m = pattern.search(joined) if pattern else None
    if m:
        x0 = x1 = None
        chosen = []
        for start, end, w in spans:
            if end <= m.start() or start >= m.end():
                continue
            chosen.append(w)
            text = w.text
            total = sum(_weight(c) for c in text) or 1.0
            lo, hi = max(m.start(), start) - start, min(m.end(), end) - start
            left = w.x0 + (w.x1 - w.x0) * sum(_weight(c) for c in text[:lo]) / total
            right = w.x0 + (w.x1 - w.x0) * sum(_weight(c) for c in text[:hi]) / total
            x0 = left if x0 is None else min(x0, left)
            x1 = right if x1 is None else max(x1, right)
    else:
        chosen = list(words)
        x0, x1 = min(w.x0 for w in chosen), max(w.x1 for w in chosen)
    ys = [(w.y0, w.y1) for w in chosen if w.y1 > w.y0]
    if ys:
        y0, y1 = min(a for a, _ in ys), max(b for _, b in ys)
    else:  # heights unknown: a line of about 11 pt above the baseline
        y0, y1 = baseline - 2.5, baseline + 9.5
    return x0 - 3, y0 - 2, x1 + 3, y1 + 2


def page_boxes(a: Any) -> dict[int, list[Box]]:
    """The boxes to draw, by page, for the findings of a PDF audit (``DocAudit``)."""
    out: dict[int, list[Box]] = {}
    for i, f in enumerate(a.findings):
        loc = f.location
        entry = a.boxes.get((loc.page, loc.line)) if loc.page and loc.line else None
        if not entry or not entry[0]:
            continue
        words, baseline = entry
        x0, y0, x1, y1 = figure_box(words, baseline, f.found)
        out.setdefault(loc.page, []).append(Box(x0, y0, x1, y1, str(i + 1), f.severity.value))
    return out


def page_images(a: Any) -> dict[int, str]:
    """Page → ``data:image/jpeg`` URI of the rendered page with its boxes; {} when not a readable PDF."""
    if getattr(a, "source_kind", None) != "pdf" or not Path(a.path).is_file():
        return {}
    boxes = page_boxes(a)
    if not boxes:
        return {}
    try:
        import pypdfium2 as pdfium
        from PIL import ImageDraw
    except ImportError:  # the report goes without page images
        return {}
    out: dict[int, str] = {}
    try:
        pdf = pdfium.PdfDocument(str(a.path))
    except Exception:  # noqa: BLE001 - the file changed since it was audited: no images
        return {}
    try:
        for page_no in sorted(boxes)[:MAX_PAGES]:
            if not 1 <= page_no <= len(pdf):
                continue
            page = pdf[page_no - 1]
            height = page.get_height()
            image = page.render(scale=SCALE).to_pil().convert("RGB")
            page.close()
            draw = ImageDraw.Draw(image)
            for b in boxes[page_no]:
                colour = COLOURS.get(b.severity, COLOURS["error"])
                rect = (b.x0 * SCALE, (height - b.y1) * SCALE, b.x1 * SCALE, (height - b.y0) * SCALE)
                draw.rectangle(rect, outline=colour, width=3)
                draw.rectangle((rect[2] + 1, rect[1] - 12, rect[2] + 8 + 7 * len(b.label), rect[1]), fill=colour)
                draw.text((rect[2] + 4, rect[1] - 12), b.label, fill=(255, 255, 255))
            buf = io.BytesIO()
            image.save(buf, "JPEG", quality=72)
            out[page_no] = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    finally:
        pdf.close()
    return out
