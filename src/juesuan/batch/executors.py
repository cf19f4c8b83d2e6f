"""Where the jobs run, behind one interface: ``Executor.run(tasks)`` yields ``(task, record)``
as each task finishes, in the order they finish.

- ``LocalExecutor``: N worker processes on this machine, fed one task at a time; a
  worker that exceeds the timeout is killed and replaced (the task is recorded
  "超时"), a worker is replaced after ``max_tasks`` tasks, or once its peak memory passes
  ``max_mb`` (``JUESUAN_WORKER_MAX_MB``, default 1,024 MB), so memory stays flat.  A worker
  compiles every PDF itself (Typst keeps its layouts, and its fonts loaded, for the next
  one): being replaced is what returns that memory.
- ``DaskExecutor``: a ``dask.distributed`` cluster (``dask://HOST:PORT``); the documents
  are sent as bytes and the records streamed back with ``as_completed``.  Only as many
  tasks as the cluster has threads (times two) are in flight, so memory stays flat.

A task is ``Task(key, name, source, options)``; ``source`` is the path (local) or is read
into bytes just before it is sent (Dask).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from juesuan.batch.jobs import failed, run_job

__all__ = ["DaskExecutor", "ExecutorError", "LocalExecutor", "Task", "make_executor"]


class ExecutorError(Exception):
    """The executor cannot be used (a cluster that does not answer, Dask not installed); Chinese."""


@dataclass
class Task:
    key: str  # the content's sha256
    name: str  # the path as given, shown and recorded
    source: str  # the file to read
    options: dict[str, Any] = field(default_factory=dict)


def _timed_out(task: Task, seconds: float) -> dict[str, Any]:
    return failed(task.name, f"超时：超过 {seconds:g} 秒未完成，已停止该文档的处理", seconds=seconds)


# --- local processes -----------------------------------------------------------------------


def _serve(conn: Any, job: str) -> None:  # noqa: ANN401 - a multiprocessing Connection
    """A worker: one task in, one record out, until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # every PDF compiled here, not in a child of its own (render.typst): the executor replaces
    # this worker once its memory passes the limit
    os.environ.setdefault("JUESUAN_TYPST_IN_PROCESS", str(10**9))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        name, source, options = msg
        conn.send(run_job(job, name, source, options))


@dataclass
class _Worker:
    proc: Any
    conn: Any
    task: Task | None = None
    started: float = 0.0
    done: int = 0
    peak_mb: float = 0.0


def _context() -> Any:  # noqa: ANN401
    """forkserver on POSIX (clean children, juesuan imported once), spawn elsewhere."""
    if sys.platform != "win32" and "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["juesuan.batch.jobs", "juesuan.audit.checks_run", "juesuan.audit.report"])
        return ctx
    return mp.get_context("spawn")


def _max_mb() -> float:
    try:
        return float(os.environ.get("JUESUAN_WORKER_MAX_MB", WORKER_MAX_MB))
    except ValueError:
        return WORKER_MAX_MB


WORKER_MAX_MB = 1024.0  # a worker's peak memory past which it is replaced after its task


class LocalExecutor:
    def __init__(self, job: str, jobs: int, timeout: float | None = None, max_tasks: int = 100,
                 max_mb: float | None = None) -> None:
        self.job, self.jobs, self.timeout, self.max_tasks = job, max(1, jobs), timeout, max(1, max_tasks)
        self.max_mb = _max_mb() if max_mb is None else max_mb
        self.ctx = _context()
        self.workers: list[_Worker] = []

    def describe(self) -> str:
        return f"本机 {self.jobs} 个进程"

    def _start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_serve, args=(child, self.job), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _stop(self, w: _Worker, kill: bool = False) -> None:
        if kill:
            w.proc.kill()
        else:
            try:
                w.conn.send(None)
            except OSError:
                w.proc.kill()
        w.proc.join(5)
        if w.proc.is_alive():
            w.proc.kill()
            w.proc.join(5)
        w.conn.close()

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict[str, Any]]]:
        pending = iter(tasks)
        exhausted = False
        self.workers = [self._start() for _ in range(self.jobs)]
        try:
            while True:
                for i, w in enumerate(self.workers):
                    if w.task is None and not exhausted:
                        task = next(pending, None)
                        if task is None:
                            exhausted = True
                            break
                        if w.done >= self.max_tasks or w.peak_mb > self.max_mb:  # recycle: memory stays flat
                            self._stop(w)
                            w = self.workers[i] = self._start()
                        w.task, w.started = task, time.monotonic()
                        w.conn.send((task.name, task.source, task.options))
                busy = [w for w in self.workers if w.task is not None]
                if not busy:
                    return
                wait_for = 0.5
                if self.timeout:
                    wait_for = max(0.01, min(self.timeout - (time.monotonic() - w.started) for w in busy))
                ready = wait([w.conn for w in busy], timeout=wait_for)
                for i, w in enumerate(self.workers):
                    if w.task is None:
                        continue
                    task = w.task
                    if w.conn in ready:
                        try:
                            record = w.conn.recv()
                        except (EOFError, OSError):
                            record = failed(task.name, "处理该文档的进程意外退出（内存不足或程序崩溃）")
                            self._stop(w, kill=True)
                            self.workers[i] = self._start()
                        else:
                            w.task, w.done = None, w.done + 1
                            peak = record.get("worker_peak_mb") if isinstance(record, dict) else None
                            if isinstance(peak, (int, float)):
                                w.peak_mb = float(peak)
                        yield task, record
                    elif self.timeout and time.monotonic() - w.started > self.timeout:
                        self._stop(w, kill=True)
                        self.workers[i] = self._start()
                        yield task, _timed_out(task, self.timeout)
        finally:
            self.close()

    def close(self) -> None:
        for w in self.workers:
            self._stop(w, kill=w.task is not None)
        self.workers = []


# --- Dask -------------------------------------------------------------------------------


class DaskExecutor:
    def __init__(self, job: str, address: str, timeout: float | None = None,
                 client: Any = None) -> None:  # noqa: ANN401 - a distributed.Client
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorError("未安装 dask.distributed：pip install 'juesuan[batch]'") from None
        self.job, self.address, self.timeout = job, address, timeout
        try:
            self.client = client or Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(f"无法连接 Dask 集群 {address}：{exc}") from None
        info = self.client.scheduler_info()
        self.threads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()) or 1

    def describe(self) -> str:
        return f"Dask 集群 {self.address}（{self.threads} 个线程）"

    def _payload(self, task: Task) -> bytes | str:
        # a build reads the dataset's folder (units, last year): it is sent as a path
        return task.source if self.job == "build" else Path(task.source).read_bytes()

    def run(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, dict[str, Any]]]:
        from distributed import as_completed

        pending = iter(tasks)
        flight: dict[Any, tuple[Task, float]] = {}
        ac = as_completed()
        exhausted = False
        try:
            while True:
                while not exhausted and len(flight) < 2 * self.threads:
                    task = next(pending, None)
                    if task is None:
                        exhausted = True
                        break
                    try:
                        payload = self._payload(task)
                    except OSError as exc:
                        yield task, failed(task.name, f"无法读取：{exc.strerror or exc}")
                        continue
                    fut = self.client.submit(run_job, self.job, task.name, payload, task.options, pure=False)
                    flight[fut] = (task, time.monotonic())
                    ac.add(fut)
                if not flight:
                    return
                if ac.has_ready():
                    for fut in ac.next_batch(block=False):
                        if fut in flight:
                            task, _ = flight.pop(fut)
                            yield task, self._record(task, fut)
                    continue
                for _fut, task in self._expired(flight):
                    yield task, _timed_out(task, self.timeout or 0)
                time.sleep(0.05)
        finally:
            for fut in flight:
                fut.cancel()

    def _record(self, task: Task, fut: Any) -> dict[str, Any]:  # noqa: ANN401
        try:
            return fut.result()
        except Exception as exc:  # noqa: BLE001 - a worker lost, a task that could not run
            return failed(task.name, f"Dask 任务失败：{type(exc).__name__}：{exc}")

    def _expired(self, flight: dict[Any, tuple[Task, float]]) -> list[tuple[Any, Task]]:
        """Tasks past the timeout: cancelled, and the worker running each restarted (its
        thread cannot be stopped otherwise); the scheduler reruns that worker's other tasks."""
        if not self.timeout:
            return []
        now = time.monotonic()
        out = [(fut, task) for fut, (task, started) in flight.items()
               if now - started > self.timeout and not fut.done()]
        if not out:
            return []
        keys = {fut.key for fut, _ in out}
        try:
            stuck = [w for w, ks in self.client.processing().items() if keys & set(ks)]
        except Exception:  # noqa: BLE001 - the scheduler's view is a best effort
            stuck = []
        for fut, _ in out:
            flight.pop(fut)
            fut.cancel()
        if stuck:
            try:
                self.client.restart_workers(stuck)
            except Exception:  # noqa: BLE001 - a worker without a nanny cannot be restarted
                pass
        return out

    def close(self) -> None:
        self.client.close()


def make_executor(job: str, spec: str, jobs: int, timeout: float | None) -> LocalExecutor | DaskExecutor:
    """``local`` or ``dask://HOST:PORT`` (also ``tcp://…``)."""
    spec = (spec or "local").strip()
    if spec == "local":
        return LocalExecutor(job, jobs, timeout)
    if spec.startswith("dask://"):
        return DaskExecutor(job, "tcp://" + spec[len("dask://"):], timeout)
    if spec.startswith(("tcp://", "tls://")):
        return DaskExecutor(job, spec, timeout)
    raise ExecutorError(f"无法识别的执行方式“{spec}”：可用 local 或 dask://主机:端口")
