"""The Excel workbook input: finance staff paste the official tables and fill the rest.

The layout (sheet names, header labels, columns ↔ model fields) is described
once, in ``workbook_layout``; ``workbook_write`` writes it and
``workbook_read`` reads it back, so a written workbook reads back to the same
dataset.  Reading is tolerant (headers found by their labels, split 类/款/项
code columns, amounts as text with thousands separators, 万元 or 元) and every
figure keeps its sheet and cell for the checker's findings.
"""

from __future__ import annotations

from juesuan.readers.workbook_read import MAX_BYTES, read_workbook
from juesuan.readers.workbook_write import build_workbook, write_template

__all__ = ["MAX_BYTES", "build_workbook", "read_workbook", "write_template"]
