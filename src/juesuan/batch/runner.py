"""A batch run: the inputs found, the ones already done skipped by content hash, the rest
run by an executor, each record appended to the JSON-lines output as it finishes.

The output is the run's memory: one line per document (its sha256, path, status,
counts and report), written whole, flushed and synced before the next, so an
interrupted run (Ctrl-C, a crash, a power cut) resumes from it with ``--resume``; a
partly written last line is dropped on resume.  Nothing else is kept in memory but
the hashes and the counters.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from juesuan.batch.executors import Task

__all__ = ["Input", "JsonlOutput", "Summary", "done_hashes", "find_inputs", "run_batch", "sha256_file"]

DOCUMENT_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
DATASET_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def find_inputs(paths: Iterable[Path], suffixes: tuple[str, ...], skip: Iterable[Path] = ()) -> Iterator[Path]:
    """Files as given; a folder means every file with one of ``suffixes`` below it, recursed,
    in name order; hidden files and folders (and ``skip``, the run's own output) are passed over."""
    avoid = {p.resolve() for p in skip}
    for p in paths:
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    fp = Path(root) / f
                    if not f.startswith(".") and fp.suffix.lower() in suffixes and fp.resolve() not in avoid:
                        yield fp
        else:
            yield p


def done_hashes(output: Path) -> set[str]:
    """The sha256 of every document the output already holds; a torn last line is cut off.
    The file is read a line at a time: resuming a long run keeps only the hashes."""
    if not output.exists():
        return set()
    with open(output, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        if size:
            f.seek(size - 1)
            if f.read(1) != b"\n":  # interrupted in the middle of a line: drop it
                cut = _last_line_start(f, size)
                f.truncate(cut)
    out: set[str] = set()
    with open(output, "rb") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict) and (rec.get("key") or rec.get("sha256")):
                out.add(rec.get("key") or rec["sha256"])
    return out


def _last_line_start(f: IO[bytes], size: int) -> int:
    """Where the file's last (unterminated) line starts: just after the last newline, or 0."""
    pos = size
    while pos > 0:
        step = min(1 << 16, pos)
        pos -= step
        f.seek(pos)
        block = f.read(step)
        nl = block.rfind(b"\n")
        if nl >= 0:
            return pos + nl + 1
    return 0


class JsonlOutput:
    """Appends one JSON line per record, flushed and synced: a line is either whole or absent."""

    def __init__(self, path: Path | None, append: bool) -> None:
        self.path = path
        self.file: IO[str]
        if path is None:
            import sys

            self.file = sys.stdout
        else:
            self.file = open(path, "a" if append else "w", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def write(self, record: dict[str, Any]) -> None:
        self.file.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        self.file.flush()
        if self.path is not None:
            os.fsync(self.file.fileno())

    def close(self) -> None:
        if self.path is not None:
            self.file.close()


@dataclass
class Input:
    """One input of a run: a path, the file whose content identifies it (a dataset folder's
    dataset.yaml), the label that tells two runs of one content apart (a build's output
    folder) and its own options."""

    path: Path
    hashed: Path | None = None
    label: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Summary:
    total: int = 0  # inputs found
    skipped: int = 0  # already in the output (--resume)
    duplicates: int = 0  # the same content twice in this run
    unreadable: int = 0
    status: Counter = field(default_factory=Counter)  # ok / refused / failed
    severity: Counter = field(default_factory=Counter)  # error / warning / info findings
    pages: int = 0
    with_errors: int = 0
    timeouts: int = 0
    interrupted: bool = False
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # the first few (status, path, reason)

    @property
    def done(self) -> int:
        return sum(self.status.values())

    def add(self, rec: dict[str, Any]) -> None:
        self.status[rec.get("status", "failed")] += 1
        counts = rec.get("counts") or {}
        self.severity.update({k: v for k, v in counts.items() if isinstance(v, int)})
        self.with_errors += bool(counts.get("error"))
        self.pages += int(rec.get("pages") or 0)
        self.timeouts += str(rec.get("reason") or "").startswith("超时")
        if rec.get("status") != "ok" and len(self.failures) < 20:
            self.failures.append((str(rec.get("status")), str(rec.get("path")), str(rec.get("reason") or "")))


def _tasks(items: Iterable[Path | Input], done: set[str], summary: Summary, options: dict[str, Any],
           failed_input: Callable[[Path, str], None]) -> Iterator[Task]:
    """The tasks still to do; a file's hash is taken as it is reached (memory: the hashes only)."""
    seen: set[str] = set()
    for item in items:
        item = item if isinstance(item, Input) else Input(item)
        f = item.path
        summary.total += 1
        try:
            file = item.hashed or f
            if not file.is_file():
                raise OSError("不是文件或不存在")
            key = sha256_file(file) + (f":{item.label}" if item.label else "")
        except OSError as exc:
            failed_input(f, f"无法读取：{getattr(exc, 'strerror', None) or exc}")
            continue
        if key in done:
            summary.skipped += 1
            continue
        if key in seen:
            summary.duplicates += 1
            continue
        seen.add(key)
        yield Task(key, str(f), str(f), {**options, **item.options})


def run_batch(executor: Any, files: Iterable[Path], output: JsonlOutput, *, done: set[str] = frozenset(),  # noqa: ANN401, B006
              options: dict[str, Any] | None = None, progress: Any = None,  # noqa: ANN401
              on_record: Callable[[dict[str, Any]], None] | None = None,
              store: Callable[[dict[str, Any]], None] | None = None) -> Summary:
    """Run every file not yet done; records are written as they finish, each first given to
    ``store`` (``--db``: kept before its line is written, so a line means stored).  Ctrl-C
    stops the executor, keeps what was written and sets ``summary.interrupted``."""
    summary = Summary()

    def emit(rec: dict[str, Any]) -> None:
        if store is not None:
            store(rec)
        output.write(rec)
        summary.add(rec)
        if on_record:
            on_record(rec)
        if progress is not None:
            progress(summary, rec)

    def failed_input(f: Path, reason: str) -> None:
        summary.unreadable += 1
        emit({"sha256": None, "path": str(f), "status": "failed", "reason": reason})

    tasks = _tasks(files, set(done), summary, options or {}, failed_input)
    try:
        for task, rec in executor.run(tasks):
            sha, _, label = task.key.partition(":")
            emit({"sha256": sha, **({"key": task.key} if label else {}), **rec, "path": task.name})
    except KeyboardInterrupt:
        summary.interrupted = True
        close = getattr(executor, "close", None)
        if close:
            close()
    return summary
