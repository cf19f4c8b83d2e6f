"""The filler's path: template, upload and check, the forms, preview, build and download, submit."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from juesuan.web.access import Denied, allow, check_csrf, guard, render

router = APIRouter()

FILL = ("admin", "filler")
FORMATS = {"docx": ("docx", "部门决算.docx"), "pdf": ("pdf", "部门决算.pdf"), "html": ("html", "部门决算.html"),
           "xlsx": ("xlsx", "部门决算表.xlsx"), "zip": (None, "部门决算.zip")}
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf", "html": "text/html; charset=utf-8", "zip": "application/zip",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DEPT_TEXTS = {"functions": "部门职能", "duties": "主要职责（每行一条）", "structure": "机构设置",
              "main_work": "年度主要工作完成情况（每行一条）"}


def attachment(data: bytes, filename: str, media: str) -> Response:
    """A download whose Chinese name survives every browser (RFC 5987), never a path."""
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "_" for c in filename)
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff"})


def _years(store, department: str) -> list[dict]:  # noqa: ANN001
    from sqlalchemy import select

    from juesuan.store.schema import DatasetVersion, Organisation, Submission

    with store.session() as s:
        versions = s.execute(select(DatasetVersion.year, DatasetVersion.imported_at, DatasetVersion.imported_by)
                             .join(Organisation).where(Organisation.name == department,
                                                       DatasetVersion.current.is_(True),
                                                       DatasetVersion.kind == "决算")
                             .order_by(DatasetVersion.year.desc())).all()
        status = {r.year: r.status for r in s.scalars(select(Submission).where(Submission.department == department))}
    return [{"year": y, "imported_at": at, "imported_by": by, "status": status.get(y, "未提交")}
            for y, at, by in versions]


@router.get("/dept/{name}")
def department_page(request: Request, name: str):  # noqa: ANN201
    guard(request, FILL, name, fill=True)
    return render(request, "department.html", {"department": name, "years": _years(request.app.state.store, name)})


@router.get("/dept/{name}/template.xlsx")
def template(request: Request, name: str, year: int | None = None):  # noqa: ANN201
    """The workbook to fill: blank, or (with ``year``) with last year's store data laid in."""
    import io

    from juesuan.readers.workbook_write import build_workbook

    guard(request, FILL, name, fill=True)
    ds = _from_last_year(request.app.state.store, name, year) if year else None
    buf = io.BytesIO()
    build_workbook(ds).save(buf)
    label = f"{name}_{year}" if ds is not None else "空白"
    return attachment(buf.getvalue(), f"{label}_决算数据工作簿.xlsx", MEDIA["xlsx"])


def _from_last_year(store, name: str, year: int):  # noqa: ANN001, ANN202
    from juesuan.compute.lastyear import fill_last_year
    from juesuan.model.accounts import Dataset
    from juesuan.store.reuse import _versions

    previous = next((ds for y, ds in _versions(store, name, "决算", year) if y == year - 1), None)
    if previous is None:
        raise Denied(404, f"数据库中没有“{name}”{year - 1} 年的决算数据，无法按上年填好；请下载空白工作簿")
    dept = previous.department.model_copy(update={"main_work": []})
    fresh = Dataset(year=year, unit=previous.unit, profile=previous.profile, department=dept,
                    contact=previous.contact)
    return fill_last_year(fresh, previous)


@router.post("/dept/{name}/upload", dependencies=[Depends(allow(FILL, fill=True)), Depends(check_csrf)])
async def upload(request: Request, name: str, file: UploadFile = File(...)):  # noqa: ANN201, B008
    from juesuan.readers.loader import load_dataset
    from juesuan.store.importing import import_paths
    from juesuan.web.uploads import DATASET_KINDS, save_upload
    from juesuan.web.users import log_change

    user = guard(request, FILL, name, fill=True)
    store = request.app.state.store
    saved = await save_upload(file, request.app.state.uploads, DATASET_KINDS)
    ds, _ = load_dataset(saved.path)  # InputError → a Chinese page naming the sheet and cell
    if ds.department.name != name:
        raise Denied(400, f"上传的数据属于“{ds.department.name}”，不是“{name}”：请上传本部门的工作簿")
    got = import_paths(store, [saved.path], who=user.name)
    if got and got[0].status == "失败":
        raise Denied(400, f"{saved.name}：{got[0].detail}")
    with store.session.begin() as s:
        log_change(s, user.name, "上传数据", f"{name} {ds.year}", f"{saved.name}（{got[0].status if got else ''}）")
    return RedirectResponse(f"/dept/{quote(name, safe='')}/{ds.year}", status_code=303)


def _workspace(request: Request, name: str, year: int):  # noqa: ANN202 - (Principal, Workspace)
    """The filler's department-year, after the guard; a Chinese 404 when nothing was uploaded."""
    from juesuan.web.work import load_workspace

    user = guard(request, FILL, name, fill=True)
    ws = load_workspace(request.app.state.store, name, year)
    if ws is None:
        raise Denied(404, f"数据库中没有“{name}”{year} 年的决算数据：请先上传工作簿")
    return user, ws


@router.get("/dept/{name}/{year}")
def workspace(request: Request, name: str, year: int):  # noqa: ANN201
    _, ws = _workspace(request, name, year)
    return render(request, "workspace.html", _workspace_context(request, ws))


def _workspace_context(request: Request, ws, posted: dict[str, str] | None = None,  # noqa: ANN001 - Workspace
                       errors: list[str] | None = None) -> dict:
    """The workspace page's context; ``posted``: values a refused save sent, shown again as typed."""
    from juesuan.model.accounts import REASON_KEYS
    from juesuan.web.forms import sections
    from juesuan.web.work import last_year_prose, variances

    name, year = ws.department, ws.year
    rows = variances(ws.dataset)
    missing = sum(1 for r in rows if not r["reason"].strip())
    dept = ws.dataset.department
    texts = {k: (getattr(dept, k) if isinstance(getattr(dept, k), str) else "\n".join(getattr(dept, k)))
             for k in DEPT_TEXTS}
    status = next((y["status"] for y in _years(request.app.state.store, name) if y["year"] == year), "未提交")
    errors_n = sum(f.severity.value == "error" for f in ws.findings)
    extra = sections(ws.dataset)
    offered = {k: v for k, v in last_year_prose(request.app.state.store, ws.dataset).items()
               if not any(sec["values"].get(k, "x").strip() for sec in extra if k in sec["values"])}
    for sec in extra:
        for k in offered.keys() & sec["values"].keys():
            sec["values"][k] = offered[k]
        for k in (posted or {}).keys() & sec["values"].keys():
            sec["values"][k] = posted[k]  # type: ignore[index]
    return {
        "department": name, "year": year, "findings": [dict(f.to_dict(), where=_where(f.location),
                                                            label=f.severity.label) for f in ws.findings],
        "errors": errors_n, "skipped": ws.skipped, "notes": ws.notes, "variances": rows, "missing": missing,
        "texts": texts, "text_labels": DEPT_TEXTS, "reasons": ws.dataset.reasons, "reason_labels": REASON_KEYS,
        "status": status, "formats": list(FORMATS), "sections": extra, "offered": sorted(offered),
        "unit": ws.dataset.unit.value, "form_errors": errors or []}


def _where(loc) -> str:  # noqa: ANN001 - Location
    """Sheet and cell (or line) in the file the user uploaded, named as they named it."""
    from dataclasses import replace

    return replace(loc, file=Path(loc.file).name if loc.file else None).describe()


@router.post("/dept/{name}/{year}/form", dependencies=[Depends(check_csrf)])
async def save_form(request: Request, name: str, year: int):  # noqa: ANN201
    """Save the forms; a refused value (each message naming its field) saves nothing and shows
    the page again with what was typed."""
    import html

    from juesuan.web.forms import KINDS
    from juesuan.web.work import FormInvalid, save_forms

    user, ws = _workspace(request, name, year)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    # a figure or text of the extra forms left as the dataset gives it is not a change to keep
    shown = {k: v for sec in _sections(ws) for k, v in sec["values"].items()}
    values = {k: v for k, v in values.items()
              if k.partition(":")[0] not in KINDS or k in ws.forms or v.strip() != shown.get(k, "").strip()}
    try:
        n = save_forms(request.app.state.store, name, year, values, user.name)
    except FormInvalid as exc:
        if request.headers.get("hx-request"):
            items = "".join(f"<li>{html.escape(m)}</li>" for m in exc.messages)
            return HTMLResponse(f"<div class='error' id='form-errors'>未保存，请更正：<ul>{items}</ul></div>")
        return render(request, "workspace.html", _workspace_context(request, ws, values, exc.messages), 400)
    if request.headers.get("hx-request"):
        return HTMLResponse(f"<span class='saved'>已保存 {n} 处修改</span>")
    return RedirectResponse(f"/dept/{quote(name, safe='')}/{year}", status_code=303)


def _sections(ws):  # noqa: ANN001, ANN202
    from juesuan.web.forms import sections

    return sections(ws.dataset)


@router.get("/dept/{name}/{year}/preview")
def preview(request: Request, name: str, year: int):  # noqa: ANN201
    from juesuan.render.build import DRAFT_MARK, assemble
    from juesuan.render.html import render_html

    _, ws = _workspace(request, name, year)
    draft = any(f.severity.value == "error" for f in ws.findings)
    page = render_html(assemble(ws.dataset), watermark=DRAFT_MARK if draft else "")
    return HTMLResponse(page, headers={"Content-Security-Policy": "script-src 'none'"})


@router.get("/dept/{name}/{year}/download/{fmt}")
def download(request: Request, name: str, year: int, fmt: str, draft: bool = False):  # noqa: ANN201
    from juesuan.render.build import BuildRefused
    from juesuan.web.users import log_change
    from juesuan.web.work import build_files, zip_folder

    user, ws = _workspace(request, name, year)
    if fmt not in FORMATS:
        raise Denied(404, f"没有这种格式：{fmt}（可选 {'、'.join(FORMATS)}）")
    store = request.app.state.store
    what, suffix = FORMATS[fmt]
    try:
        folder, files = build_files(ws, (what,) if what else ("docx", "pdf", "html", "xlsx"), draft)
    except BuildRefused as exc:
        raise Denied(409, exc.message.replace("--draft", "“生成草稿”")) from None
    try:
        if what is None:
            data = zip_folder(folder, files)
        else:
            data = next(f for f in files if f.name.endswith(suffix)).read_bytes()
    finally:
        shutil.rmtree(Path(folder).parent, ignore_errors=True)
    with store.session.begin() as s:
        log_change(s, user.name, "生成" + ("草稿" if draft else ""), f"{name} {year}", fmt)
    return attachment(data, f"{name}_{year}_{suffix}", MEDIA[fmt])


@router.post("/dept/{name}/{year}/submit", dependencies=[Depends(check_csrf)])
def submit(request: Request, name: str, year: int):  # noqa: ANN201
    from juesuan.web.work import set_status

    user, ws = _workspace(request, name, year)
    errors = sum(f.severity.value == "error" for f in ws.findings)
    set_status(request.app.state.store, name, year, "已提交", user.name, errors)
    return RedirectResponse(f"/dept/{quote(name, safe='')}/{year}", status_code=303)
