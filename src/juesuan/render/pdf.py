"""PDF output: the print-styled HTML laid out by WeasyPrint (no network, system fonts).

WeasyPrint finds fonts through fontconfig/Pango, embeds the subsets it uses,
draws the page numbers from the CSS counters and the TOC page numbers from
``target-counter``.  The URL fetcher refuses every URL, so a stray link in
user text can never make the build touch the network.
"""

from __future__ import annotations

from pathlib import Path

from juesuan.render.blocks import Document
from juesuan.render.html import render_html


class PdfEngineMissing(RuntimeError):
    """WeasyPrint (or its system libraries, Pango) cannot be loaded."""


def _offline_fetcher():
    """A URL fetcher that only opens ``data:`` URIs (WeasyPrint ≥ 68 and older APIs)."""
    from weasyprint import urls

    if hasattr(urls, "URLFetcher"):
        return urls.URLFetcher(allowed_protocols={"data"})

    def fetch(url: str, *args, **kwargs):  # pragma: no cover - WeasyPrint < 68
        if url.startswith("data:"):
            return urls.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"外部资源已禁止：{url}")

    return fetch


def fast_subsetting() -> bool:
    """Whether HarfBuzz-Subset is available (else WeasyPrint subsets CJK fonts with
    fontTools, about 3 s per font face: install libharfbuzz-subset0 on Debian/UOS)."""
    try:
        from weasyprint.text.ffi import harfbuzz_subset
    except (ImportError, OSError):
        return False
    return harfbuzz_subset is not None


def write_pdf(doc: Document, path: Path | str, *, watermark: str = "") -> Path:
    """Write ``doc`` as a PDF at ``path`` (A4, fonts embedded, page numbers, TOC pages)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/cairo shared libraries missing
        raise PdfEngineMissing(f"无法加载 PDF 引擎 WeasyPrint：{exc}") from exc
    html = render_html(doc, watermark=watermark, for_print=True)
    path = Path(path)
    HTML(string=html, url_fetcher=_offline_fetcher(), base_url=None).write_pdf(str(path))
    return path
