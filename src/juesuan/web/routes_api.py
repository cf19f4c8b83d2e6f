"""The JSON API for scripts (``Authorization: Bearer <token>`` from ``juesuan user token``):
check a dataset, audit a document, build a disclosure; the file is the multipart field ``file``."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from juesuan.web.access import Denied, allow
from juesuan.web.routes_fill import MEDIA, attachment

router = APIRouter(prefix="/api", tags=["api"])


async def _saved(file: UploadFile, kinds: tuple[str, ...]):  # noqa: ANN202 - (folder, Saved)
    from juesuan.web.uploads import read_limited, save_bytes

    data = await read_limited(file)
    folder = Path(tempfile.mkdtemp(prefix="juesuan-api-"))
    try:
        return folder, save_bytes(data, file.filename or "", folder, kinds)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


@router.get("/whoami", summary="令牌对应的用户")
def whoami(user=Depends(allow(("admin", "filler", "reviewer", "reader"), bearer=True))) -> dict:  # noqa: ANN001, B008
    return {"name": user.name, "role": user.role, "department": user.department}


@router.post("/check", summary="检查数据集（与 juesuan check -f json 相同的结果）")
async def api_check(file: UploadFile = File(...),  # noqa: B008
                    user=Depends(allow(("admin", "filler", "reviewer"), bearer=True))) -> JSONResponse:  # noqa: ANN001
    from juesuan.web.uploads import DATASET_KINDS
    from juesuan.web.work import check_path

    folder, saved = await _saved(file, DATASET_KINDS)
    try:
        report = await run_in_threadpool(check_path, saved.path, saved.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not user.may_see(report["department"]):
        raise Denied(403, f"无权检查“{report['department']}”的数据：填报人只能访问本部门")
    return JSONResponse(report)


@router.post("/audit", summary="审核已公开的文档（与 juesuan audit -f json 相同的报告）")
async def api_audit(request: Request, file: UploadFile = File(...),  # noqa: B008
                    _user=Depends(allow(("admin", "reviewer"), bearer=True))) -> JSONResponse:  # noqa: ANN001
    from juesuan.web.audits import report_of
    from juesuan.web.jobs import Doc
    from juesuan.web.uploads import DOCUMENT_KINDS

    folder, saved = await _saved(file, DOCUMENT_KINDS)
    try:  # in a worker process (PDFium is not thread-safe): the server's threads stay free
        record = await run_in_threadpool(request.app.state.jobs.audit_now, Doc(str(saved.path), saved.name))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if "findings" not in record:
        return JSONResponse({"error": record.get("reason") or "审核失败"}, status_code=500)
    report = report_of(record, saved.name)
    return JSONResponse({"documents": [report]}, status_code=200 if report.get("error") is None else 400)


@router.post("/build", summary="生成公开文档（zip：Word、PDF、HTML、Excel、图表）")
async def api_build(file: UploadFile = File(...), draft: bool = False,  # noqa: B008
                    user=Depends(allow(("admin", "filler"), bearer=True))):  # noqa: ANN001, ANN201
    from juesuan.readers.loader import load_dataset
    from juesuan.render.build import BuildRefused
    from juesuan.web.uploads import DATASET_KINDS
    from juesuan.web.work import Workspace, build_files, check_dataset, zip_folder

    folder, saved = await _saved(file, DATASET_KINDS)
    try:
        ds, prov = await run_in_threadpool(load_dataset, saved.path)
        if not user.may_fill(ds.department.name):
            raise Denied(403, f"无权生成“{ds.department.name}”的文档：填报人只能访问本部门")
        findings, skipped = await run_in_threadpool(check_dataset, ds, prov)
        ws = Workspace(ds.department.name, ds.year, ds, prov, findings, skipped, [], saved.name, {})
        try:
            out, files = await run_in_threadpool(build_files, ws, ("docx", "pdf", "html", "xlsx"), draft)
        except BuildRefused as exc:
            return JSONResponse({"error": exc.message.replace("--draft", "?draft=true"),
                                 "findings": [f.to_dict() for f in findings if f.severity.value == "error"]},
                                status_code=409)
        data = zip_folder(out, files)
        shutil.rmtree(out.parent, ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return attachment(data, f"{ds.department.name}_{ds.year}_部门决算.zip", MEDIA["zip"])
