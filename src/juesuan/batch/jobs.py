"""The per-document jobs: top-level, picklable functions ``(name, source, options) -> dict``.

``source`` is a path (the local pool reads the file itself) or the document's bytes (a
Dask worker on another machine has no access to the file).  The result is a small
JSON-able record: for an audit the same report dict as ``juesuan audit -f json`` gives
for one document, plus ``status`` (``ok``, ``refused`` for a document that is not a
决算 disclosure, ``failed`` with ``reason`` in Chinese), the counts by severity, the
number of figures checked and of pages.  A job never raises.
"""

from __future__ import annotations

import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = ["audit_job", "build_job", "count_figures", "extract_job", "failed", "run_job"]

# Test-only hook: a document whose name contains this text hangs (exercises --timeout).
HANG_ENV = "JUESUAN_BATCH_TEST_HANG"
# the parts of a dumped dataset that are texts about the department, not figures
_NOT_FIGURES = {"department", "contact", "texts", "reasons", "schema", "profile", "year", "unit", "not_given"}


def failed(name: str, reason: str, **extra: Any) -> dict[str, Any]:
    return {"path": name, "status": "failed", "reason": reason, **extra}


def count_figures(data: Any, top: bool = True) -> int:
    """How many amounts a dumped dataset holds (Decimal or numeric leaves), texts left out."""
    if isinstance(data, dict):
        return sum(count_figures(v, False) for k, v in data.items() if not (top and k in _NOT_FIGURES))
    if isinstance(data, list):
        return sum(count_figures(v, False) for v in data)
    return int(isinstance(data, Decimal | float) or (isinstance(data, int) and not isinstance(data, bool)))


def _hang_if_asked(name: str) -> None:
    probe = os.environ.get(HANG_ENV)
    if probe and probe in Path(name).name:
        while True:
            time.sleep(3600)


class _Source:
    """A path to read: the file itself, or the bytes written to a temporary file of the same suffix."""

    def __init__(self, name: str, source: bytes | str | Path) -> None:
        self.name, self.source, self.tmp = name, source, None

    def __enter__(self) -> Path:
        if isinstance(self.source, bytes):
            self.tmp = tempfile.TemporaryDirectory(prefix="juesuan-batch-")
            path = Path(self.tmp.name) / (Path(self.name).name or "document")
            path.write_bytes(self.source)
            return path
        return Path(self.source)

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()

    def named(self, text: str | None, path: Path) -> str | None:
        """A message with the temporary path replaced by the document's name."""
        return None if text is None else text.replace(str(path), self.name)


def audit_job(name: str, source: bytes | str | Path, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Audit one document; the record holds the ``juesuan audit -f json`` report of it."""
    from juesuan.audit.checks_run import audit_document
    from juesuan.audit.report import doc_data

    opts = options or {}
    _hang_if_asked(name)
    src = _Source(name, source)
    with src as path:
        a = audit_document(path, opts.get("profile"), tuple(opts.get("select") or ()), tuple(opts.get("skip") or ()),
                           opts.get("time_limit"))
        report = doc_data(a)
        report["path"] = name
        report["error"] = src.named(a.error, path)
    pages = len({p for p, _, _ in a.lines if p}) or (1 if a.lines else 0)
    figures = 0 if a.dataset is None else count_figures(a.dataset.model_dump(by_alias=True))  # type: ignore[attr-defined]
    status = "ok" if not a.error else ("refused" if a.kind else "failed")
    record = {"status": status, **report, "counts": report["summary"], "pages": pages,
              "figures": figures + a.claims + a.claims_generic}
    if a.error:
        record["reason"] = report["error"]
    if opts.get("for_store") and a.dataset is not None:
        record.update(_for_store(a))
    return record


def _for_store(a: Any) -> dict[str, Any]:
    """What the store keeps beyond the report (``--db``): the recovered dataset and each
    figure's page and line; the parent stores it and leaves it out of the output line."""
    from juesuan.store.importing import figures

    places = {}
    for p, *_ in figures(a.dataset):
        try:
            places[p] = a.provenance.get(p).describe() or None
        except Exception:  # noqa: BLE001 - a figure without a recorded place
            places[p] = None
    return {"dataset_json": a.dataset.model_dump_json(by_alias=True, exclude_defaults=True),
            "dataset_sources": places}


def extract_job(name: str, source: bytes | str | Path, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Recover one document's dataset; the record holds it as ``juesuan extract -f json`` writes it."""
    from juesuan.audit.deadline import TimeLimitExceeded, time_limit
    from juesuan.audit.extract import extract, to_dataset
    from juesuan.audit.kind import NotAuditable
    from juesuan.readers.errors import InputError

    opts = options or {}
    _hang_if_asked(name)
    src = _Source(name, source)
    with src as path:
        try:
            with time_limit(opts.get("time_limit")):
                ex = extract(path, opts.get("profile"))
                dataset, _ = to_dataset(ex)
        except TimeLimitExceeded as exc:
            return failed(name, exc.message)
        except NotAuditable as exc:
            if exc.kind.audit != "budget":
                return {"path": name, "status": "refused", "kind": exc.kind.kind,
                        "reason": src.named(exc.describe(), path)}
            return _budget_extract(name, src, path, exc.kind)
        except InputError as exc:
            return failed(name, src.named(exc.describe(), path) or "")
    rec = ex.recognition
    return _extracted(name, dataset, rec.kind, rec.profile, rec.year, rec.department)


def _budget_extract(name: str, src: _Source, path: Path, kind: Any) -> dict[str, Any]:
    """A published budget's dataset, as ``juesuan extract`` recovers it."""
    from juesuan.audit.budget_extract import extract_budget_file
    from juesuan.readers.errors import InputError

    try:
        dataset, _ = extract_budget_file(path)
    except InputError as exc:
        return failed(name, src.named(exc.describe(), path) or "")
    return _extracted(name, dataset, kind.kind, None, kind.year, kind.department)


def _extracted(name: str, dataset: Any, kind: str, profile: str | None, year: int | None,
               department: str | None) -> dict[str, Any]:
    data = dataset.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data.setdefault("year", dataset.year)
    return {"path": name, "status": "ok", "kind": kind, "profile": profile, "year": year,
            "department": department, "figures": count_figures(dataset.model_dump(by_alias=True)),
            "dataset": data}


def build_job(name: str, source: bytes | str | Path, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check one dataset and build its disclosure into ``options['out']`` (a folder).

    A dataset with error-level findings is built only as a draft (``draft: true``), as
    ``juesuan build --draft`` does; otherwise it is recorded ``refused`` with its errors."""
    from juesuan.model.findings import Severity
    from juesuan.readers.errors import InputError
    from juesuan.readers.loader import load_dataset
    from juesuan.render.build import BuildError, BuildRefused, build
    from juesuan.rules.engine import Context, run_rules

    opts = options or {}
    _hang_if_asked(name)
    if isinstance(source, bytes):
        return failed(name, "生成需要数据集所在的文件夹（其中的单位数据集、上年数据集按相对路径读取），不能只传文件内容")
    try:
        ds, prov = load_dataset(Path(source))
    except InputError as exc:
        return failed(name, exc.describe())
    notes: list[str] = []
    if opts.get("db"):  # as `juesuan build --db`: last year's figures and the lasting texts from the store
        from juesuan.store import open_store
        from juesuan.store.reuse import fill_from_store

        ds, notes = fill_from_store(open_store(opts["db"]), ds)
    findings = run_rules(Context(ds, prov))
    counts = {s.value: sum(f.severity is s for f in findings) for s in Severity}
    head = {"path": name, **{k: opts[k] for k in ("role", "book") if opts.get(k)},
            "department": ds.department.name, "year": ds.year, "counts": counts,
            "figures": count_figures(ds.model_dump(by_alias=True)),
            "errors": [{"rule": f.rule, "message": f.message, "where": f.location.describe()}
                       for f in findings if f.severity is Severity.ERROR][:50]}
    try:
        result = build(ds, findings, opts["out"], profile=opts.get("profile"),
                       formats=opts.get("formats") or ("docx", "pdf", "html", "xlsx"),
                       draft=bool(opts.get("draft")), force=bool(opts.get("force")),
                       pdf_engine=opts.get("pdf_engine"), inputs=[Path(source)])
    except BuildRefused as exc:
        return {**head, "status": "refused", "reason": exc.message}
    except BuildError as exc:
        return {**head, "status": "failed", "reason": exc.message}
    return {**head, "status": "ok", "draft": result.draft, "out_dir": str(result.out_dir),
            **({"notes": notes} if notes else {}),
            "files": [str(f.relative_to(result.out_dir)) for f in result.files]}


_JOBS = {"audit": audit_job, "extract": extract_job, "build": build_job}


def run_job(job: str, name: str, source: bytes | str | Path, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Any job by its name, timed; a job that crashes is a failed record (never raises)."""
    start = time.perf_counter()
    try:
        out = _JOBS[job](name, source, options)
    except Exception as exc:  # noqa: BLE001 - a bug in one document's job must not stop the batch
        out = failed(name, f"程序内部错误：{type(exc).__name__}：{exc}")
    out["seconds"] = round(time.perf_counter() - start, 3)
    peak = _peak_mb()
    if peak is not None:
        out["worker_peak_mb"] = peak
    return out


def _peak_mb() -> float | None:
    """The peak resident memory of this worker process so far (MB), where the OS says it."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
