"""Hostile input (issue 8): nothing of the user's destroyed, no traceback, exit 2 with a Chinese message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.cli import app

runner = CliRunner()
DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
SEED = Path("/work/shared/seed/000_1d4d631d9d557d27.txt")


def run(*args: str):  # noqa: ANN201 - click Result
    r = runner.invoke(app, list(args))
    assert "Traceback" not in r.output
    assert not isinstance(r.exception, Exception) or isinstance(r.exception, SystemExit), r.exception
    return r


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_force_never_replaces_the_input_dataset_folder(tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    ds.mkdir()
    shutil.copy(MINI, ds / "dataset.yaml")
    (ds / "notes.txt").write_text("我的笔记", encoding="utf-8")
    before = snapshot(ds)
    r = run("build", str(ds), "-o", str(ds), "--format", "html", "--force")
    assert r.exit_code == 2 and "输入数据集" in r.output
    assert snapshot(ds) == before


def test_force_never_replaces_a_folder_holding_the_input(tmp_path: Path) -> None:
    shutil.copy(MINI, tmp_path / "mini.yaml")
    (tmp_path / ".juesuan-output").write_text("", encoding="utf-8")  # even with the marker
    before = snapshot(tmp_path)
    r = run("build", str(tmp_path / "mini.yaml"), "-o", str(tmp_path), "--format", "html", "--force")
    assert r.exit_code == 2 and "输入数据集" in r.output
    assert snapshot(tmp_path) == before


def test_force_refuses_a_folder_juesuan_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "photos"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"\xff\xd8 precious")
    r = run("build", str(MINI), "-o", str(out), "--format", "html", "--force")
    assert r.exit_code == 2 and "不是 juesuan build 生成的" in r.output
    assert (out / "holiday.jpg").read_bytes() == b"\xff\xd8 precious"


def test_force_replaces_its_own_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", str(MINI), "-o", str(out), "--format", "html").exit_code == 0
    assert (out / ".juesuan-output").is_file()
    r = run("build", str(MINI), "-o", str(out), "--format", "html", "--force")
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(("command", "output"), [
    ("audit", lambda folder, doc: doc),  # -o is the document itself
    ("audit", lambda folder, doc: folder / "." / "doc.txt"),  # the folder's document by another name
    ("extract", lambda folder, doc: doc),
])
def test_an_output_equal_to_an_input_is_refused(tmp_path: Path, command: str, output) -> None:  # noqa: ANN001
    doc = tmp_path / "doc.txt"
    doc.write_text("本文档不是决算。\n", encoding="utf-8")
    source = tmp_path if output(tmp_path, doc) != doc else doc
    r = run(command, str(source), "-o", str(output(tmp_path, doc)))
    assert r.exit_code == 2 and "输出文件就是输入" in r.output
    assert doc.read_text(encoding="utf-8") == "本文档不是决算。\n"


def test_template_from_itself_refused(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"PK not really")
    r = run("template", str(book), "--from", str(book), "--force")
    assert r.exit_code == 2 and "输出文件就是输入文件" in r.output
    assert book.read_bytes() == b"PK not really"


def test_markup_in_a_path_is_printed_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "[link=evil]a["  # the path reads “…[link=evil]a[/x].txt”
    folder.mkdir(parents=True)
    doc = folder / "x].txt"
    doc.write_text("", encoding="utf-8")
    r = run("audit", str(doc))
    assert r.exit_code == 2 and "[/x]" in r.output and "文件是空的" in r.output


def test_markup_in_a_dataset_path_is_printed_not_read(tmp_path: Path) -> None:
    (tmp_path / "a[").mkdir()
    bad = tmp_path / "a[" / "x].yaml"  # “…a[/x].yaml”
    bad.write_text("year: [", encoding="utf-8")
    r = run("check", str(bad))
    assert r.exit_code == 2 and "a[/x].yaml" in r.output


def test_a_device_is_refused_before_it_is_read() -> None:
    r = run("audit", "/dev/zero")
    assert r.exit_code == 2 and "不是普通文件" in r.output


def test_a_huge_text_is_refused_by_its_size(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from juesuan.audit import document

    monkeypatch.setattr(document, "MAX_BYTES", 1000)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(10**9)  # sparse: 1 GB on paper, nothing on disk, never read
    r = run("audit", str(big))
    assert r.exit_code == 2 and "文件过大" in r.output


def test_cr_only_line_ends_are_lines(tmp_path: Path) -> None:
    from juesuan.audit.document import read_document

    doc = tmp_path / "cr.txt"
    doc.write_bytes("第一行\r第二行\r第三行".encode())
    assert [line.text for line in read_document(doc).lines] == ["第一行", "第二行", "第三行"]
