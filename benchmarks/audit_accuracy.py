"""Audit accuracy: change one printed figure at a time, audit, and count detected + located changes.

Documents: the seed (text), the Putuo PDF, and our own builds of both examples
(Word, HTML, PDF; no draft mark).  Each document is read once; the changes
are made on the SourceDoc (one Line's text, its words and its cells, keeping
every position), so PDF tables survive.  Every figure that takes part in an
identity is changed once: the narrative's amounts and percentages (the
profile's patterns read them) and every table figure the extraction uses
(its Provenance points at it) — alternately +1.00 and ×10 (a zero gets +1.00).

A change is *detected* when the audit has a finding it did not have before,
and *located* when such a finding points at the changed line (its location or
one of its related figures).  The findings on the untouched documents are
printed too (error-level ones on our own builds are false alarms unless the
example's data has the problem).

    python benchmarks/audit_accuracy.py [--quick] [DOC …]
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from juesuan.audit.checks_run import DocAudit, audit_extraction
from juesuan.audit.document import Line, SourceDoc, Word, read_document
from juesuan.audit.extract import extract_doc
from juesuan.readers.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT = [SHARED / "seed/000_1d4d631d9d557d27.txt", SHARED / "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"]
EXAMPLES = ("wuhai-gxj-2023", "putuo-czj-2024")
_FIG = re.compile(r"(?<![\d.,])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])|(?<![\d.,])-?\d+(?:\.\d+)?(?![\d.])")


def build_examples(tmp: Path) -> list[Path]:
    """Word, HTML and PDF of both examples (as published: no draft mark)."""
    from juesuan.readers.yaml_io import load_yaml
    from juesuan.render.build import assemble
    from juesuan.render.docx import write_docx
    from juesuan.render.html import render_html

    out = []
    for name in EXAMPLES:
        ds, _ = load_yaml(ROOT / "examples" / name / "dataset.yaml")
        doc = assemble(ds)
        write_docx(doc, tmp / f"{name}.docx")
        (tmp / f"{name}.html").write_text(render_html(doc), encoding="utf-8")
        out += [tmp / f"{name}.docx", tmp / f"{name}.html"]
        try:
            from juesuan.render.pdf import write_pdf

            write_pdf(doc, tmp / f"{name}.pdf")
            out.append(tmp / f"{name}.pdf")
        except Exception as exc:  # noqa: BLE001 - no PDF engine: the other formats still count
            print(f"({name}: PDF not built: {exc})")
    return out


def audit_doc(doc: SourceDoc) -> DocAudit:
    out = DocAudit(doc.path)
    out.lines = [(line.page, line.number, line.text) for line in doc.lines]
    try:
        return audit_extraction(extract_doc(doc), out)
    except InputError as exc:
        out.error = exc.describe()
        return out


def signature(audit: DocAudit) -> set[tuple]:
    return {(f.rule, f.location.page, f.location.line, f.found, f.expected) for f in audit.findings}


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def targets(doc: SourceDoc) -> list[tuple[int, str, str]]:
    """(line index, printed figure, what) of every figure the audit reads, each once."""
    ex = extract_doc(doc)
    index = {(line.page, line.number): i for i, line in enumerate(doc.lines)}
    seen: set[tuple[int, str]] = set()
    out: list[tuple[int, str, str]] = []

    def add(loc, value: Decimal, printed: str | None, what: str) -> None:  # noqa: ANN001
        i = index.get((loc.page, loc.line))
        if i is None:
            return
        text = doc.lines[i].text
        cands = [m.group(0) for m in _FIG.finditer(text)]
        if printed and printed in cands:
            pick = printed
        else:
            pick = next((c for c in cands if _dec(c) == value), None)
        if pick is None or (i, pick) in seen:
            return
        seen.add((i, pick))
        out.append((i, pick, what))

    for c in ex.claims:
        for slot, value in c.values.items():
            if isinstance(value, Decimal) and slot in c.locations:
                loc = c.locations[slot]
                add(loc, value, (loc.excerpt or "").rstrip("%％"), f"{c.key}.{slot}")
    data = ex.data
    for path, loc in ex.provenance.items():
        value = _lookup(data, path)
        if isinstance(value, Decimal):
            add(loc, value, None, path)
    return out


def _lookup(data, path: str):  # noqa: ANN001, ANN202
    cur = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            k = int(part[1:-1])
            if not isinstance(cur, list) or k >= len(cur):
                return None
            cur = cur[k]
        else:
            if not isinstance(cur, dict) or part not in cur:
                return None
            cur = cur[part]
    return cur


def changed(printed: str, k: int) -> str:
    old = Decimal(printed.replace(",", ""))
    places = max(0, -old.as_tuple().exponent) if isinstance(old.as_tuple().exponent, int) else 2
    new = old + 1 if (k % 2 == 0 or old == 0) else old * 10
    text = f"{new:,.{places}f}" if "," in printed else f"{new:.{places}f}"
    return text


def mutate(doc: SourceDoc, i: int, printed: str, new: str) -> SourceDoc | None:
    line = doc.lines[i]
    pat = re.compile(r"(?<![\d.,])" + re.escape(printed) + r"(?![\d])")
    if not pat.search(line.text):
        return None
    words = tuple(Word(pat.sub(new, w.text, count=1), w.x0, w.x1) if pat.search(w.text) else w for w in line.words)
    if line.words and words == line.words:
        return None
    cells = line.cells
    if cells:
        k = next((j for j, c in enumerate(cells) if pat.search(c)), None)
        if k is not None:
            cells = cells[:k] + (pat.sub(new, cells[k], count=1),) + cells[k + 1:]
    new_line: Line = replace(line, text=pat.sub(new, line.text, count=1), words=words, cells=cells)
    lines = list(doc.lines)
    lines[i] = new_line
    return SourceDoc(doc.path, doc.kind, lines, doc.pages)


def run(path: Path, quick: bool) -> tuple[int, int, int, int]:
    t0 = time.perf_counter()
    doc = read_document(path)
    base = audit_doc(doc)
    before = signature(base)
    errors = [f for f in base.findings if f.severity.value == "error"]
    print(f"\n{path.name} ({doc.kind}): {len(base.findings)} findings on the untouched document, {len(errors)} errors")
    for f in base.findings:
        print(f"   {f.severity.value:7} {f.rule:28} p{f.location.page} l{f.location.line}  {f.message[:90]}")
    figs = targets(doc)
    if quick:
        figs = figs[::5]
    total = detected = located = 0
    missed: list[str] = []
    for k, (i, printed, what) in enumerate(figs):
        new = changed(printed, k)
        mdoc = mutate(doc, i, printed, new)
        if mdoc is None:
            continue
        a = audit_doc(mdoc)
        fresh = [f for f in a.findings if (f.rule, f.location.page, f.location.line, f.found, f.expected) not in before]
        line = doc.lines[i]
        total += 1
        if fresh:
            detected += 1
            hit = {(f.location.page, f.location.line) for f in fresh} | {(r.page, r.line) for f in fresh for r in f.related}
            if (line.page, line.number) in hit:
                located += 1
            else:
                missed.append(f"{what} {printed}→{new} (p{line.page} l{line.number}: located elsewhere)")
        else:
            missed.append(f"{what} {printed}→{new} (p{line.page} l{line.number}: not detected)")
    print(f"   changed figures: {total}; detected: {detected} ({_pct(detected, total)}); "
          f"detected and located at the changed line: {located} ({_pct(located, total)}) "
          f"[{time.perf_counter() - t0:.0f} s]")
    for m in missed:
        print("   missed:", m)
    return total, detected, located, len(errors)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "n/a"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        docs = [Path(p) for p in args] or [p for p in DEFAULT if p.exists()] + build_examples(Path(tmp))
        for d in docs:
            rows.append((d.name, *run(d, quick)))
    print("\ndocument                                            changes  detected  det+located  errors on clean")
    for name, t, d, loc, err in rows:
        print(f"{name[:50]:50} {t:8} {_pct(d, t):>9} {_pct(loc, t):>12} {err:8}")
    t, d, loc = (sum(r[i] for r in rows) for i in (1, 2, 3))
    print(f"{'ALL':50} {t:8} {_pct(d, t):>9} {_pct(loc, t):>12} {sum(r[4] for r in rows):8}")


if __name__ == "__main__":
    main()
