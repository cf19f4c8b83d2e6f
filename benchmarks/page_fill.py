"""Page fill of the built disclosures: how much of each page's height holds ink.

Renders each example's PDF (Typst) and, when LibreOffice is installed, its Word
file through LibreOffice, to images with pdftoppm, and prints per document the
pages, the pages holding less than a quarter of their height (the cover, a page
before a new part and the last page are allowed) and the fill of each page.

    python benchmarks/page_fill.py [--keep DIR]

Figures: the real example datasets (the seed, Putuo, Wuxi's budget) built by this checkout.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.page_fill import build_outputs, page_report  # noqa: E402

EXAMPLES = ("wuhai-gxj-2023", "putuo-czj-2024", "wuxi-tjj-2026-budget")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", type=Path, help="keep the PDFs and page images in this folder")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="page-fill-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name in EXAMPLES:
        t = time.perf_counter()
        for kind, pdf in build_outputs(ROOT / "examples" / name, folder / name).items():
            report = page_report(pdf, folder / name / kind)
            short = [p for p in report.short if p not in report.allowed]
            print(f"{name} {kind}: {report.pages} pages, under a quarter: {report.short} "
                  f"(allowed: cover, before a new part, last: {report.allowed}); not allowed: {short}")
            print("  fill:", " ".join(f"{f:.2f}" for f in report.fill))
        print(f"  ({time.perf_counter() - t:.1f} s)")


if __name__ == "__main__":
    main()
