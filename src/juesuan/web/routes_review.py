"""The reviewer's path: the dashboard, its xlsx, statuses, uploads audited in the background,
each report with the finding beside the page, dismissals and re-audits."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from juesuan.web.access import Denied, allow, check_csrf, guard, render
from juesuan.web.routes_fill import MEDIA, attachment

router = APIRouter()

REVIEW = ("admin", "reviewer")


@router.get("/review")
def dashboard_page(request: Request, sort: str = "department", status: str = ""):  # noqa: ANN201
    from juesuan.web.work import STATUSES, dashboard

    guard(request, REVIEW)
    board = dashboard(request.app.state.store, sort)
    if status in STATUSES:
        board["rows"] = [r for r in board["rows"] if r["status"] == status]
    return render(request, "dashboard.html", {**board, "statuses": STATUSES, "status": status})


@router.get("/review/export.xlsx")
def dashboard_export(request: Request, sort: str = "department"):  # noqa: ANN201
    from juesuan.web.work import dashboard, dashboard_xlsx

    guard(request, REVIEW)
    return attachment(dashboard_xlsx(dashboard(request.app.state.store, sort)), "报送情况.xlsx", MEDIA["xlsx"])


@router.post("/review/{name}/{year}/status", dependencies=[Depends(check_csrf)])
async def set_status_route(request: Request, name: str, year: int):  # noqa: ANN201
    from juesuan.web.work import set_status

    user = guard(request, REVIEW)
    status = str((await request.form()).get("status", ""))
    if status not in ("已通过", "已公开", "有问题", "已提交"):
        raise Denied(400, f"不能设为这个状态：{status}")
    set_status(request.app.state.store, name, year, status, user.name, errors=1 if status == "有问题" else 0)
    return RedirectResponse("/review", status_code=303)


@router.get("/audits")
def audits_page(request: Request):  # noqa: ANN201
    from sqlalchemy import func, select

    from juesuan.store.schema import AuditRecord, FindingRow

    guard(request, REVIEW)
    with request.app.state.store.session() as s:
        errors = dict(s.execute(select(FindingRow.audit_id, func.count()).where(FindingRow.severity == "error")
                                .group_by(FindingRow.audit_id)).all())
        rows = [{"id": a.id, "name": a.path.rsplit("/", 1)[-1], "kind": a.kind, "department": a.department,
                 "year": a.year, "error": a.error, "errors": errors.get(a.id, 0), "audited_at": a.audited_at}
                for a in s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()))]
    return render(request, "audits.html", {"audits": rows})


@router.post("/audits/upload", dependencies=[Depends(allow(REVIEW)), Depends(check_csrf)])
async def audits_upload(request: Request, files: list[UploadFile] = File(...)):  # noqa: ANN201, B008
    from juesuan.web.audits import store_upload
    from juesuan.web.jobs import Doc, Outcome
    from juesuan.web.uploads import DOCUMENT_KINDS, Rejected, save_upload

    user = guard(request, REVIEW)
    saved, refused = [], []
    for f in files[:200]:
        try:
            saved.append(await save_upload(f, request.app.state.uploads, DOCUMENT_KINDS))
        except Rejected as exc:
            refused.append(Outcome(f.filename or "?", False, str(exc)))
    # a refused file is an item whose outcome is known: the job counts it like the others
    docs = [Doc(str(f.path), f.name, f.sha256) for f in saved]
    job = request.app.state.jobs.submit(f"审核 {len(saved) + len(refused)} 份文档", user.id, refused + docs,
                                        partial(store_upload, request.app.state.store, who=user.name))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/audits/reaudit", dependencies=[Depends(check_csrf)])
def audits_reaudit(request: Request):  # noqa: ANN201
    from sqlalchemy import select

    from juesuan.store.schema import AuditRecord
    from juesuan.web.audits import store_reaudit
    from juesuan.web.jobs import Doc, Outcome

    user = guard(request, REVIEW)
    store = request.app.state.store
    with store.session() as s:
        rows = list(s.execute(select(AuditRecord.id, AuditRecord.path).order_by(AuditRecord.id)))
    items = [Doc(path, Path(path).name, i) if Path(path).is_file() else
             Outcome(Path(path).name, False, "原文件已不在，无法重新审核", f"/audits/{i}") for i, path in rows]
    job = request.app.state.jobs.submit(f"重新审核 {len(items)} 份文档", user.id, items,
                                        partial(store_reaudit, store, who=user.name))
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str):  # noqa: ANN201
    user = guard(request, REVIEW)
    job = request.app.state.jobs.get(job_id)
    if job is None or (job.owner != user.id and user.role != "admin"):
        raise Denied(404, "没有这个任务（任务只保存在本次运行的服务中）")
    ctx = {"job": {"id": job.id, "title": job.title, "total": job.total, "done": job.done, "percent": job.percent,
                   "finished": job.finished, "state": job.state, "failed": job.failed, "workers": job.workers,
                   "outcomes": [o.__dict__ for o in job.outcomes]}}
    template = "job_progress.html" if request.headers.get("hx-request") else "job.html"
    return render(request, template, ctx)


def _view(request: Request, audit_id: int, finding_id: int | None = None) -> dict:
    from juesuan.web.audits import finding_context, report_view

    store = request.app.state.store
    try:
        head = report_view(store, audit_id)
    except LookupError:
        raise Denied(404, f"没有编号为 {audit_id} 的审核记录") from None
    guard(request, REVIEW, head["audit"]["department"])
    if finding_id is None:
        return head
    try:
        return finding_context(store, audit_id, finding_id)
    except LookupError:
        raise Denied(404, f"审核记录 {audit_id} 中没有编号为 {finding_id} 的问题") from None


@router.get("/audits/{audit_id}")
def report_page(request: Request, audit_id: int, f: int | None = None):  # noqa: ANN201
    view = _view(request, audit_id)
    if f is None and view["findings"]:
        f = next((x["id"] for x in view["findings"] if not x["dismissed"]), view["findings"][0]["id"])
    panel = _view(request, audit_id, f) if f is not None else None
    return render(request, "report.html", {**view, "panel": panel})


@router.get("/audits/{audit_id}/finding/{finding_id}")
def finding_panel(request: Request, audit_id: int, finding_id: int):  # noqa: ANN201
    return render(request, "finding.html", {"panel": _view(request, audit_id, finding_id)})


@router.get("/audits/{audit_id}/page/{page}.png")
def page_image(request: Request, audit_id: int, page: int, line: int | None = None, found: str = ""):  # noqa: ANN201
    from juesuan.web.audits import page_png

    view = _view(request, audit_id)
    if not view["audit"]["pdf"]:
        raise Denied(404, "只有 PDF 文档有页面图像")
    try:
        png = page_png(view["audit"]["path"], page, line, found[:100])
    except LookupError:
        raise Denied(404, f"文档没有第 {page} 页") from None
    except OSError:
        raise Denied(404, "原文件已不在，无法显示页面") from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=600"})


@router.post("/audits/{audit_id}/dismiss/{finding_id}", dependencies=[Depends(check_csrf)])
async def dismiss_route(request: Request, audit_id: int, finding_id: int):  # noqa: ANN201
    from juesuan.web.audits import dismiss

    _view(request, audit_id, finding_id)
    user = guard(request, REVIEW)
    why = str((await request.form()).get("why", ""))
    dismiss(request.app.state.store, audit_id, finding_id, why, user.name)
    if request.headers.get("hx-request"):
        return HTMLResponse("<span class='saved'>已判为误报，不再计入问题数</span>")
    return RedirectResponse(f"/audits/{audit_id}?f={finding_id}", status_code=303)
