"""Speed on one core (issue 9): every figure as a ratio to its yardstick, and the growth curves.

    python benchmarks/speed.py [--src SRC] [--rows 10,100,1000,5000] [--repeat N] [--skip-growth]

Every figure is the CPU time (user + system) and the peak memory (RSS) of a
whole process, as ``os.wait4`` reports them: what one ``juesuan`` command costs,
imports included.  ``--src`` names the ``src`` folder whose juesuan is measured
(default: this checkout's), so that two versions can be compared on the same
machine: ``--src ../main/src`` gives the “before”.  Compiled bytecode goes to a
temporary ``PYTHONPYCACHEPREFIX``, and the run cache (``juesuan.runcache``:
compiled patterns, parsed profiles) to a temporary ``JUESUAN_CACHE_DIR``, both
warmed by a first run, so no checkout and no user cache is written to; the
audit is measured a second time without the run cache (a first run on a
machine).  A figure with a target prints its share of the target (``0.80 of
it``: 20 % under; ``1.60``: 60 % over).

Yardsticks: ``python -c pass``; for the Putuo PDF (shared/samples), ``pdftotext
-layout`` and a plain text extraction of every page with pdfplumber and with
pypdfium2.  Targets: start-up (``juesuan --help`` and each command's own
``--help``) ≤ 8× ``python -c pass``; the Putuo PDF audit ≤ 5× ``pdftotext``; the
Putuo build (all formats) ≤ 15× ``pdftotext``, and each format alone beside
it (where the build's cost lies); at 1,000 rows a build peak ≤ 300 MB, and audit
pages/s ≥ 0.7× those of the 10-row document.

Floors: what the libraries juesuan stands on cost with none of juesuan's own
work, each in a fresh process.  The audit's: pypdfium2's text of every page
after importing typer and rich (the CLI) and pydantic with one model validated
(the data model).  The build's: Typst laying out the Putuo document's own
source (written by juesuan beforehand, not counted) with the font book the build
gives it, alone, then after importing the CLI's, the model's and the other
writers' libraries (python-docx, lxml, XlsxWriter, Jinja2).  A target below its
floor cannot be met with these libraries, however little juesuan itself does.

Growth: datasets of N function rows from ``benchmarks/generate.py`` (seed 0),
each built (Word and PDF) and its PDF audited; for each N the build's CPU and
peak, the peak as a ratio to the 300 MB target, the slopes (CPU seconds and MB
per 1,000 rows more than the size before: flat slopes are linear growth), the
Word build alone (CPU, peak), the audit's CPU, peak, pages, pages/s and error
findings (a consistent dataset's own document must have none).
``--build-only`` leaves out the start-up and audit figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PUTUO_PDF = SHARED / "samples" / "shanghai-putuo-finance-bureau-2024-juesuan.pdf"
PUTUO = ROOT / "examples" / "putuo-czj-2024"
COMMANDS = ("check", "rules", "template", "build", "audit", "extract", "db")

PLUMBER = ("import sys, pdfplumber\n"
           "with pdfplumber.open(sys.argv[1]) as pdf:\n"
           "    text = [p.extract_text() for p in pdf.pages]\n")
PDFIUM = ("import sys, pypdfium2 as pdfium\n"
          "pdf = pdfium.PdfDocument(sys.argv[1])\n"
          "text = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]\n")
# the floor of the audit: what the libraries it stands on cost with no work of juesuan's own
# (the text of every page by pypdfium2, after importing the CLI's and the model's libraries)
STACK = "import typer, rich.console\n"
MODEL = ("import pydantic\n"
         "class M(pydantic.BaseModel):\n    a: int\n    b: str = ''\n"
         "M(a=1)\n")
# the Typst compile of the Putuo document's source alone, with the fonts the build gives it
TYPST = ("import json, sys, typst\n"
         "setup = json.loads(open(sys.argv[2], encoding='utf-8').read())\n"
         "book = typst.Fonts(include_system_fonts=setup['system'], include_embedded_fonts=True,"
         " font_paths=setup['dirs'])\n"
         "pdf = typst.Compiler(sys.argv[1], root=setup['root'], font_paths=book,"
         " ignore_system_fonts=not setup['system']).compile(format='pdf')\n")
# the libraries the other formats are written with (Word, Excel, HTML), imported only
WRITERS = "import docx, lxml.etree, xlsxwriter, jinja2\n"
# writes the Putuo document's Typst source (as the build would) and its font set-up, with juesuan
TYPST_SOURCE = ("import json, sys\nfrom pathlib import Path\n"
                "from juesuan.compute.balance import balance_dataset\n"
                "from juesuan.readers.loader import load_dataset\n"
                "from juesuan.render.build import assemble\n"
                "from juesuan.render.typst import font_setup, typst_source\n"
                "out = Path(sys.argv[2])\nout.mkdir(parents=True, exist_ok=True)\n"
                "ds = load_dataset(Path(sys.argv[1]))\nds = ds[0] if isinstance(ds, tuple) else ds\n"
                "doc = assemble(balance_dataset(ds).dataset, None, balance=False)\n"
                "setup = font_setup()\n"
                "source, files = typst_source(doc, watermark='', stacks=setup.stacks)\n"
                "(out / 'main.typ').write_text(source, encoding='utf-8')\n"
                "[(out / name).write_bytes(data) for name, data in files.items()]\n"
                "(out / 'setup.json').write_text(json.dumps({'dirs': list(setup.dirs), 'system': setup.system,"
                " 'root': str(out)}), encoding='utf-8')\n")


class Runner:
    """Runs whole processes and reports (CPU seconds, peak MB, exit status), the best of ``repeat``."""

    def __init__(self, src: Path, repeat: int, cache: Path) -> None:
        self.repeat = repeat
        # the run cache (juesuan.runcache) in a folder of this benchmark's own, warmed by a first run
        env = dict(os.environ, PYTHONPATH=str(src), PYTHONPYCACHEPREFIX=str(cache),
                   JUESUAN_CACHE_DIR=str(cache / "runcache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env = env

    def run(self, cmd: list[str], repeat: int | None = None, **env: str) -> tuple[float, float, int]:
        best: tuple[float, float, int] | None = None
        for _ in range(repeat or self.repeat):
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env={**self.env, **env})
            _, status, ru = os.wait4(p.pid, 0)
            got = (ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))
            if best is None or got[0] < best[0]:
                best = got
        assert best is not None
        return best

    def juesuan(self, *args: str, repeat: int | None = None, **env: str) -> tuple[float, float, int]:
        return self.run([sys.executable, "-m", "juesuan", *args], repeat, **env)


def _ratio(value: float, base: float) -> str:
    return f"{value / base:6.1f}×" if base > 0 else "   n/a"


def _line(label: str, cpu: float, rss: float, base: float, target: float | None) -> None:
    """One figure: CPU, peak, the ratio to the yardstick and, with a target, the ratio to the target."""
    mark = ""
    if target is not None and base > 0:
        of_target = cpu / (target * base)
        mark = f"  {'ok' if of_target <= 1 else 'over'} (target {target:g}×; {of_target:.2f} of it)"
    print(f"  {label:<34} {cpu:7.3f} s {rss:7.1f} MB {_ratio(cpu, base)}{mark}")


def startup(r: Runner) -> None:
    base = r.run([sys.executable, "-c", "pass"], max(r.repeat, 5))[0]
    print(f"start-up (yardstick python -c pass: {base:.3f} s; target ≤ 8×)")
    r.juesuan("--help")  # warm the bytecode cache
    for args in (("--help",), *((c, "--help") for c in COMMANDS)):
        cpu, rss, _ = r.juesuan(*args, repeat=max(r.repeat, 5))
        _line("juesuan " + " ".join(args), cpu, rss, base, 8)


def per_document(r: Runner, tmp: Path) -> None:
    if not PUTUO_PDF.exists():
        print(f"per-document: skipped ({PUTUO_PDF} absent)")
        return
    base = r.run(["pdftotext", "-layout", str(PUTUO_PDF), str(tmp / "putuo.txt")], max(r.repeat, 5))[0] \
        if shutil.which("pdftotext") else 0.0
    plumber = r.run([sys.executable, "-c", PLUMBER, str(PUTUO_PDF)])
    pdfium = r.run([sys.executable, "-c", PDFIUM, str(PUTUO_PDF)])
    print(f"per document: the Putuo PDF, 25 pages (yardstick pdftotext -layout: {base:.3f} s)")
    _line("pdfplumber text, every page", plumber[0], plumber[1], base, None)
    _line("pypdfium2 text, every page", pdfium[0], pdfium[1], base, None)
    stack = r.run([sys.executable, "-c", STACK + PDFIUM, str(PUTUO_PDF)])
    floor = r.run([sys.executable, "-c", STACK + MODEL + PDFIUM, str(PUTUO_PDF)])
    _line("  + typer and rich imported", stack[0], stack[1], base, None)
    _line("  + a pydantic model = the floor", floor[0], floor[1], base, None)
    print(f"  {'':<34}   (the floor: the audit's libraries alone, no work of juesuan's;"
          f" {floor[0] / base:.1f}× against the target 5×)" if base > 0 else "")
    r.juesuan("audit", str(PUTUO_PDF), repeat=1)  # warms the run cache
    audit = r.juesuan("audit", str(PUTUO_PDF))
    _line("juesuan audit (target ≤ 5×)", audit[0], audit[1], base, 5)
    print(f"  {'':<34} = {audit[0] / plumber[0]:.1f}× pdfplumber, {audit[0] / pdfium[0]:.1f}× pypdfium2")
    cold = r.juesuan("audit", str(PUTUO_PDF), JUESUAN_CACHE_DIR="")
    _line("juesuan audit, no run cache", cold[0], cold[1], base, 5)
    build_putuo(r, tmp, base)


def build_putuo(r: Runner, tmp: Path, base: float) -> None:
    """The Putuo build, all formats (target ≤ 15× ``pdftotext``), then each format alone."""
    out = tmp / "putuo-build"
    build = r.juesuan("build", str(PUTUO), "-o", str(out), "--force", "--draft")
    _line("juesuan build, all formats (≤ 15×)", build[0], build[1], base, 15)
    for fmt in ("pdf", "docx", "html", "xlsx"):
        one = r.juesuan("build", str(PUTUO), "-o", str(tmp / f"putuo-{fmt}"), "--force", "--draft", "-f", fmt)
        _line(f"  build -f {fmt}", one[0], one[1], base, None)
    source = tmp / "putuo-typst"
    if r.run([sys.executable, "-c", TYPST_SOURCE, str(PUTUO), str(source)], 1)[2] == 0:
        typst = r.run([sys.executable, "-c", TYPST, str(source / "main.typ"), str(source / "setup.json")])
        floor = r.run([sys.executable, "-c", STACK + MODEL + WRITERS + TYPST, str(source / "main.typ"),
                       str(source / "setup.json")])
        _line("  Typst alone, Putuo's source", typst[0], typst[1], base, None)
        _line("  + CLI, model, writers imported", floor[0], floor[1], base, None)
        print(f"  {'':<34}   (the floor: the PDF engine's work and the libraries imported, no work of"
              f" juesuan's; {floor[0] / base:.1f}× against the target 15×)" if base > 0 else "")


def _pages(pdf: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return len(doc)
    finally:
        doc.close()


BUILD_PEAK_MB = 300  # target: a build's peak at 1,000 rows


def growth(r: Runner, tmp: Path, sizes: list[int], audit: bool = True) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from generate import write

    print(f"growth: generated datasets (benchmarks/generate.py, seed 0); build = Word + PDF;"
          f" target: peak ≤ {BUILD_PEAK_MB} MB at 1,000 rows, flat slopes")
    print(f"  {'rows':>6} {'build s':>8} {'MB':>7} {'×300MB':>7} {'s/1k':>6} {'MB/1k':>6} {'word s':>7}"
          f" {'MB':>6} {'pages':>6}" + (f" {'audit s':>8} {'MB':>7} {'pages/s':>8} {'ratio':>6} {'errors':>6}"
                                         if audit else ""))
    first: float | None = None
    prev: tuple[int, float, float] | None = None
    for n in sizes:
        folder = tmp / f"rows{n}"
        write(folder, n, 0)
        out = tmp / f"out{n}"
        build = r.juesuan("build", str(folder), "-o", str(out), "--force", "-f", "docx,pdf", repeat=1)
        pdf = next(out.glob("*.pdf"), None) if out.exists() else None
        if pdf is None:
            print(f"  {n:>6} build failed (exit {build[2]})")
            continue
        word = r.juesuan("build", str(folder), "-o", str(tmp / f"word{n}"), "--force", "-f", "docx", repeat=1)
        pages = _pages(pdf)
        slope = f" {'-':>6} {'-':>6}"
        if prev is not None:
            slope = (f" {(build[0] - prev[1]) / (n - prev[0]) * 1000:6.2f}"
                     f" {(build[1] - prev[2]) / (n - prev[0]) * 1000:6.0f}")
        prev = (n, build[0], build[1])
        line = (f"  {n:>6} {build[0]:8.2f} {build[1]:7.1f} {build[1] / BUILD_PEAK_MB:6.2f}×"
                f"{slope} {word[0]:7.2f} {word[1]:6.0f} {pages:>6}")
        if audit:
            report = tmp / f"audit{n}.json"
            result = r.juesuan("audit", str(pdf), "--format", "json", "-o", str(report), repeat=1)
            rate = pages / result[0] if result[0] else 0.0
            first = first or rate
            errors = "?"
            if report.exists():
                docs = json.loads(report.read_text(encoding="utf-8"))["documents"]
                errors = str(sum(f["severity"] == "error" for d in docs for f in d["findings"]))
            line += f" {result[0]:8.2f} {result[1]:7.1f} {rate:8.1f} {rate / first:6.2f} {errors:>6}"
        print(line, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the src folder whose juesuan to measure")
    ap.add_argument("--rows", default="10,100,1000,5000", help="growth sizes, comma-separated")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (the best is printed)")
    ap.add_argument("--skip-growth", action="store_true")
    ap.add_argument("--build-only", action="store_true", help="the build figures only (no start-up, no audit)")
    args = ap.parse_args()
    print(f"juesuan from {args.src.resolve()}; CPU = user + system of the whole process, best of {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="juesuan-speed-") as t:
        tmp = Path(t)
        r = Runner(args.src.resolve(), args.repeat, tmp / "pycache")
        if args.build_only:
            base = r.run(["pdftotext", "-layout", str(PUTUO_PDF), str(tmp / "putuo.txt")], max(r.repeat, 5))[0] \
                if shutil.which("pdftotext") and PUTUO_PDF.exists() else 0.0
            print(f"build (yardstick pdftotext -layout of the Putuo PDF: {base:.3f} s)")
            build_putuo(r, tmp, base)
        else:
            startup(r)
            per_document(r, tmp)
        if not args.skip_growth:
            growth(r, tmp, [int(x) for x in args.rows.split(",") if x.strip()], audit=not args.build_only)


if __name__ == "__main__":
    main()
