"""Background work of the server (audits of many uploaded documents) in worker processes.

``ProcessJobRunner.submit(title, owner, items, finish)`` audits every document in
``juesuan.batch``'s local executor (N worker processes, one document at a time each,
a document past the time limit stopped and recorded with its reason) and, in the
server's process, calls ``finish(item, record)`` for each record as it arrives: that
stores it and says the item's ``Outcome``.  The pages poll ``get(job_id)`` for the
progress.  PDFium, which reads the PDFs, is not thread-safe, but here it runs only in
the worker processes, so documents are read in parallel; the server's own PDFium use
(page images) keeps ``audits.PDFIUM``.

``finish`` may return ``(outcome, follow)``: ``follow = (job, done)`` asks for a second
pass of the batch job ``job`` on the same document (an extraction of a 决算 document's
figures for the store) and ``done(record)`` is called with its record.  An item that is
already an ``Outcome`` (a refused upload) is counted without running.  Jobs run one
after another, each with all the workers, so the machine is never asked for more
processes than ``workers``.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Doc", "Job", "JobRunner", "Outcome", "ProcessJobRunner"]

log = logging.getLogger("juesuan.web")


@dataclass
class Outcome:
    name: str
    ok: bool
    detail: str
    link: str | None = None


@dataclass
class Doc:
    """One document for a worker: its file, the name shown, and what the caller needs back."""

    path: str
    name: str
    ref: Any = None  # the upload's sha256, the audit record's id …


@dataclass
class Job:
    id: str
    title: str
    owner: int  # the user who started it: only they (and admins) see it
    total: int
    outcomes: list[Outcome] = field(default_factory=list)
    state: str = "排队中"  # 排队中 → 审核中 → 整理数据 → 已完成
    workers: int = 1

    @property
    def done(self) -> int:
        return len(self.outcomes)

    @property
    def finished(self) -> bool:
        return self.state == "已完成"

    @property
    def failed(self) -> int:
        return sum(not o.ok for o in self.outcomes)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


Finish = Callable[[Any, dict[str, Any]], Any]  # → Outcome | (Outcome, (job, done))


class JobRunner(Protocol):
    def submit(self, title: str, owner: int, items: list[Any], finish: Finish) -> Job: ...

    def get(self, job_id: str) -> Job | None: ...


class ProcessJobRunner:
    """Audits in ``workers`` processes of ``juesuan.batch``'s local executor; ``timeout``
    seconds at most per document (then it is stopped and shown as failed, with the reason)."""

    def __init__(self, workers: int = 2, timeout: float | None = 900.0) -> None:
        self.workers = max(1, workers)
        self.timeout = timeout
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._turn = threading.Lock()  # one job at a time has the workers
        self._threads: list[threading.Thread] = []

    def submit(self, title: str, owner: int, items: list[Any], finish: Finish, job: str = "audit") -> Job:
        j = Job(uuid.uuid4().hex, title, owner, len(items), workers=self.workers)
        with self._lock:
            self._jobs[j.id] = j
        t = threading.Thread(target=self._drive, args=(j, items, finish, job), name=f"juesuan-job-{j.id[:8]}",
                             daemon=True)
        self._threads.append(t)
        t.start()
        return j

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _add(self, job: Job, outcome: Outcome) -> None:
        with self._lock:
            job.outcomes.append(outcome)

    def _drive(self, job: Job, items: list[Any], finish: Finish, kind: str) -> None:
        docs = []
        for item in items:
            if isinstance(item, Outcome):
                self._add(job, item)
            else:
                docs.append(item)
        follows: list[tuple[Any, str, Callable[[dict[str, Any]], Any]]] = []
        with self._turn:
            job.state = "审核中"
            for item, record in self.run(kind, docs):
                outcome: Any = _safely(finish, item, record, item.name)
                if isinstance(outcome, tuple):
                    outcome, (then, done) = outcome
                    follows.append((item, then, done))
                self._add(job, outcome)
            if follows:
                job.state = "整理数据"
                for name in sorted({then for _, then, _ in follows}):
                    group = [(item, done) for item, then, done in follows if then == name]
                    dones = {id(item): done for item, done in group}
                    for item, record in self.run(name, [item for item, _ in group]):
                        _safely(lambda _i, rec, d=dones[id(item)]: d(rec), item, record, item.name)
        job.state = "已完成"

    def run(self, kind: str, docs: list[Doc]) -> Iterator[tuple[Doc, dict[str, Any]]]:
        """``(doc, record)`` of the batch job ``kind`` for every document, as each finishes
        (a generator); the executor failing as a whole gives every document left a failed record."""
        from juesuan.batch.executors import ExecutorError, LocalExecutor, Task
        from juesuan.batch.jobs import failed

        if not docs:
            return
        by_key = {str(i): d for i, d in enumerate(docs)}
        left = dict(by_key)
        try:
            executor = LocalExecutor(kind, min(self.workers, len(docs)), self.timeout)
            for task, record in executor.run(Task(k, d.name, d.path) for k, d in by_key.items()):
                left.pop(task.key, None)
                yield by_key[task.key], record
        except (ExecutorError, OSError, RuntimeError) as exc:
            log.exception("the worker processes failed")
            for d in left.values():
                yield d, failed(d.name, f"后台进程无法运行：{exc}")

    def audit_now(self, doc: Doc) -> dict[str, Any]:
        """One document's audit record, in a worker process, for a request that waits for it."""
        return next(iter(self.run("audit", [doc])))[1]

    def shutdown(self) -> None:
        for t in self._threads:
            t.join(timeout=60)


def _safely(fn: Callable[..., Any], item: Any, record: dict[str, Any], name: str) -> Any:  # noqa: ANN401
    try:
        return fn(item, record)
    except Exception as exc:  # noqa: BLE001 - one document's failure is its outcome, not the server's
        log.exception("storing the record of %s failed", name)
        return Outcome(name, False, f"结果入库失败（程序内部错误）：{exc}")
