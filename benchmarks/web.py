"""Web benchmark: server time of the reviewers' dashboard with many departments, and of the
report pages of a real audited document (the page, one finding beside the page, the page image).

The dashboard's departments are generated (300 by default, each with three years: a current
dataset version, a submission status, and for a third of them an audited document with error
findings); the report is of the real Shanghai Putuo document of ../shared (skipped when absent).
Times are measured in-process through FastAPI's TestClient (no network), median of ``--runs``.

    python benchmarks/web.py [--departments N] [--runs N]
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
        pdf = SHARED / "samples" / "shanghai-putuo-finance-bureau-2024-juesuan.pdf"
        if not pdf.exists():
            print("real: skipped (../shared/samples is absent)")
            return
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


if __name__ == "__main__":
    main()
