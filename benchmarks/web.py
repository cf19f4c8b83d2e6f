"""Web benchmark: server time of the reviewers' dashboard with many departments, of the
filler's workspace with its forms (procurement, assets, self-evaluations) and a save, of the
report pages of a real audited document (the page, one finding beside the page, the page image),
and the wall time of a background audit of real uploaded documents with 1 and 2 worker processes
(``juesuan.batch``'s local executor; the speed-up is the ratio).

The dashboard's departments are generated (300 by default, each with three years: a current
dataset version, a submission status, and for a third of them an audited document with error
findings); the report is of the real Shanghai Putuo document of ../shared (skipped when absent).
Times are measured in-process through FastAPI's TestClient (no network), median of ``--runs``.

    python benchmarks/web.py [--departments N] [--runs N] [--no-jobs]

The machine's load (``os.getloadavg``) is printed beside the background-audit figures: on a
shared machine the speed-up of two workers is bounded by the cores that are free.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def seed_departments(store, n: int) -> None:  # noqa: ANN001
    """``n`` departments × 3 years written straight into the tables (the figures are not what is measured)."""
    from juesuan.store.schema import (
        AuditRecord,
        DatasetVersion,
        FindingRow,
        Organisation,
        Submission,
    )

    now = datetime.now()
    statuses = ["已提交", "已通过", "已公开", None]
    with store.session.begin() as s:
        for i in range(n):
            org = Organisation(name=f"测试区第{i:03d}局")
            s.add(org)
            s.flush()
            for year in (2022, 2023, 2024):
                s.add(DatasetVersion(organisation_id=org.id, year=year, kind="决算", source="generated", unit="万元",
                                     content_hash=f"{i}-{year}", imported_at=now, imported_by="bench", current=True,
                                     data="{}"))
                status = statuses[(i + year) % 4]
                if status:
                    s.add(Submission(department=org.name, year=year, status=status, errors=i % 3,
                                     updated_at=now, updated_by="bench"))
                if i % 3 == 0:
                    s.add(AuditRecord(doc_hash=f"doc-{i}-{year}", path="generated.pdf", kind="部门决算",
                                      department=org.name, year=year, audited_at=now, audited_by="bench", report="{}",
                                      findings=[FindingRow(rule="narrative.amount", severity="error", message="x",
                                                           page=1, line=k) for k in range(4)]))


def timed(client, url: str, runs: int) -> tuple[float, int, int]:  # noqa: ANN001
    """Median milliseconds, status code and response size of ``runs`` GETs (after one warm-up)."""
    r = client.get(url)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), r.status_code, len(r.content)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--departments", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-jobs", action="store_true", help="skip the background audits (the slowest part)")
    args = ap.parse_args()
    from tests.web_helpers import client, make_site

    with tempfile.TemporaryDirectory() as tmp:
        site = make_site(Path(tmp))
        t0 = time.perf_counter()
        seed_departments(site.store, args.departments)
        print(f"generated: {args.departments} departments × 3 years written in {time.perf_counter() - t0:.1f} s")
        c = client(site, "reviewer")
        for label, url in (("dashboard (HTML)", "/review"), ("dashboard sorted by status", "/review?sort=status"),
                           ("dashboard as JSON", "/review?format=json"), ("dashboard as xlsx", "/review/export.xlsx")):
            ms, status, size = timed(c, url, args.runs)
            print(f"generated: {label:28s} {ms:8.1f} ms  ({status}, {size / 1024:.0f} KiB, "
                  f"{args.departments * 3} rows, {ms / (args.departments * 3) * 1000:.0f} µs per row)")
        workspace(site, args.runs)
        pdf = SHARED / "samples" / "shanghai-putuo-finance-bureau-2024-juesuan.pdf"
        if not pdf.exists():
            print("real: skipped (../shared/samples is absent)")
            return
        if not args.no_jobs:
            background_audits(site)
        from sqlalchemy import func, select

        from juesuan.store.importing import import_paths
        from juesuan.store.schema import AuditRecord, FindingRow

        t0 = time.perf_counter()
        import_paths(site.store, [pdf], who="bench")
        print(f"real: {pdf.name} audited into the store in {time.perf_counter() - t0:.1f} s")
        with site.store.session() as s:
            aid = s.scalar(select(func.max(AuditRecord.id)))
            f = s.scalars(select(FindingRow).where(FindingRow.audit_id == aid, FindingRow.page.is_not(None))).first()
        for label, url in (("report page", f"/audits/{aid}"),
                           ("finding beside the page", f"/audits/{aid}/finding/{f.id}"),
                           (f"page {f.page} image, figure boxed", f"/audits/{aid}/page/{f.page}.png?line={f.line}")):
            ms, status, size = timed(c, url, args.runs)
            print(f"real: {label:32s} {ms:8.1f} ms  ({status}, {size / 1024:.0f} KiB)")


def workspace(site, runs: int) -> None:  # noqa: ANN001
    """The filler's workspace of the Wuhai example (a workbook upload), its forms and a save."""
    from tests.web_helpers import WUHAI, WUHAI_NAME, client, workbook_bytes

    with tempfile.TemporaryDirectory() as tmp:
        c = client(site, "filler2")
        c.post(f"/dept/{WUHAI_NAME}/upload", data={"csrf_token": c.csrf},
               files={"file": ("乌海.xlsx", workbook_bytes(WUHAI, Path(tmp)))})
    ctx = c.get(f"/dept/{WUHAI_NAME}/2023", params={"format": "json"}).json()
    fields = sum(len(sec["fields"]) for sec in ctx["sections"])
    ms, status, size = timed(c, f"/dept/{WUHAI_NAME}/2023", runs)
    print(f"example: workspace with the forms ({fields} fields) {ms:8.1f} ms  ({status}, {size / 1024:.0f} KiB)")
    times = []
    for i in range(runs):
        t0 = time.perf_counter()
        r = c.post(f"/dept/{WUHAI_NAME}/2023/form", headers={"HX-Request": "true"},
                   data={"csrf_token": c.csrf, "assets:vehicles.other": str(i % 2), "perf:mechanism": f"机制 {i}"})
        times.append((time.perf_counter() - t0) * 1000)
    print(f"example: form save (htmx, 2 fields)        {statistics.median(times):8.1f} ms  ({r.status_code})")


def background_audits(site) -> None:  # noqa: ANN001
    """Real documents uploaded at once and audited in the background, with 1 then 2 workers."""
    import os

    from tests.web_helpers import client

    from juesuan.web.jobs import ProcessJobRunner

    docs = [SHARED / p for p in ("samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf",
                                 "corpus/central-petition-bureau-2024-final.pdf",
                                 "corpus/jiangsu-wuxi-stats-bureau-2026-budget.pdf",
                                 "seed/000_1d4d631d9d557d27.txt")]
    docs = [d for d in docs if d.exists()]
    walls = {}
    for workers in (1, 2):
        # a fresh store each time: a document already stored would not be audited again
        with tempfile.TemporaryDirectory() as tmp:
            from tests.web_helpers import make_site

            fresh = make_site(Path(tmp))
            fresh.app.state.jobs = ProcessJobRunner(workers)
            c = client(fresh, "reviewer")
            load = os.getloadavg()[0]
            t0 = time.perf_counter()
            r = c.post("/audits/upload", data={"csrf_token": c.csrf}, follow_redirects=False,
                       files=[("files", (d.name, d.read_bytes())) for d in docs])
            url = r.headers["location"]
            audited = None
            while not (job := c.get(url, params={"format": "json"}).json()["job"])["finished"]:
                if audited is None and job["done"] == job["total"]:
                    audited = time.perf_counter() - t0  # every outcome in: the figures' pass follows
                time.sleep(0.2)
            walls[workers] = time.perf_counter() - t0
            ok = sum(o["ok"] for o in job["outcomes"])
            print(f"real: background audit of {len(docs)} documents, {workers} worker(s): {walls[workers]:6.1f} s "
                  f"({len(docs) / walls[workers]:.2f} documents/s, {ok} succeeded; every outcome shown after "
                  f"{audited or walls[workers]:.1f} s, the rest the 决算 figures' pass; load {load:.1f} before)")
    print(f"real: speed-up of 2 workers over 1: {walls[1] / walls[2]:.2f}× (ideal 2× on two free cores)")


if __name__ == "__main__":
    main()
