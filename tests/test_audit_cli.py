"""``juesuan audit`` / ``juesuan extract``: formats, exit codes, unusable input (exit 2, Chinese, no traceback)."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.cli import app
from tests.conftest import shared_file

SEED = "seed/000_1d4d631d9d557d27.txt"
PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"
runner = CliRunner()


def _run(*args: str):  # noqa: ANN202
    return runner.invoke(app, list(args))


def test_seed_json_report(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = _run("audit", str(shared_file(SEED)), "--format", "json", "-o", str(out))
    assert r.exit_code == 1  # error-level findings
    doc = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    assert doc["profile"] == "neimenggu-2023" and doc["year"] == 2023 and doc["department"] == "乌海市工业和信息化局"
    assert doc["checks_run"] and doc["checks_skipped"]
    f = next(f for f in doc["findings"] if f["rule"] == "narrative.budget_diff")
    assert f["location"]["line"] == 254 and f["found"] and f["expected"]


def test_putuo_html_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    r = _run("audit", str(shared_file(PUTUO)), "--format", "html", "-o", str(out))
    assert r.exit_code == 1
    html = out.read_text(encoding="utf-8")
    assert "<mark" in html and "71.73" in html and "第 21 页" in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_text_report_and_batch_folder(tmp_path: Path) -> None:
    shutil.copy(shared_file(SEED), tmp_path / "a.txt")
    shutil.copy(shared_file(PUTUO), tmp_path / "b.pdf")
    r = _run("audit", str(tmp_path))
    assert r.exit_code == 1
    assert "a.txt" in r.output and "b.pdf" in r.output and "narrative.share" in r.output


def test_extract_yaml_is_accepted_by_check(tmp_path: Path) -> None:
    out = tmp_path / "ds.yaml"
    r = _run("extract", str(shared_file(SEED)), "--format", "yaml", "-o", str(out))
    assert r.exit_code == 0, r.output
    r = _run("check", str(out))
    assert r.exit_code in (0, 1) and "Traceback" not in r.output
    r = _run("extract", str(shared_file(SEED)), "--format", "json")
    assert json.loads(r.stdout)["year"] == 2023


# --- unusable input ---------------------------------------------------------------------


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for ch in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(ch ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _encrypted_pdf(path: Path) -> None:
    """A one-page PDF encrypted (RC4 40-bit, R2) with user password "secret"."""
    user, owner, file_id, perms = b"secret", b"owner", b"0123456789abcdef", -4
    o = _rc4(hashlib.md5((owner + _PAD)[:32]).digest()[:5], (user + _PAD)[:32])
    key = hashlib.md5((user + _PAD)[:32] + o + perms.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    u = _rc4(key, _PAD)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <" + u.hex().encode()
            + b"> /P " + str(perms).encode() + b" >>"]
    body, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(body))
        body += f"{n} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += (b"trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<" + file_id.hex().encode() + b"> <"
             + file_id.hex().encode() + b">] >>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n")
    path.write_bytes(body)


def _scanned_pdf(path: Path) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(img).text((50, 50), "2023 juesuan (scanned image)", fill="black")
    img.save(path, "PDF")


def _truncated_docx(path: Path, tmp: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("第二部分 部门决算情况说明")
    full = tmp / "full.docx"
    d.save(str(full))
    data = full.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("kind", ["empty", "binary", "encrypted", "scanned", "letter", "truncated_docx", "missing"])
def test_unusable_input_exit_2(tmp_path: Path, kind: str) -> None:
    p = tmp_path / {"encrypted": "e.pdf", "scanned": "s.pdf", "truncated_docx": "t.docx"}.get(kind, "d.txt")
    if kind == "empty":
        p.write_bytes(b"")
    elif kind == "binary":
        p.write_bytes(bytes(range(256)) * 50)
    elif kind == "encrypted":
        _encrypted_pdf(p)
    elif kind == "scanned":
        _scanned_pdf(p)
    elif kind == "letter":
        p.write_text("关于召开年度工作会议的通知\n请各科室准时参加。\n", encoding="utf-8")
    elif kind == "truncated_docx":
        _truncated_docx(p, tmp_path)
    for cmd in ("audit", "extract"):
        r = _run(cmd, str(p))
        assert r.exit_code == 2, (kind, cmd, r.output)
        assert "Traceback" not in r.output
        assert any("\u4e00" <= ch <= "\u9fff" for ch in r.output), r.output
        assert r.exception is None or isinstance(r.exception, SystemExit)


def test_encrypted_pdf_message(tmp_path: Path) -> None:
    p = tmp_path / "e.pdf"
    _encrypted_pdf(p)
    r = _run("audit", str(p))
    assert "加密" in r.output


def test_docx_is_read(tmp_path: Path) -> None:
    """A Word document with the seed's text is audited like the text (page/paragraph locations)."""
    import docx

    d = docx.Document()
    for line in Path(shared_file(SEED)).read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            d.add_paragraph(line.replace("#", "").replace("**", ""))
    p = tmp_path / "seed.docx"
    d.save(str(p))
    r = _run("audit", str(p), "--format", "json")
    assert r.exit_code == 1
    rules = {f["rule"] for f in json.loads(r.stdout)["documents"][0]["findings"]}
    assert {"narrative.share", "narrative.budget_diff"} <= rules
    assert zipfile.is_zipfile(p)


def test_extract_of_the_putuo_pdf_checks_clean(tmp_path):
    """What extract recovers from the real PDF (units included) passes `juesuan check`."""
    pdf = shared_file("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf")
    out = tmp_path / "putuo.yaml"
    result = CliRunner().invoke(app, ["extract", str(pdf), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "&id" not in text  # plain YAML, no anchors
    assert "上海市普陀区国库收付中心" in text and "预算不单列，并入本级" in text
    result = CliRunner().invoke(app, ["check", str(out)])
    assert result.exit_code == 0, result.output
