"""``juesuan build`` and ``juesuan.render.build``: outputs, atomic folder, --force, draft policy."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

pytest.importorskip("docx")
pytest.importorskip("jinja2")

from docx import Document as load_docx  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import juesuan.render.docx as docx_mod  # noqa: E402
import juesuan.render.html as html_mod  # noqa: E402
from juesuan.cli import app  # noqa: E402
from juesuan.readers.loader import load_dataset  # noqa: E402
from juesuan.render.blocks import Figure, Toc  # noqa: E402
from juesuan.render.build import DRAFT_MARK, assemble, output_names  # noqa: E402
from tests.test_render_common import check_golden, docx_text, html_text  # noqa: E402

MINI = Path(__file__).parent / "data" / "mini.yaml"
FAST = "docx,html,xlsx"
runner = CliRunner()


def names() -> dict[str, str]:
    ds, _ = load_dataset(MINI)
    return output_names(ds)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The mini dataset without a contact phone: an error-level finding (required.field)."""
    text = MINI.read_text(encoding="utf-8").replace("phone: 0471-1234567", 'phone: ""')
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def build(*args: str):
    return runner.invoke(app, ["build", *args])


def test_assemble_has_every_part() -> None:
    ds, _ = load_dataset(MINI)
    doc = assemble(ds)
    ids = [t.id for t in doc.tables()]
    assert [i for i in ids if i.startswith("t")] == [f"t{k:02d}" for k in range(1, 12)]
    assert sum(isinstance(b, Toc) for b in doc.blocks) == 1
    assert doc.department == ds.department.name and doc.year == 2023
    assert all(isinstance(b, Figure) is False or b.png for b in doc.blocks)


def test_clean_build_writes_everything(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = build(str(MINI), "-o", str(out), "--format", "docx,html,xlsx,pdf")
    assert r.exit_code == 0, r.output
    n = names()
    for key in ("docx", "pdf", "html", "xlsx"):
        assert (out / n[key]).is_file(), key
    assert n["docx"].endswith("_2023_部门决算.docx") and n["xlsx"].endswith("_2023_部门决算表.xlsx")
    assert list((out / "charts").glob("*.png")) and list((out / "charts").glob("*.svg"))
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["publishable"] is True and data["draft"] is False
    assert str(out) in r.output and "已生成" in r.output
    assert DRAFT_MARK not in (out / n["html"]).read_text(encoding="utf-8")
    assert leftovers(tmp_path) == []


def test_clean_build_text_golden(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(str(MINI), "-o", str(out), "--format", FAST).exit_code == 0
    n = names()
    check_golden("mini.docx.txt", docx_text(out / n["docx"]))
    check_golden("mini.html.txt", html_text((out / n["html"]).read_text(encoding="utf-8")))


def test_existing_folder_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old", encoding="utf-8")
    r = build(str(MINI), "-o", str(out), "--format", "html")
    assert r.exit_code == 2
    assert "已存在" in r.output and "--force" in r.output
    assert (out / "old.txt").exists()


def test_force_replaces_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".juesuan-output").write_text("", encoding="utf-8")  # a folder a build wrote (test_hostile: others)
    (out / "old.txt").write_text("old", encoding="utf-8")
    r = build(str(MINI), "-o", str(out), "--format", "html", "--force")
    assert r.exit_code == 0, r.output
    assert not (out / "old.txt").exists()
    assert (out / names()["html"]).is_file()
    assert leftovers(tmp_path) == []


def test_failure_mid_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(html_mod, "render_html", boom)
    out = tmp_path / "out"
    r = build(str(MINI), "-o", str(out), "--format", FAST)
    assert r.exit_code == 2
    assert "程序内部错误" in r.output and "Traceback" not in r.output
    assert not out.exists()
    assert leftovers(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_failure_with_force_keeps_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(html_mod, "render_html", boom)
    r = build(str(MINI), "-o", str(out), "--format", FAST, "--force")
    assert r.exit_code == 2
    assert (out / "old.txt").read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_disk_full_is_an_output_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(docx_mod, "write_docx", full)
    out = tmp_path / "out"
    r = build(str(MINI), "-o", str(out), "--format", FAST)
    assert r.exit_code == 2
    assert "磁盘空间不足" in r.output
    assert not out.exists() and leftovers(tmp_path) == []


def test_error_findings_refuse_build(tmp_path: Path, broken: Path) -> None:
    out = tmp_path / "out"
    r = build(str(broken), "-o", str(out), "--format", FAST)
    assert r.exit_code == 1
    assert "未生成" in r.output and "--draft" in r.output and "required.field" in r.output
    assert not out.exists() and leftovers(tmp_path) == []


def test_draft_is_marked_everywhere(tmp_path: Path, broken: Path) -> None:
    out = tmp_path / "out"
    r = build(str(broken), "-o", str(out), "--format", FAST, "--draft")
    assert r.exit_code == 1, r.output
    assert "草稿" in r.output
    ds, _ = load_dataset(broken)
    n = output_names(ds)
    d = load_docx(str(out / n["docx"]))
    assert all(DRAFT_MARK in s.header.paragraphs[0].text for s in d.sections)
    text = docx_text(out / n["docx"])
    assert "附录 数据检查问题清单" in text and "required.field" in text
    page = (out / n["html"]).read_text(encoding="utf-8")
    assert 'class="draft-banner"' in page and DRAFT_MARK in page
    wb = load_workbook(out / n["xlsx"])
    assert wb.sheetnames[0] == "草稿" and DRAFT_MARK in wb["草稿"]["A1"].value
    assert all(DRAFT_MARK in ws.oddHeader.center.text for ws in wb.worksheets[1:])
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["draft"] is True and data["publishable"] is False
    assert any(f["rule"] == "required.field" for f in data["findings"])


def test_draft_flag_on_clean_data_is_a_normal_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = build(str(MINI), "-o", str(out), "--format", "html", "--draft")
    assert r.exit_code == 0
    assert DRAFT_MARK not in (out / names()["html"]).read_text(encoding="utf-8")


def test_unreadable_input(tmp_path: Path) -> None:
    r = build(str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out"))
    assert r.exit_code == 2
    assert "无法读取输入" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


def test_unknown_format(tmp_path: Path) -> None:
    r = build(str(MINI), "-o", str(tmp_path / "out"), "--format", "docx,odt")
    assert r.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_unknown_profile(tmp_path: Path) -> None:
    r = build(str(MINI), "-o", str(tmp_path / "out"), "--format", "html", "--profile", "atlantis")
    assert r.exit_code == 2
    assert "atlantis" in r.output
    assert not (tmp_path / "out").exists()


def test_output_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    r = build(str(MINI), "-o", str(target), "--format", "html", "--force")
    assert r.exit_code == 2 and "不是文件夹" in r.output


def test_help_states_policy() -> None:
    r = runner.invoke(app, ["build", "--help"])
    assert r.exit_code == 0
    assert "--draft" in r.output and "退出码" in r.output
