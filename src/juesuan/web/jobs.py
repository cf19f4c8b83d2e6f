"""Background work of the server (audits of many uploaded documents) behind a small interface.

``JobRunner.submit(title, items, work)`` runs ``work(item)`` for every item and keeps
the progress and each item's outcome; the pages poll ``get(job_id)``.  The runner
here uses a thread pool inside the server; a runner calling ``juesuan.batch`` (a
process pool) can take its place with the same two methods.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = ["Job", "JobRunner", "ThreadJobRunner"]


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
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="juesuan-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, title: str, owner: int, items: list[Any], work: Callable[[Any], Outcome]) -> Job:
        job = Job(uuid.uuid4().hex, title, owner, len(items))
        with self._lock:
            self._jobs[job.id] = job
        for item in items:
            self._pool.submit(self._run, job, item, work)
        return job

    def _run(self, job: Job, item: Any, work: Callable[[Any], Outcome]) -> None:
        try:
            outcome = work(item)
        except Exception as exc:  # noqa: BLE001 - one document's failure is its outcome, not the server's
            outcome = Outcome(str(getattr(item, "name", item)), False, f"处理失败（程序内部错误）：{exc}")
        with self._lock:
            job.outcomes.append(outcome)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
