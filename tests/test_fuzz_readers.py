"""Fuzz the text, Word and workbook readers: mutated seeds from tests/fuzz_corpus/ end in a value or an
InputError (a Chinese message, exit 2), never another exception.

Mutations: bytes overwritten, inserted or cut anywhere in the file; for the zip
formats, the same inside one XML member (so the mutation reaches the XML and
openpyxl/python-docx, not only the zip's checksum).  Examples are bounded and
derandomised: the suite runs the same cases every time.  The corpus files were
made by ``juesuan template`` (mini.xlsx) and by hand (county-head.docx: three
XML parts written with zipfile).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from juesuan.readers.errors import InputError  # noqa: E402

CORPUS = Path(__file__).parent / "fuzz_corpus"
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

edits = st.lists(st.tuples(st.sampled_from(["set", "insert", "cut"]), st.floats(0, 1), st.binary(min_size=1,
                                                                                                  max_size=8)),
                 min_size=1, max_size=6)
_SPECIAL = [b"\xff", b"\x00", b"\r", b"\f", b"<", b"&#0;", b"]]>", b"\xe4\xb8", b"-0.00", b"1e999", b"NaN",
            b"<f>SUM(A1:A2)</f>", b'r="XFD1048576"', b"<![CDATA[", b"\x1a"]
edits_special = st.lists(st.tuples(st.sampled_from(["set", "insert", "cut"]), st.floats(0, 1),
                                   st.sampled_from(_SPECIAL)), min_size=1, max_size=4)


def mutate(data: bytes, changes: list[tuple[str, float, bytes]]) -> bytes:
    out = bytearray(data)
    for how, where, chunk in changes:
        at = int(where * max(len(out) - 1, 0))
        if how == "set":
            out[at:at + len(chunk)] = chunk
        elif how == "insert":
            out[at:at] = chunk
        else:
            del out[at:at + len(chunk) * 50]
    return bytes(out)


def mutate_member(package: bytes, member: str, changes: list[tuple[str, float, bytes]]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(package))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info.filename, mutate(data, changes) if info.filename == member else data)
    return buf.getvalue()


def read_text_or_docx(path: Path) -> None:
    from juesuan.audit.document import read_document

    try:
        read_document(path)
    except InputError as exc:
        assert exc.message and exc.describe()


def read_book(path: Path) -> None:
    from juesuan.readers.workbook import read_workbook

    try:
        read_workbook(path)
    except InputError as exc:
        assert exc.message and exc.describe()


@FUZZ
@given(name=st.sampled_from(["county-head.txt", "county-head-gb18030.txt"]), changes=edits | edits_special)
def test_text_reader_never_raises_but_input_errors(tmp_path_factory, name, changes) -> None:  # noqa: ANN001
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(mutate((CORPUS / name).read_bytes(), changes))
    read_text_or_docx(path)


@FUZZ
@given(changes=edits | edits_special, inside=st.booleans())
def test_docx_reader_never_raises_but_input_errors(tmp_path_factory, changes, inside) -> None:  # noqa: ANN001
    seed = (CORPUS / "county-head.docx").read_bytes()
    path = tmp_path_factory.mktemp("fuzz") / "doc.docx"
    path.write_bytes(mutate_member(seed, "word/document.xml", changes) if inside else mutate(seed, changes))
    read_text_or_docx(path)


@FUZZ
@given(changes=edits | edits_special, inside=st.booleans(),
       member=st.sampled_from(["xl/worksheets/sheet2.xml", "xl/worksheets/sheet4.xml", "xl/worksheets/sheet6.xml",
                               "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"]))
def test_workbook_reader_never_raises_but_input_errors(tmp_path_factory, changes, inside, member) -> None:  # noqa: ANN001
    seed = (CORPUS / "mini.xlsx").read_bytes()
    path = tmp_path_factory.mktemp("fuzz") / "book.xlsx"
    path.write_bytes(mutate_member(seed, member, changes) if inside else mutate(seed, changes))
    read_book(path)


def test_the_corpus_seeds_read() -> None:
    from juesuan.audit.document import read_document
    from juesuan.readers.workbook import read_workbook

    assert read_document(CORPUS / "county-head.docx").pages == 2
    assert "部门" in read_document(CORPUS / "county-head.txt").text
    assert read_document(CORPUS / "county-head-gb18030.txt").warnings == []
    ds, _ = read_workbook(CORPUS / "mini.xlsx")
    assert ds.year == 2023
