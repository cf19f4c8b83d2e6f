"""The web application through FastAPI's TestClient: the API answers as the commands do, the
filler's forms and build, the reviewer's reports, and safety (escaping, uploads, errors)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("fastapi", reason="the web application needs the [web] extra (FastAPI, uvicorn …)")
pytest.importorskip("sqlalchemy", reason="the web application needs the [store] extra")

from juesuan.cli import app as cli  # noqa: E402
from tests.conftest import shared_file  # noqa: E402
from tests.web_helpers import (  # noqa: E402
    PUTUO,
    PUTUO_NAME,
    WUHAI,
    WUHAI_NAME,
    client,
    workbook_bytes,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bearer(site, user: str) -> dict[str, str]:  # noqa: ANN001
    return {"Authorization": f"Bearer {site.tokens[user]}"}


def _cli_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, list(args))
    return json.loads(result.stdout)


def test_api_check_answers_what_juesuan_check_prints(site, tmp_path: Path) -> None:  # noqa: ANN001
    c = client(site)
    data = (WUHAI / "dataset.yaml").read_bytes()
    r = c.post("/api/check", headers=_bearer(site, "admin"), files={"file": ("dataset.yaml", data)})
    assert r.status_code == 200, r.text
    got = r.json()
    want = _cli_json("check", str(WUHAI / "dataset.yaml"), "-f", "json")
    assert got["summary"] == want["summary"] == {"error": 2, "warning": 3, "info": 0}
    assert [f["rule"] for f in got["findings"]] == [f["rule"] for f in want["findings"]]
    assert got["department"] == WUHAI_NAME and got["year"] == 2023
    # the same figures from a workbook point at sheets and cells
    r = c.post("/api/check", headers=_bearer(site, "admin"),
               files={"file": ("乌海.xlsx", workbook_bytes(WUHAI, tmp_path), XLSX)})
    assert r.json()["summary"]["error"] == 2
    assert any("sheet" in f["location"] for f in r.json()["findings"])


def test_api_audit_answers_what_juesuan_audit_prints(site) -> None:  # noqa: ANN001
    seed = shared_file("seed/000_1d4d631d9d557d27.txt")
    r = client(site).post("/api/audit", headers=_bearer(site, "reviewer"), files={"file": (seed.name, seed.read_bytes())})
    assert r.status_code == 200, r.text
    got = r.json()["documents"][0]
    want = _cli_json("audit", str(seed), "-f", "json")["documents"][0]
    assert got["path"] == seed.name
    assert got["summary"] == want["summary"]
    assert [(f["rule"], f["location"]["line"]) for f in got["findings"]] == \
        [(f["rule"], f["location"]["line"]) for f in want["findings"]]
    assert got["department"] == "乌海市工业和信息化局" and got["year"] == 2023


def test_api_build_gives_the_disclosure_as_a_zip_and_refuses_errors(site) -> None:  # noqa: ANN001
    c = client(site)
    r = c.post("/api/build", headers=_bearer(site, "filler"),
               files={"file": ("dataset.yaml", (PUTUO / "dataset.yaml").read_bytes())})
    assert r.status_code == 200, r.text[:500]
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert f"{PUTUO_NAME}_2024_部门决算.docx" in names and f"{PUTUO_NAME}_2024_部门决算.pdf" in names
    assert f"{PUTUO_NAME}_2024_部门决算表.xlsx" in names and "findings.json" in names
    # the seed has error-level findings: no build, as on the command line
    r = c.post("/api/build", headers=_bearer(site, "admin"),
               files={"file": ("dataset.yaml", (WUHAI / "dataset.yaml").read_bytes())})
    assert r.status_code == 409
    assert "2 个错误" in r.json()["error"] and len(r.json()["findings"]) == 2


def test_api_refuses_without_token_other_departments_and_wrong_roles(site) -> None:  # noqa: ANN001
    c = client(site)
    data = {"file": ("dataset.yaml", (WUHAI / "dataset.yaml").read_bytes())}
    r = c.post("/api/check", files=data)
    assert r.status_code == 401 and "Authorization: Bearer" in r.json()["error"]
    r = c.post("/api/check", headers={"Authorization": "Bearer js_wrong"}, files=data)
    assert r.status_code == 401 and "令牌无效" in r.json()["error"]
    r = c.post("/api/check", headers=_bearer(site, "filler"), files=data)  # a Putuo filler, the Wuhai data
    assert r.status_code == 403 and WUHAI_NAME in r.json()["error"]
    r = c.post("/api/build", headers=_bearer(site, "reader"), files=data)
    assert r.status_code == 403
    assert c.get("/openapi.json").json()["paths"].keys() >= {"/api/check", "/api/audit", "/api/build"}


def test_the_filler_uploads_fills_the_reasons_and_submits(site, tmp_path: Path) -> None:  # noqa: ANN001
    c = client(site, "filler")
    base = f"/dept/{PUTUO_NAME}/2024"
    r = c.post(f"/dept/{PUTUO_NAME}/upload", data={"csrf_token": c.csrf},
               files={"file": ("普陀.xlsx", workbook_bytes(PUTUO, tmp_path, blank_reasons=3), XLSX)})
    assert r.status_code == 200 and r.url.path == base
    assert "尚缺 2 条" in r.text and "错误 0 条，共 1 条" in r.text  # one of the three had no variance
    assert "普陀.xlsx，工作表“其他数据”，单元格 B32" in r.text  # perf.summary_figures, where the filler typed it
    ws = c.get(base, params={"format": "json"}).json()
    code = next(v["code"] for v in ws["variances"] if not v["reason"])
    r = c.post(f"{base}/form", data={"csrf_token": c.csrf, f"reason:{code}": "人员调整，<b>增加</b>支出"})
    assert "尚缺 1 条" in r.text
    assert "人员调整，&lt;b&gt;增加&lt;/b&gt;支出" in r.text
    preview = c.get(f"{base}/preview")
    assert preview.status_code == 200 and "人员调整" in preview.text and "草稿" not in preview.text
    docx = c.get(f"{base}/download/docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "filename*=UTF-8''" in docx.headers["content-disposition"]
    assert c.post(f"{base}/submit", data={"csrf_token": c.csrf}).status_code == 200
    board = client(site, "reviewer").get("/review", params={"format": "json"}).json()
    row = next(r for r in board["rows"] if r["department"] == PUTUO_NAME and r["year"] == 2024)
    assert row["status"] == "已提交" and row["check_errors"] == 0
    log = client(site, "admin").get("/admin/log", params={"format": "json"}).json()["rows"]
    assert [x["action"] for x in log[:3]] == ["状态", "生成", "填写"]
    assert log[2]["who"] == "filler" and code in log[2]["target"]


def test_errors_block_the_final_build_but_not_a_draft(site, tmp_path: Path) -> None:  # noqa: ANN001
    c = client(site, "filler2")
    c.post(f"/dept/{WUHAI_NAME}/upload", data={"csrf_token": c.csrf},
           files={"file": ("乌海.xlsx", workbook_bytes(WUHAI, tmp_path), XLSX)})
    r = c.get(f"/dept/{WUHAI_NAME}/2023/download/pdf")
    assert r.status_code == 409 and "数据检查发现 2 个错误" in r.text
    r = c.get(f"/dept/{WUHAI_NAME}/2023/download/zip", params={"draft": "1"})
    assert r.status_code == 200 and zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    # the findings point at the workbook's sheets and cells
    ws = c.get(f"/dept/{WUHAI_NAME}/2023", params={"format": "json"}).json()
    assert ws["errors"] == 2 and all("工作表" in f["where"] for f in ws["findings"] if f["severity"] == "error")


def test_the_template_is_blank_or_filled_from_last_year(site) -> None:  # noqa: ANN001
    from juesuan.store.importing import import_paths

    c = client(site, "filler")
    blank = c.get(f"/dept/{PUTUO_NAME}/template.xlsx")
    assert blank.status_code == 200 and blank.content[:2] == b"PK"
    assert c.get(f"/dept/{PUTUO_NAME}/template.xlsx", params={"year": 2025}).status_code == 404
    import_paths(site.store, [PUTUO])
    filled = c.get(f"/dept/{PUTUO_NAME}/template.xlsx", params={"year": 2025})
    assert filled.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(filled.content), read_only=True)
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert PUTUO_NAME in cells and "2025" in " ".join(cells)


def test_a_csrf_token_is_needed_on_every_form(site) -> None:  # noqa: ANN001
    c = client(site, "filler")
    r = c.post(f"/dept/{PUTUO_NAME}/2024/submit", data={})
    assert r.status_code == 403 and "CSRF" in r.text
    r = c.post(f"/dept/{PUTUO_NAME}/2024/submit", data={"csrf_token": "forged"})
    assert r.status_code == 403
    anonymous = client(site)
    r = anonymous.post("/login", data={"name": "filler", "password": "x"})
    assert r.status_code == 403


def test_session_cookie_is_httponly_and_samesite(site) -> None:  # noqa: ANN001
    from tests.web_helpers import PASSWORD

    c = client(site)
    r = c.post("/login", data={"name": "reader", "password": PASSWORD, "csrf_token": c.csrf}, follow_redirects=False)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert c.post("/login", data={"name": "reader", "password": PASSWORD, "csrf_token": c.csrf}).status_code == 403
    c = client(site)  # the login gave a new session: the old form token is worth nothing now
    bad = c.post("/login", data={"name": "reader", "password": "wrong", "csrf_token": c.csrf})
    assert bad.status_code == 401 and "用户名或密码不正确" in bad.text


PAYLOADS = ("<script>alert('x')</script>", '"><img src=x onerror=alert(1)>')


def test_user_text_is_shown_as_text_everywhere(site, tmp_path: Path) -> None:  # noqa: ANN001
    from juesuan.store.importing import import_paths
    from juesuan.web.users import add_user

    name = f"测试局{PAYLOADS[1]}<script>alert(2)"  # a name is a URL path segment: no "/" in it
    add_user(site.store, "evil", "filler", "password-1", name)
    body = workbook_bytes(PUTUO, tmp_path, functions=PAYLOADS[0], name=name)
    c = client(site, "admin")
    r = c.post(f"/dept/{name}/upload", data={"csrf_token": c.csrf}, files={"file": ("x.xlsx", body, XLSX)})
    assert r.status_code == 200, r.text[:300]
    pages = [r.text, c.get("/review").text, c.get("/browse").text, c.get(f"/browse/{name}").text,
             c.get("/compare").text, c.get(f"/dept/{name}/2024/preview").text, c.get("/admin/users").text]
    doc = tmp_path / "evil.txt"
    doc.write_text((shared_file("seed/000_1d4d631d9d557d27.txt").read_text(encoding="utf-8")
                    .replace("乌海市工业和信息化局", f"乌海市工业和信息化局{PAYLOADS[0]}{PAYLOADS[1]}", 3)), encoding="utf-8")
    import_paths(site.store, [doc])
    audits = c.get("/audits")
    pages.append(audits.text)
    report = c.get("/audits/1")
    pages.append(report.text)
    for text in pages:
        assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert" in pages[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[1]


def test_uploads_are_sniffed_limited_and_kept_inside_the_upload_folder(site, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    c = client(site, "reviewer")

    def upload(name: str, data: bytes) -> str:
        r = c.post("/audits/upload", data={"csrf_token": c.csrf}, files=[("files", (name, data))])
        assert r.status_code == 200
        return client_job_text(c, r)

    assert "与扩展名 .pdf 不符" in upload("a.pdf", b"just text")
    assert "不支持的文件类型" in upload("a.exe", b"MZ\x90\x00")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"0" * (400 * 1024 * 1024))
    assert "压缩炸弹" in upload("bomb.docx", bomb.getvalue())
    xxe = io.BytesIO()
    with zipfile.ZipFile(xxe, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    "<d>&e;</d>")
    assert "XXE" in upload("xxe.docx", xxe.getvalue())
    seed = shared_file("seed/000_1d4d631d9d557d27.txt").read_bytes()
    text = upload("../../../../tmp/evil/../x.txt", seed)
    assert "成功" in text
    saved = [p for p in site.uploads.rglob("*") if p.is_file()]
    assert saved and all(p.resolve().is_relative_to(site.uploads.resolve()) for p in saved)
    monkeypatch.setenv("JUESUAN_WEB_MAX_UPLOAD", str(1024))
    assert "上传上限" in upload("big.txt", seed) or "过大" in upload("big.txt", seed)


def client_job_text(c, r) -> str:  # noqa: ANN001
    """The job page once every document is done (the thread pool works while we wait)."""
    import time

    url = r.url.path
    for _ in range(1200):
        page = c.get(url).text
        if 'id="finished"' in page:
            return page
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_no_traceback_ever_reaches_the_browser(site, monkeypatch) -> None:  # noqa: ANN001
    import juesuan.web.work as work

    def boom(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("secret internals")

    monkeypatch.setattr(work, "dashboard", boom)
    r = client(site, "reviewer").get("/review")
    assert r.status_code == 500 and "程序内部错误" in r.text
    assert "Traceback" not in r.text and "secret internals" not in r.text
    c = client(site, "reader")
    assert "页面不存在" in c.get("/no/such/page").text
    assert c.get("/static/../app.py").status_code == 404
    assert "请求的参数不完整" in c.get("/dept/x/notayear").text or c.get("/dept/x/notayear").status_code == 403


def test_a_report_shows_the_finding_beside_the_pdf_page_and_dismissals_leave_the_counts(site) -> None:  # noqa: ANN001
    from juesuan.store.importing import import_paths

    pdf = shared_file("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf")
    import_paths(site.store, [pdf])
    c = client(site, "reviewer")
    view = c.get("/audits/1", params={"format": "json"}).json()
    assert view["audit"]["pdf"] and view["audit"]["department"] == PUTUO_NAME
    f = next(x for x in view["findings"] if x["page"])
    panel = c.get(f"/audits/1/finding/{f['id']}")
    assert f"第 {f['page']} 页" in panel.text and "<mark>" in panel.text or "hit" in panel.text
    png = c.get(f"/audits/1/page/{f['page']}.png", params={"line": f["line"], "found": f["found"] or ""})
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    from PIL import Image

    image = Image.open(io.BytesIO(png.content)).convert("RGB")
    assert (220, 0, 0) in {image.getpixel((x, y)) for x in range(0, image.width, 2) for y in range(0, image.height, 2)}
    before = sum(view["counts"].values())
    r = c.post(f"/audits/1/dismiss/{f['id']}", data={"csrf_token": c.csrf, "why": "表内合计行，非错误"})
    assert r.status_code == 200
    after = c.get("/audits/1", params={"format": "json"}).json()
    assert sum(after["counts"].values()) == before - 1 and after["dismissed"] == 1
    assert next(x for x in after["findings"] if x["id"] == f["id"])["dismissed"]["why"] == "表内合计行，非错误"
    r = c.post("/audits/reaudit", data={"csrf_token": c.csrf})
    assert "全部完成" in client_job_text(c, r)
    again = c.get("/audits/1", params={"format": "json"}).json()
    assert again["dismissed"] == 1 and sum(again["counts"].values()) == before - 1


def test_users_are_made_on_the_command_line_and_their_tokens_work(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from juesuan.store import open_store
    from juesuan.web.app import create_app

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    r = runner.invoke(cli, ["user", "add", "张三", "--role", "filler", "--department", PUTUO_NAME, "--db", url],
                      input="足够长的密码123\n")
    assert r.exit_code == 0 and "已保存用户 张三（填报人，上海市普陀区财政局）" in r.stdout
    r = runner.invoke(cli, ["user", "add", "李四", "--role", "filler", "--db", url], input="足够长的密码123\n")
    assert r.exit_code == 2 and "--department" in r.output
    r = runner.invoke(cli, ["user", "add", "王五", "--role", "boss", "--db", url], input="足够长的密码123\n")
    assert r.exit_code == 2 and "角色只能是" in r.output
    r = runner.invoke(cli, ["user", "token", "张三", "--db", url])
    assert r.exit_code == 0
    token = r.stdout.strip()
    c = TestClient(create_app(open_store(url), tmp_path / "up"))
    assert c.get("/api/whoami", headers={"Authorization": f"Bearer {token}"}).json() == \
        {"name": "张三", "role": "filler", "department": PUTUO_NAME}
    r = runner.invoke(cli, ["user", "token", "nobody", "--db", url])
    assert r.exit_code == 2 and "没有这个用户" in r.output
