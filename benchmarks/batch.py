"""Batch audit throughput: documents/s and pages/s on 1 and 2 cores, the scaling efficiency,
the peak memory per worker, the resume overhead, and the same through a two-worker Dask
LocalCluster — on a generated corpus and, apart, on the real documents of ../shared/.

    python benchmarks/batch.py [--corpus DIR] [--datasets 500] [--pdfs 133] [--sample 200]
                               [--full] [--no-dask] [--jobs N] [--generate-only]

The generated corpus: ``--datasets`` random consistent datasets of varied size
(``benchmarks/generate.py``, 5 to 60 function rows; from the 321st, 5 to 20), each built once by the batch build
(``juesuan build … --jobs``), every document of a dataset from that one build: the first
``--pdfs`` in PDF, Word, HTML and the HTML page's text; the others (sparing Typst, the
costly format) in Word, HTML, its text and its Markdown — four documents per dataset,
2,000 for 500 datasets (133 pdf, 500 docx, 500 html, 500 txt, 367 md), with the real
documents of ../shared/ (corpus, samples, seed) beside them.  It is cached in ``--corpus``
(default /tmp/juesuan-batch-corpus) and reused; an interrupted generation resumes.  The
1-core / 2-core / Dask comparison runs on a sample of ``--sample`` documents (every format
alike), each figure printed with the machine's load average (a shared machine's figures
are only comparable at the same load); ``--full`` also audits the whole corpus on every
core, then measures resuming that finished run.

As a new user runs it (the figures of the issue's closing note), on an idle machine:

    nice -n 19 python benchmarks/batch.py --generate-only --jobs 2      # the corpus, cached
    ALL="/tmp/juesuan-batch-corpus/docs ../shared/corpus ../shared/samples ../shared/seed"
    script -qc "juesuan audit $ALL --jobs 2 -f jsonl -o run.jsonl" /dev/null   # with the bar
    #   … Ctrl-C part way (exit 130, every finished line kept), then:
    script -qc "juesuan audit $ALL --jobs 2 -f jsonl -o run.jsonl --resume" /dev/null
    juesuan scorecard run.jsonl -o card/
    python benchmarks/batch.py --sample 200                             # 1/2 cores, Dask
"""

from __future__ import annotations

import argparse
import html.parser
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402

from juesuan.batch.executors import DaskExecutor, LocalExecutor  # noqa: E402
from juesuan.batch.runner import (  # noqa: E402
    DOCUMENT_SUFFIXES,
    Input,
    JsonlOutput,
    done_hashes,
    find_inputs,
    run_batch,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
FORMATS = ("txt", "md", "html", "docx", "pdf")
SMALL_FROM = 320


class _Text(html.parser.HTMLParser):
    """The visible text of an HTML page, one block a line (the text document of a build); in
    Markdown, headings as ``#`` lines and table rows as ``| … |`` (the Markdown document)."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "tr", "li", "div", "br", "table", "caption"}

    def __init__(self, markdown: bool = False) -> None:
        super().__init__()
        self.out: list[str] = []
        self.skip = 0
        self.md = markdown
        self.cells = 0  # cells of the current table row (Markdown)
        self.rows = 0  # rows of the current table (Markdown)

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        if tag in ("style", "script", "head"):
            self.skip += 1
        if tag in self.BLOCKS:
            self.out.append("\n")
        if self.md and tag in ("h1", "h2", "h3", "h4"):
            self.out.append("#" * int(tag[1]) + " ")
        if self.md and tag == "table":
            self.rows = 0
        if self.md and tag == "tr":
            self.cells = 0
        if tag in ("td", "th"):
            self.out.append(" | " if self.md else " ")
            self.cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head"):
            self.skip -= 1
        if self.md and tag == "tr" and self.cells:
            self.out.append(" |")
            self.rows += 1
            if self.rows == 1:  # the header row's rule
                self.out.append("\n" + "|---" * self.cells + "|")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(data.strip())


def html_text(page: str, markdown: bool = False) -> str:
    p = _Text(markdown)
    p.feed(page)
    lines = [" ".join(line.split()) for line in "".join(p.out).splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def _formats_of(i: int, pdfs: int) -> tuple[str, ...]:
    """The documents dataset ``i`` gives: the first ``pdfs`` in PDF, Word, HTML and its text (as
    first generated); the others, sparing Typst, in Word, HTML, its text and its Markdown."""
    return ("txt", "html", "docx", "pdf") if i < pdfs else ("txt", "md", "html", "docx")


def build_corpus(root: Path, datasets: int, jobs: int, pdfs: int | None = None) -> list[Path]:
    """The generated documents (cached): datasets, their builds (one build per dataset, every
    format from it), and the text of each HTML page; the first ``pdfs`` datasets also in PDF."""
    pdfs = datasets if pdfs is None else pdfs
    docs = root / "docs"
    want = [docs / f"d{i:04d}.{ext}" for i in range(datasets) for ext in _formats_of(i, pdfs)]
    if all(p.exists() for p in want):
        return want
    rng = random.Random(2026)
    # 5 to 60 function rows; from dataset SMALL_FROM on 5 to 20 (the build's rounding balance
    # grows faster than the rows: these keep the generation cheap on a shared machine)
    sizes = [(n if i < SMALL_FROM else 5 + n % 16) for i, n in enumerate(rng.randint(5, 60) for _ in range(datasets))]
    t = time.perf_counter()
    for i, rows in enumerate(sizes):
        folder = root / "datasets" / f"d{i:04d}"
        if not (folder / "dataset.yaml").exists():
            generate.write(folder, rows, seed=i)
    built = root / "built"
    built.mkdir(parents=True, exist_ok=True)
    log = built / "build-results.jsonl"
    inputs = [Input(root / "datasets" / f"d{i:04d}", root / "datasets" / f"d{i:04d}" / "dataset.yaml", f"d{i:04d}",
                    {"out": str(built / f"d{i:04d}"),
                     "formats": [f for f in _formats_of(i, pdfs) if f not in ("txt", "md")]})
              for i in range(datasets)]
    ex = LocalExecutor("build", jobs)
    out = JsonlOutput(log, append=True)
    s = run_batch(ex, inputs, out, done=done_hashes(log), options={"draft": True, "force": True},
                  on_record=lambda rec: _copy_docs(Path(rec.get("out_dir") or "-"), docs, pdfs))
    out.close()
    print(f"built {s.status['ok']} datasets ({s.status['failed']} failed, {s.skipped} already built) "
          f"in {time.perf_counter() - t:.0f} s on {jobs} processes", flush=True)
    for i in range(datasets):
        _copy_docs(built / f"d{i:04d}", docs, pdfs)
    return [p for p in want if p.exists()]


def _copy_docs(folder: Path, docs: Path, pdfs: int | None = None) -> None:
    """A build's documents into the corpus as ``dNNNN.ext``, and its HTML page's text as ``.txt``."""
    if not folder.is_dir():
        return
    docs.mkdir(parents=True, exist_ok=True)
    for ext in ("docx", "pdf", "html"):
        src = next(folder.glob(f"*部门决算.{ext}"), None)
        if src is not None and not (docs / f"{folder.name}.{ext}").exists():
            shutil.copyfile(src, docs / f"{folder.name}.{ext}")
    page = docs / f"{folder.name}.html"
    for ext in ("txt", "md") if pdfs is None or int(folder.name[1:]) >= pdfs else ("txt",):
        if page.exists() and not (docs / f"{folder.name}.{ext}").exists():
            text = html_text(page.read_text(encoding="utf-8"), markdown=ext == "md")
            (docs / f"{folder.name}.{ext}").write_text(text, encoding="utf-8")


def measure(label: str, ex: object, files: list[Path], output: Path | None = None, resume: bool = False) -> dict:
    scratch = output is None
    output = output or Path(tempfile.mkstemp(suffix=".jsonl")[1])
    done = done_hashes(output) if resume else set()
    out = JsonlOutput(output, append=resume)
    peak = [0.0]

    def seen(rec: dict) -> None:
        peak[0] = max(peak[0], float(rec.get("worker_peak_mb") or 0))

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    t = time.perf_counter()
    s = run_batch(ex, files, out, done=done, on_record=seen)
    seconds = time.perf_counter() - t
    load = (load + (os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"))) / 2
    out.close()
    if scratch:
        output.unlink()
    row = {"label": label, "docs": s.done, "skipped": s.skipped, "failed": s.status["failed"], "pages": s.pages,
           "seconds": seconds, "docs_s": s.done / seconds if seconds else 0.0,
           "pages_s": s.pages / seconds if seconds else 0.0, "peak_mb": peak[0], "load": load}
    print(f"{label:<44} {s.done:>5} docs {s.pages:>6} pages {seconds:>8.1f} s  {row['docs_s']:>6.2f} docs/s "
          f"{row['pages_s']:>7.1f} pages/s  peak/worker {peak[0]:>6.0f} MB  failed {s.status['failed']}"
          + (f"  skipped {s.skipped}" if s.skipped else "") + f"  (load {load:.1f})", flush=True)
    return row


def _sample(files: list[Path], n: int) -> list[Path]:
    by = {ext: [f for f in files if f.suffix == f".{ext}"] for ext in FORMATS}
    per = max(1, n // len(FORMATS))
    return [f for ext in FORMATS for f in by[ext][:per]]


def _dask(files: list[Path], label: str) -> dict | None:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed is not installed: pip install .[batch]")
        return None
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        ex = DaskExecutor("audit", cluster.scheduler_address, client=client)
        return measure(label, ex, files)


def _resumed(files: list[Path], output: Path, full: dict) -> None:
    """A finished run resumed: what skipping every document by its hash costs."""
    again = measure("resumed (nothing left to do)", LocalExecutor("audit", 2), files, output, resume=True)
    print(f"resume overhead: {again['seconds']:.2f} s for {len(files)} documents "
          f"({1000 * again['seconds'] / len(files):.1f} ms each, {again['seconds'] / full['seconds']:.1%} of the run)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "juesuan-batch-corpus")
    ap.add_argument("--datasets", type=int, default=500, help="generated datasets (four documents each)")
    ap.add_argument("--pdfs", type=int, default=133, help="of which the first N also in PDF (the costly format)")
    ap.add_argument("--jobs", type=int, default=None, help="processes building the corpus (default: the cores)")
    ap.add_argument("--generate-only", action="store_true", help="build the corpus, measure nothing")
    ap.add_argument("--sample", type=int, default=200, help="documents of the 1-core/2-core/Dask comparison")
    ap.add_argument("--full", action="store_true", help="also audit the whole corpus, then resume it")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-real", action="store_true", help="leave the real documents' 1/2-process runs out")
    args = ap.parse_args(argv)
    cores = os.cpu_count() or 1
    files = build_corpus(args.corpus, args.datasets, args.jobs or max(2, cores), args.pdfs)
    if args.generate_only:
        print(f"generated corpus: {len(files)} documents in {args.corpus}")
        return 0
    real = [f for d in ("corpus", "seed", "samples") if (SHARED / d).is_dir()
            for f in find_inputs([SHARED / d], DOCUMENT_SUFFIXES)]
    print(f"generated corpus: {len(files)} documents in {args.corpus} "
          f"({', '.join(f'{sum(f.suffix == chr(46) + e for f in files)} {e}' for e in FORMATS)}); "
          f"real documents: {len(real)}; {cores} cores", flush=True)
    sample = _sample(files, args.sample)
    print(f"\nsample of {len(sample)} generated documents:")
    one = measure("generated, local, 1 process", LocalExecutor("audit", 1), sample)
    kept = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    two = measure("generated, local, 2 processes", LocalExecutor("audit", 2), sample, kept)
    eff = (two["docs_s"] / one["docs_s"] / 2) if one["docs_s"] else 0.0
    print(f"speed-up on 2 cores {two['docs_s'] / one['docs_s']:.2f}×, scaling efficiency {eff:.0%}")
    _resumed(sample, kept, two)
    kept.unlink()
    if not args.no_dask:
        d = _dask(sample, "generated, Dask LocalCluster, 2 workers")
        if d:
            print(f"Dask against local 2 processes: {d['docs_s'] / two['docs_s']:.2f}×")
    if real and not args.no_real:
        print(f"\nreal documents ({len(real)}, of which most are budgets or not disclosures: recognised and refused):")
        measure("real, local, 1 process", LocalExecutor("audit", 1), real)
        measure("real, local, 2 processes", LocalExecutor("audit", 2), real)
    if args.full:
        everything = files + real
        out = args.corpus / "full-audit.jsonl"
        print(f"\nthe whole corpus ({len(everything)} documents) on {cores} processes, then resumed:")
        full = measure(f"all, local, {cores} processes", LocalExecutor("audit", cores), everything, out)
        _resumed(everything, out, full)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
