"""Audit accuracy: change one printed figure at a time, audit, and count detected + located changes.

For each clean document (the seed text; the Putuo PDF's text layer written as
text with form feeds between pages), every amount and percentage the
narrative's patterns read is changed in turn (amounts + 11.11, percentages
+ 7.77); a change counts as *detected* when the audit has a finding it did
not have before, and as *located* when such a finding points at the changed
line (its location or one of its related figures).  Also prints the findings
on the untouched documents.

    python benchmarks/audit_accuracy.py [DOC …]
"""

from __future__ import annotations

import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from juesuan.audit.checks_run import audit_document
from juesuan.audit.document import read_document
from juesuan.audit.extract import extract_doc

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = [SHARED / "seed/000_1d4d631d9d557d27.txt", SHARED / "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"]


def as_text(path: Path, tmp: Path) -> Path:
    """A PDF's text layer as a text file (pages separated by form feeds), so figures can be edited."""
    if path.suffix.lower() != ".pdf":
        return path
    doc = read_document(path)
    pages: dict[int, list[str]] = {}
    for line in doc.lines:
        pages.setdefault(line.page or 1, []).append(line.text)
    out = tmp / (path.stem + ".txt")
    out.write_text("\f".join("\n".join(v) for _, v in sorted(pages.items())), encoding="utf-8")
    return out


def signature(audit) -> set[tuple]:  # noqa: ANN001
    return {(f.rule, f.location.page, f.location.line, f.found, f.expected) for f in audit.findings}


def figures(path: Path) -> list[tuple[int, str, str]]:
    """(line index in the file, printed text, key.slot) of every amount/percentage the claims read."""
    ex = extract_doc(read_document(path))
    lines = path.read_text(encoding="utf-8").replace("\f", "\n").split("\n")
    seen, out = set(), []
    for c in ex.claims:
        for slot, value in c.values.items():
            if not isinstance(value, Decimal):
                continue
            loc = c.locations[slot]
            printed = (loc.excerpt or "").rstrip("%％")
            idx = _file_line(lines, loc, printed)
            if idx is None or (idx, printed) in seen:
                continue
            seen.add((idx, printed))
            out.append((idx, printed, f"{c.key}.{slot}"))
    return out


def _file_line(lines: list[str], loc, printed: str) -> int | None:  # noqa: ANN001
    # text files: line numbers run through the whole file (pages continue the count)
    i = (loc.line or 0) - 1
    if 0 <= i < len(lines) and printed and printed in lines[i].replace(" ", ""):
        return i
    return None


def mutate(line: str, printed: str) -> str | None:
    pattern = r"[\s,]*".join(re.escape(ch) for ch in printed)
    m = re.search(r"(?<![\d.])" + pattern + r"(?![\d])", line)
    if m is None:
        return None
    old = Decimal(printed.replace(",", ""))
    is_pct = line[m.end():].lstrip().startswith(("%", "％"))
    new = old + (Decimal("7.77") if is_pct else Decimal("11.11"))
    places = max(2, -old.as_tuple().exponent) if isinstance(old.as_tuple().exponent, int) else 2
    return line[: m.start()] + f"{new:.{places}f}" + line[m.end():]


def run(path: Path, tmp: Path) -> tuple[int, int, int, int]:
    text_path = as_text(path, tmp)
    raw = text_path.read_text(encoding="utf-8")
    base = audit_document(text_path)
    before = signature(base)
    print(f"\n{path.name}: {len(base.findings)} findings on the untouched document")
    for f in base.findings:
        print(f"   {f.severity.value:7} {f.rule:28} p{f.location.page} l{f.location.line}")
    sep = "\f" if "\f" in raw else None
    flat = raw.replace("\f", "\n").split("\n")
    total = detected = located = 0
    missed: list[str] = []
    for idx, printed, what in figures(text_path):
        new_line = mutate(flat[idx], printed)
        if new_line is None:
            continue
        lines = list(flat)
        lines[idx] = new_line
        out = _rejoin(raw, lines) if sep else "\n".join(lines)
        p = tmp / ("m_" + text_path.name)
        p.write_text(out, encoding="utf-8")
        a = audit_document(p)
        new = [f for f in a.findings if (f.rule, f.location.page, f.location.line, f.found, f.expected) not in before]
        total += 1
        if new:
            detected += 1
            lines_hit = {f.location.line for f in new} | {r.line for f in new for r in f.related}
            if idx + 1 in lines_hit:
                located += 1
            else:
                missed.append(f"{what} (line {idx + 1}: located elsewhere)")
        else:
            missed.append(f"{what} (line {idx + 1}: not detected)")
    print(f"   changed figures: {total}; detected: {detected} ({_pct(detected, total)}); "
          f"detected and located at the changed line: {located} ({_pct(located, total)})")
    for m in missed:
        print("   missed:", m)
    return total, detected, located, len(base.findings)


def _rejoin(raw: str, lines: list[str]) -> str:
    """Put the form feeds back where they were (one per page boundary)."""
    out, i = [], 0
    for page in raw.split("\f"):
        n = page.count("\n") + 1
        out.append("\n".join(lines[i:i + n]))
        i += n
    return "\f".join(out)


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} %" if b else "n/a"


def main() -> None:
    docs = [Path(p) for p in sys.argv[1:]] or [p for p in DEFAULT if p.exists()]
    totals = [0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        for d in docs:
            for i, v in enumerate(run(d, Path(tmp))):
                totals[i] += v
    t, d, loc, clean = totals
    print(f"\nALL: {t} changes, detected {_pct(d, t)}, detected+located {_pct(loc, t)}; "
          f"findings on untouched documents: {clean}")


if __name__ == "__main__":
    main()
