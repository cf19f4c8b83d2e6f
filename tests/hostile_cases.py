"""Hostile inputs, generated small in a folder: each a name, the limit it meets and the command it breaks.

Shared by ``tests/test_hostile.py`` (every case a subprocess under a memory
limit) and ``benchmarks/hostile.py`` (the table of cases, limits and times).
Each maker writes its file into ``folder`` and returns the command's
arguments; nothing here is read from outside the repository except the seed
text, which makes no case of its own.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MINI = Path(__file__).parent / "data" / "mini.yaml"
_HEAD = "year: 2023\ndepartment: {name: 示例局}\n"


@dataclass(frozen=True)
class Case:
    name: str
    limit: str  # the limit or rule that ends it
    make: Callable[[Path], list[str]]  # writes the input into the folder, returns the juesuan arguments
    needle: str  # a part of the Chinese message


def _yaml(folder: Path, text: str, name: str = "bad.yaml") -> list[str]:
    (folder / name).write_text(text, encoding="utf-8")
    return ["check", str(folder / name)]


def _alias_bomb(folder: Path) -> list[str]:
    levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 12)]
    return _yaml(folder, _HEAD + "\n".join(levels) + "\n")


def _cycle(folder: Path) -> list[str]:
    (folder / "a.yaml").write_text(_HEAD + "last_year: {dataset: b.yaml}\n", encoding="utf-8")
    (folder / "b.yaml").write_text(_HEAD.replace("2023", "2022") + "last_year: {dataset: a.yaml}\n", encoding="utf-8")
    return ["check", str(folder / "a.yaml")]


# --- workbooks: a real template, its XML edited in the zip ------------------------------------

def _template(folder: Path) -> Path:
    from juesuan.readers.workbook_write import write_template
    from juesuan.readers.yaml_io import load_yaml

    path = folder / "book.xlsx"
    write_template(path, load_yaml(MINI)[0])
    return path


def _edit_sheet(path: Path, edit: Callable[[str], str], part: str = "xl/worksheets/sheet2.xml") -> None:
    """Rewrite one worksheet's XML inside the xlsx (other members copied as they are)."""
    src = path.with_suffix(".src.xlsx")
    path.rename(src)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                data = edit(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    src.unlink()


def _book(edit: Callable[[str], str]) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        path = _template(folder)
        _edit_sheet(path, edit)
        return ["check", str(path)]
    return make


def _after_data(extra: str) -> Callable[[str], str]:
    return lambda xml: xml.replace("</sheetData>", extra + "</sheetData>", 1)


def _after_sheet_data(extra: str) -> Callable[[str], str]:
    return lambda xml: re.sub(r"<mergeCells[^>]*>.*?</mergeCells>|<mergeCells[^>]*/>", "", xml).replace(
        "</sheetData>", "</sheetData>" + extra, 1)


def _million_rows(xml: str) -> str:
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="n"><v>1</v></c></row>' for r in range(100, 1_000_100))
    return xml.replace("</sheetData>", rows + "</sheetData>", 1)


AMOUNT_SHEET = "收入支出决算总表"


def _amount_cell(value: object) -> Callable[[Path], list[str]]:
    """The template with its first amount replaced by ``value`` (openpyxl saves a formula with no result)."""
    def make(folder: Path) -> list[str]:
        import openpyxl

        path = _template(folder)
        wb = openpyxl.load_workbook(path)
        ws = wb[AMOUNT_SHEET]
        cell = next(c for row in ws.iter_rows(min_row=4) for c in row
                    if isinstance(c.value, int | float) and not isinstance(c.value, bool))
        cell.value = value
        wb.save(path)
        return ["check", str(path)]
    return make


def _zip_bomb(folder: Path, name: str, member: str) -> list[str]:
    """A zip whose one member inflates to 3 GB of zeros: 3 MB on disk, made in a second.

    Deflate blocks ended by a full flush do not depend on what came before, so
    one compressed 16 MB block of zeros is repeated; the zip is written by hand.
    """
    import struct
    import zlib

    chunk, count = 16 * 2**20, 192  # 3 GiB, below 4 GiB: no zip64 needed
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(b"\0" * chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    data = block * count + comp.flush()
    crc = 0
    zeros = b"\0" * chunk
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    size = chunk * count
    fname = member.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\3\4", 20, 0, 8, 0, 0, crc, len(data), size, len(fname), 0) + fname
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\1\2", 20, 20, 0, 8, 0, 0, crc, len(data), size, len(fname),
                          0, 0, 0, 0, 0, 0) + fname
    end = struct.pack("<4sHHHHIIH", b"PK\5\6", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    path = folder / name
    path.write_bytes(local + data + central + end)
    return ["audit" if name.endswith(".docx") else "check", str(path)]


# --- documents ------------------------------------------------------------------------------

def _many_pages_pdf(folder: Path) -> list[str]:
    """20,000 pages (four times the limit) sharing one content stream and their size (1.5 MB on disk)."""
    pages = 20_000
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [" + " ".join(f"{i + 4} 0 R" for i in range(pages)) + f"] /Count {pages} "
            "/MediaBox [0 0 595 842] >>",
            "<< /Length 0 >>\nstream\n\nendstream"]
    objs += ["<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"] * pages
    return _pdf(folder / "pages.pdf", objs)


def _huge_page_pdf(folder: Path) -> list[str]:
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            "<< /Length 0 >>\nstream\n\nendstream",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 3 0 R >>"]
    return _pdf(folder / "huge.pdf", objs)


def _flate_bomb_pdf(folder: Path) -> list[str]:
    """One page whose content stream inflates to 1 GB of text-drawing operators (about 1 MB on disk)."""
    import zlib

    op = b"BT /F1 1 Tf 10 10 Td (0000000000) Tj ET\n" * 100_000  # 4 MB
    count = 2**30 // len(op)
    comp = zlib.compressobj(9)
    first = comp.compress(op) + comp.flush(zlib.Z_FULL_FLUSH)  # with the zlib header
    block = comp.compress(op) + comp.flush(zlib.Z_FULL_FLUSH)  # does not depend on the blocks before
    adler = 1
    for _ in range(count):
        adler = zlib.adler32(op, adler)
    body = first + block * (count - 1) + comp.flush()[:-4] + adler.to_bytes(4, "big")
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            f"<< /Length {len(body)} /Filter /FlateDecode >>\nstream\n".encode("latin-1") + body + b"\nendstream",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            "/Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return _pdf(folder / "bomb.pdf", objs)


def _pdf(path: Path, objs: list[str | bytes]) -> list[str]:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + (obj if isinstance(obj, bytes) else obj.encode("latin-1")) + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return ["audit", str(path)]


def _sparse_text(folder: Path) -> list[str]:
    path = folder / "big.txt"
    with path.open("wb") as fh:
        fh.truncate(6 * 2**30)  # 6 GB on paper, nothing on disk
    return ["audit", str(path)]


def _many_lines(folder: Path) -> list[str]:
    """Two million empty lines (2 MB): a Line object each would be gigabytes at the byte limit."""
    (folder / "lines.txt").write_bytes("决算\n".encode() + b"\n" * 2_000_000)
    return ["audit", str(folder / "lines.txt")]


def _slow_text(folder: Path) -> list[str]:
    """A real disclosure text and a time limit of a millisecond: the deadline ends the audit."""
    doc = folder / "county.txt"
    doc.write_bytes((Path(__file__).parent / "data" / "county-sichuan-style-2023.txt").read_bytes())
    return ["audit", str(doc), "--time-limit", "0.001"]


CASES: list[Case] = [
    Case("yaml alias bomb", "JUESUAN_MAX_YAML_NODES 200,000", _alias_bomb, "YAML 节点过多"),
    Case("yaml 900 levels", "JUESUAN_MAX_YAML_DEPTH 64", lambda f: _yaml(f, _HEAD + "x: " + "[" * 900 + "]" * 900),
         "嵌套过深"),
    Case("yaml .nan", "finite numbers", lambda f: _yaml(f, _HEAD + "income: {general_budget: .nan}\n"), "不是数字"),
    Case("yaml .inf", "finite numbers", lambda f: _yaml(f, _HEAD + "income: {general_budget: .inf}\n"), "无穷大"),
    Case("yaml 5,000-digit int", "40 digits, 10^15",
         lambda f: _yaml(f, _HEAD + "income: {general_budget: " + "9" * 5000 + "}\n"), "数值过大"),
    Case("yaml duplicate key", "unique keys", lambda f: _yaml(f, _HEAD + "year: 2024\n"), "重复"),
    Case("yaml year 1999", "2000 ≤ year ≤ 2100", lambda f: _yaml(f, "year: 1999\ndepartment: {name: a}\n"),
         "不能小于 2000"),
    Case("yaml last_year itself", "no reference cycles",
         lambda f: _yaml(f, _HEAD + "last_year: {dataset: self.yaml}\n", "self.yaml"), "成环"),
    Case("yaml last_year a→b→a", "no reference cycles", _cycle, "成环"),
    Case("xlsx value at XFD1048576", "JUESUAN_MAX_SHEET_CELLS 2,000,000 (area)",
         _book(_after_data('<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>')), "数据范围过大"),
    Case("xlsx merged whole column", "JUESUAN_MAX_MERGED_CELLS 100,000",
         _book(_after_sheet_data('<mergeCells count="1"><mergeCell ref="Z1:Z1048576"/></mergeCells>')),
         "合并单元格过大"),
    Case("xlsx 1,000,000 rows", "JUESUAN_MAX_SHEET_ROWS 100,000", _book(_million_rows), "行的上限"),
    Case("xlsx formula, no cached value", "formulas computed", _amount_cell("=SUM(C1:C2)"), "公式没有计算结果"),
    Case("xlsx time in an amount", "amounts are numbers", _amount_cell(dt.time(12, 30)), "日期或时间"),
    Case("xlsx date in an amount", "amounts are numbers", _amount_cell(dt.datetime(2023, 3, 14)), "日期或时间"),
    Case("xlsx zip bomb", "JUESUAN_MAX_ZIP_MEMBER_BYTES 256 MB",
         lambda f: _zip_bomb(f, "bomb.xlsx", "xl/worksheets/sheet1.xml"), "压缩炸弹"),
    Case("docx zip bomb", "JUESUAN_MAX_ZIP_MEMBER_BYTES 256 MB",
         lambda f: _zip_bomb(f, "bomb.docx", "word/document.xml"), "压缩炸弹"),
    Case("pdf 20,000 pages", "JUESUAN_MAX_PDF_PAGES 5,000", _many_pages_pdf, "页数过多"),
    Case("pdf page 5 m wide", "JUESUAN_MAX_PDF_PAGE_SIZE 5 m", _huge_page_pdf, "页面尺寸过大"),
    Case("pdf flate bomb", "JUESUAN_MAX_PDF_STREAM_BYTES 32 MB", _flate_bomb_pdf, "压缩炸弹"),
    Case("text 2,000,000 lines", "JUESUAN_MAX_LINES 1,000,000", _many_lines, "行数过多"),
    Case("text 6 GB", "JUESUAN_MAX_BYTES 100 MB", _sparse_text, "文件过大"),
    Case("audit time limit", "--time-limit / JUESUAN_AUDIT_TIME_LIMIT 120 s", _slow_text, "时间上限"),
    Case("/dev/zero", "ordinary files only", lambda f: ["audit", "/dev/zero"], "不是普通文件"),
]

