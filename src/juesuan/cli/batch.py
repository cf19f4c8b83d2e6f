"""Batch runs of ``juesuan audit``, ``extract`` and ``build``: the options they share and the
glue from the command line to ``juesuan.batch`` (discovery, executor, progress, summary).

Only ``typer`` is imported here at module level: the commands stay quick to start.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from juesuan.cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    console,
    err_console,
    esc,
    same_file,
)

EXIT_INTERRUPTED = 130  # Ctrl-C: the output is kept and can be resumed

JobsOpt = Annotated[int | None, typer.Option(
    "--jobs", "-j", help="批量处理：同时处理的进程数（默认本机的处理器核数）；结果按行写出（--format jsonl）")]
ResumeOpt = Annotated[bool, typer.Option(
    "--resume", help="批量处理：接着上次中断的运行，跳过输出中已有的文档（按内容 SHA-256，改名的文件不重复处理）")]
TimeoutOpt = Annotated[float | None, typer.Option(
    "--timeout", help="批量处理：每个文档最多处理的秒数，超时的文档记为失败（原因“超时”），其余继续")]
ExecutorOpt = Annotated[str | None, typer.Option(
    "--executor", help="批量处理：local（本机进程，默认）或 dask://主机:端口（Dask 集群，文档按内容发送）")]


class _StoreFailed(Exception):
    """The store refused a record: the run stops (the record's line is not written)."""


def _sink(db: str | None, job: str) -> Any:  # noqa: ANN401 - StoreSink | None
    """The store the results go into (``--db`` only: ``JUESUAN_DB`` alone stores nothing), or None."""
    url = db
    if not url:
        return None
    from juesuan.store import StoreError

    try:
        from juesuan.batch.stored import StoreSink

        sink = StoreSink(url, job)
    except (StoreError, ImportError) as exc:
        err_console.print(f"[bold red]无法打开数据库[/]：{esc(exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None

    def store(rec: dict[str, Any]) -> None:
        try:
            sink(rec)
        except Exception as exc:  # noqa: BLE001 - any database failure: stop, say which document
            raise _StoreFailed(f"{rec.get('path')}：{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") \
                from None

    store.sink = sink  # type: ignore[attr-defined]
    return store


def _stopped(exc: _StoreFailed, sink: Any) -> None:  # noqa: ANN401
    err_console.print(f"[bold red]写入数据库失败，已停止[/]（{esc(sink.sink.describe())}）：{esc(exc)}\n"
                      "此前完成的结果已写入数据库和输出；修复后加 --resume 重新运行同一命令即可接着做。", markup=True)
    raise typer.Exit(EXIT_INPUT)


class _TermAsInterrupt:
    """While a batch runs, SIGTERM (``kill``, a scheduler's stop) stops it as Ctrl-C does: the
    workers closed, every finished line kept, exit 130 and resumable."""

    def __enter__(self) -> _TermAsInterrupt:
        import signal
        import threading

        self.old = None
        if hasattr(signal, "SIGTERM") and threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGTERM, self._raise)
        return self

    @staticmethod
    def _raise(signum: int, frame: object) -> None:  # noqa: ARG004
        raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)


def wanted(jobs: int | None, resume: bool, timeout: float | None, executor: str | None) -> bool:
    """Whether any batch option was given."""
    return jobs is not None or resume or timeout is not None or executor is not None


def _executor(job: str, jobs: int | None, timeout: float | None, spec: str | None) -> Any:  # noqa: ANN401
    from juesuan.batch.executors import ExecutorError, make_executor

    if timeout is not None and timeout <= 0:
        raise typer.BadParameter("超时秒数应大于 0", param_hint="--timeout")
    if jobs is not None and jobs < 1:
        raise typer.BadParameter("进程数至少为 1", param_hint="--jobs")
    try:
        return make_executor(job, spec or "local", jobs or os.cpu_count() or 1, timeout)
    except ExecutorError as exc:
        err_console.print(f"[bold red]无法开始批量处理[/]：{esc(exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None


class _Progress:
    """A rich progress bar (done, failed, time left) on stderr when it is a terminal; else nothing."""

    def __init__(self, label: str) -> None:
        self.bar = None
        if not err_console.is_terminal:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                            TextColumn("失败 {task.fields[failed]}"), TextColumn("剩余"), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task(label, total=None, failed=0)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def total(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, total=n)

    def __call__(self, summary: Any, rec: dict[str, Any]) -> None:  # noqa: ANN401
        if self.bar is not None:
            self.bar.update(self.task, completed=summary.done + summary.skipped + summary.duplicates,
                            failed=summary.status["failed"])


def run_documents(job: str, paths: list[Path], output: Path | None, options: dict[str, Any], *,
                  jobs: int | None, resume: bool, timeout: float | None, executor: str | None,
                  db: str | None = None) -> None:
    """``juesuan audit|extract PATH… --format jsonl``: one line per document, the summary on the terminal."""
    from juesuan.batch.runner import (
        DOCUMENT_SUFFIXES,
        JsonlOutput,
        done_hashes,
        find_inputs,
        run_batch,
    )

    store = _sink(db, job) if job == "audit" else None
    if resume and output is None and store is None:
        raise typer.BadParameter("--resume 需要用 -o 指定上次的输出文件（或用 --db 指定数据库）", param_hint="--resume")
    for p in paths:
        if output is not None and same_file(output, p):
            err_console.print(f"[bold red]输出文件就是输入[/]：{esc(output)}（不会覆盖输入文档，请换一个输出文件）",
                              markup=True)
            raise typer.Exit(EXIT_INPUT)
    missing = [p for p in paths if not p.exists()]
    if missing:
        err_console.print(f"[bold red]无法读取输入[/]：{esc(missing[0])}：文件或文件夹不存在", markup=True)
        raise typer.Exit(EXIT_INPUT)
    files = list(find_inputs(paths, DOCUMENT_SUFFIXES, skip=[output] if output else []))
    if not files:
        err_console.print("[bold red]无法读取输入[/]：没有 .txt/.md/.docx/.pdf/.html 文档", markup=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        done = done_hashes(output) if resume and output is not None else set()
        if resume and store is not None:  # what the store lacks is done again, whatever the output holds
            done = store.sink.done() & done if output is not None else store.sink.done()
        out = JsonlOutput(output, append=resume)
    except OSError as exc:
        err_console.print(f"[bold red]无法写入输出文件[/]：{esc(output)}：{esc(exc.strerror or exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    ex = _executor(job, jobs, timeout, executor)
    start = time.perf_counter()
    try:
        with _Progress("审核" if job == "audit" else "提取") as progress, _TermAsInterrupt():
            progress.total(len(files))
            summary = run_batch(ex, files, out, done=done, options={**options, "for_store": store is not None},
                                progress=progress, store=store)
    except _StoreFailed as exc:
        _stopped(exc, store)
    finally:
        out.close()
        ex.close()
    _report(job, summary, time.perf_counter() - start, output, ex.describe(), store)


_WHAT = {"audit": ("审核", "通过审核"), "extract": ("提取", "已提取"), "build": ("生成", "已生成")}


def _report(job: str, s: Any, seconds: float, output: Path | None, where: str,  # noqa: ANN401
            store: Any = None) -> None:  # noqa: ANN401
    shown = console if output is not None else err_console
    verb, ok = _WHAT[job]
    parts = [f"{ok} {s.status['ok']}"]
    if s.status["refused"]:
        parts.append(("未生成（数据有错误）" if job == "build" else "不是决算公开文档或不予审核") + f" {s.status['refused']}")
    parts.append(f"失败 {s.status['failed']}" + (f"（其中超时 {s.timeouts}）" if s.timeouts else ""))
    rate = s.done / seconds if seconds > 0 else 0.0
    shown.print(f"{verb}完成：{s.done} 个（{'，'.join(parts)}），用时 {seconds:.1f} 秒，每秒 {rate:.2f} 个，{where}。",
                markup=False)
    if job != "extract" and s.done:
        shown.print(f"发现错误级问题 {s.severity['error']} 条（{s.with_errors} 个），警告 {s.severity['warning']} 条。",
                    markup=False)
    if s.skipped or s.duplicates:
        shown.print(f"跳过：{'输出中' if store is None else '输出和数据库中都'}已有 {s.skipped} 个，"
                    f"本次重复内容 {s.duplicates} 个。", markup=False)
    for status, path, reason in s.failures[:10]:
        label = "失败" if status == "failed" else ("未生成" if job == "build" else "未审核")
        shown.print(f"  [red]{label}[/] {esc(path)}：{esc(reason.splitlines()[0] if reason else '')}", markup=True)
    if output is not None:
        shown.print(f"结果已逐行写入 {output}", markup=False)
    if store is not None:
        sink = store.sink
        shown.print(f"已存入数据库 {sink.describe()}：新增 {sink.stored} 个"
                    + (f"，库中已有 {sink.unchanged} 个" if sink.unchanged else "") + "。", markup=False)
    if s.interrupted:
        err_console.print(f"[bold yellow]已中断[/]：已完成的 {s.done} 个已写入输出；加 --resume 重新运行同一命令即可继续。",
                          markup=True)
        raise typer.Exit(EXIT_INTERRUPTED)
    if s.status["failed"] or s.status["refused"] and job != "build":
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if s.with_errors or (job == "build" and s.status["refused"]) else EXIT_OK)


BUILD_LOG = "build-results.jsonl"
BUILD_SUMMARY = "findings-summary.csv"
UNIT_BOOKS = "单位工作簿"  # a many-unit workbook's units, one workbook each (read by the builds)


def run_builds(paths: list[Path], out_dir: Path, options: dict[str, Any], *,
               jobs: int | None, resume: bool, timeout: float | None, executor: str | None,
               db: str | None = None) -> None:
    """``juesuan build PATH… -o DIR --jobs N``: every unit's disclosure and the 汇总 in
    ``DIR/<name>/``, one line per build in ``DIR/build-results.jsonl``, one findings summary."""
    from juesuan.batch.district import plan_builds
    from juesuan.batch.runner import Input, JsonlOutput, done_hashes, run_batch
    from juesuan.readers.loader import resolve

    missing = [p for p in paths if not p.exists()]
    if missing:
        err_console.print(f"[bold red]无法读取输入[/]：{esc(missing[0])}：文件或文件夹不存在", markup=True)
        raise typer.Exit(EXIT_INPUT)
    if any(same_file(out_dir, p) for p in paths):
        err_console.print(f"[bold red]输出文件夹在输入之中[/]：{esc(out_dir)}（请换一个输出文件夹）", markup=True)
        raise typer.Exit(EXIT_INPUT)
    from juesuan.readers.errors import InputError

    try:
        plan = plan_builds(paths, out_dir / UNIT_BOOKS)
    except InputError as exc:
        err_console.print(f"[bold red]无法读取输入[/]：{esc(exc.describe())}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    if not plan:
        err_console.print("[bold red]无法读取输入[/]：没有找到数据集（dataset.yaml、.yaml 或 .xlsx）", markup=True)
        raise typer.Exit(EXIT_INPUT)
    log = out_dir / BUILD_LOG
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        done = done_hashes(log) if resume else set()
        out = JsonlOutput(log, append=resume)
    except OSError as exc:
        err_console.print(f"[bold red]无法写入输出文件夹[/]：{esc(out_dir)}：{esc(exc.strerror or exc)}", markup=True)
        raise typer.Exit(EXIT_INPUT) from None

    def inputs():  # noqa: ANN202
        for item in plan:
            try:
                hashed = item.hashed or resolve(item.source)
            except Exception:  # noqa: BLE001 - the build records why it cannot read it
                hashed = item.source
            yield Input(item.source, hashed, item.label,
                        {"out": str(out_dir / item.label), "role": item.role,
                         **({"book": str(item.hashed)} if item.hashed else {})})

    store = _sink(db, "build")
    url = db or os.environ.get("JUESUAN_DB")
    ex = _executor("build", jobs, timeout, executor)
    start = time.perf_counter()
    try:
        with _Progress("生成") as progress, _TermAsInterrupt():
            progress.total(len(plan))
            summary = run_batch(ex, inputs(), out, done=done, options={**options, "db": url}, progress=progress,
                                store=store)
    except _StoreFailed as exc:
        _findings_summary(log, out_dir / BUILD_SUMMARY)
        _stopped(exc, store)
    finally:
        out.close()
        ex.close()
    _findings_summary(log, out_dir / BUILD_SUMMARY)
    _report("build", summary, time.perf_counter() - start, log, ex.describe(), store)


def _findings_summary(log: Path, target: Path) -> None:
    """One CSV for the whole district, from every line of the log (resumed runs included)."""
    import csv
    import io
    import json

    from juesuan.cli.common import write_atomic

    rows: dict[str, dict[str, Any]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        rows[rec.get("out_dir") or rec.get("path")] = rec  # the last run of a unit wins
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["单位", "年度", "数据集", "结果", "草稿", "错误", "警告", "提示", "说明", "输出文件夹"])
    status = {"ok": "已生成", "refused": "未生成（数据有错误）", "failed": "失败"}
    for rec in rows.values():
        c = rec.get("counts") or {}
        first = (rec.get("errors") or [{}])[0]
        error = (f"{first.get('rule')}：{first.get('message')}" + (f"（{first['where']}）" if first.get("where") else "")
                 if first else "")
        note = "；".join(x for x in (rec.get("reason"), error) if x)
        w.writerow([rec.get("department") or "", rec.get("year") or "", rec.get("path"),
                    status.get(rec.get("status"), rec.get("status")), "是" if rec.get("draft") else "",
                    c.get("error", 0), c.get("warning", 0), c.get("info", 0), note, rec.get("out_dir") or ""])
    write_atomic(target, lambda tmp: Path(tmp).write_text("\ufeff" + buf.getvalue(), encoding="utf-8"))
