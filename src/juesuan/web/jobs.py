"""Background work of the server (audits of many uploaded documents) behind a small interface.

``JobRunner.submit(title, items, work)`` runs ``work(item)`` for every item and keeps
the progress and each item's outcome; the pages poll ``get(job_id)``.  The runner
here is a pool of threads inside the server; PDFium, which reads the PDFs, is not
thread-safe, so the work holds ``audits.PDFIUM`` while it reads one (PDF work is
serialised; a process pool forked from the server deadlocked in tests and is left
for the ``juesuan.batch`` runner).  ``work`` is a module-level function or a
``functools.partial`` of one; an item that is already an ``Outcome`` (a refused
upload) is counted without running.  A
runner calling ``juesuan.batch`` can take its place with the same two methods.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Job", "JobRunner", "Outcome", "ThreadJobRunner"]


@dataclass
class Outcome:
    name: str
    ok: bool
    detail: str
    link: str | None = None


@dataclass
class Job:
    id: str
    title: str
    owner: int  # the user who started it: only they (and admins) see it
    total: int
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def done(self) -> int:
        return len(self.outcomes)

    @property
    def finished(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


class JobRunner(Protocol):
    def submit(self, title: str, owner: int, items: list[Any], work: Callable[[Any], Outcome]) -> Job: ...

    def get(self, job_id: str) -> Job | None: ...


class ThreadJobRunner:
    """A pool of ``workers`` threads; a failed item becomes an outcome with its reason."""

    def __init__(self, workers: int = 2) -> None:
        self._workers = max(1, workers)
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:  # started on first use
                self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="juesuan-job")
            return self._pool

    def submit(self, title: str, owner: int, items: list[Any], work: Callable[[Any], Outcome]) -> Job:
        job = Job(uuid.uuid4().hex, title, owner, len(items))
        with self._lock:
            self._jobs[job.id] = job
        for item in items:
            if isinstance(item, Outcome):
                self._add(job, item)
                continue
            future = self._executor().submit(work, item)
            future.add_done_callback(lambda f, item=item: self._add(job, _outcome(f, item)))
        return job

    def _add(self, job: Job, outcome: Outcome) -> None:
        with self._lock:
            job.outcomes.append(outcome)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _outcome(future: Future, item: Any) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - one document's failure is its outcome, not the server's
        return Outcome(str(getattr(item, "name", item)), False, f"处理失败（程序内部错误）：{exc}")
