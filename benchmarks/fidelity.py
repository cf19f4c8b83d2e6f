"""Fidelity of the generated narrative to a published disclosure.

For every explanation section of a real disclosure, take each amount (…万元)
and percentage (…%) it prints and look for the same value in the generated
text of the same section.  Prints the fraction found and every miss with its
likely cause.

    python benchmarks/fidelity.py            # both examples
    python benchmarks/fidelity.py wuhai      # one
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from juesuan.readers.loader import load_dataset
from juesuan.render.blocks import Heading, Paragraph
from juesuan.render.narrative import build_narrative

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

_NUM = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)\s*(万元|万|%|％)")
_SECTION = re.compile(r"^[\s#*]*(十[一二三四]|[一二三四五六七八九十])、", re.M)

# Causes found by reading the documents (section, kind, value) -> cause
KNOWN: dict[tuple[str, str, str, str], str] = {
    ("wuhai", "五", "amount", "17.55"): "seed: class budget 178.83 ≠ Σ 项 budgets 178.82 (rounded 项)",
    ("wuhai", "五", "amount", "2.03"): "seed: class budget 65.74 ≠ 项 budget 65.73 (rounded 项)",
    ("wuhai", "五", "pct", "333.70"): "seed: 4,499.46 ÷ 1,348.37 = 333.69% (seed rounds the exact-yuan ratio)",
    ("wuhai", "十二", "pct", "61.66"): "seed divides the goods SME award by the TOTAL (5.50 ÷ 8.92); DOMAIN §3 says by goods spending (100%)",
    ("wuhai", "十二", "pct", "38.34"): "seed divides the services SME award by the TOTAL (3.42 ÷ 8.92); DOMAIN §3 says by services spending",
    ("putuo", "四", "amount", "0.3"): "Putuo prints 财政拨款收入支出总计 0.3万元 (an error in the published text; tables give 2,961.68)",
    ("putuo", "五", "pct", "71.73"): "Putuo prints 71.73% for 2,106.66 ÷ 2,940.05 = 71.65% (error in the published text)",
}


@dataclass
class Result:
    name: str
    found: int = 0
    total: int = 0
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # section, kind, value, cause

    @property
    def fraction(self) -> float:
        return self.found / self.total if self.total else 1.0


def numbers(text: str) -> list[tuple[str, Decimal, str]]:
    """(kind, value, as printed) of every amount and percentage in the text."""
    flat = re.sub(r"\s+", "", text)
    out = []
    for m in _NUM.finditer(flat):
        kind = "pct" if m.group(2) in ("%", "％") else "amount"
        out.append((kind, Decimal(m.group(1).replace(",", "")), m.group(1)))
    return out


def split_sections(text: str) -> dict[str, str]:
    """Section numeral -> its text."""
    marks = list(_SECTION.finditer(text))
    return {m.group(1): text[m.start() : (marks[i + 1].start() if i + 1 < len(marks) else len(text))] for i, m in enumerate(marks)}


def reference_part_two(path: Path, start: str, end: str) -> str:
    text = path.read_text(encoding="utf-8")
    a = text.rindex(start) if text.count(start) > 1 else text.index(start)
    b = text.index(end, a) if end in text[a:] else len(text)
    # leave out the self-evaluation tables (tab-separated cells): built by another module
    return "\n".join(line for line in text[a:b].splitlines() if "\t" not in line)


def generated_sections(dataset_dir: Path) -> dict[str, str]:
    ds, _ = load_dataset(dataset_dir)
    blocks = build_narrative(ds)
    out: dict[str, list[str]] = {}
    current = None
    in_part = False
    for b in blocks:
        if isinstance(b, Heading) and b.level == 1:
            in_part = "情况说明" in b.text
            current = None
        elif isinstance(b, Heading) and b.level == 2 and in_part:
            current = b.text.split("、", 1)[0]
            out.setdefault(current, [])
        elif isinstance(b, Paragraph) and in_part and current:
            out[current].append(b.text)
    return {k: "\n".join(v) for k, v in out.items()}


def compare(name: str, ref: dict[str, str], gen: dict[str, str]) -> Result:
    res = Result(name)
    for sec, text in ref.items():
        have = {(k, v) for k, v, _ in numbers(gen.get(sec, ""))}
        for kind, value, printed in numbers(text):
            res.total += 1
            if (kind, value) in have:
                res.found += 1
                continue
            cause = KNOWN.get((name, sec, kind, printed))
            if cause is None:
                tol = Decimal("0.02") if kind == "amount" else Decimal("2")
                near = sorted((abs(v - value), v) for k, v in have if k == kind and abs(v - value) <= tol)
                if near:
                    cause = (
                        f"rounding: generated {near[0][1]} from the dataset's 万元 figures, printed {printed} "
                        "(the source computed from unrounded yuan)"
                    )
                elif sec not in gen:
                    cause = "section not generated"
                else:
                    cause = "not derivable from the dataset (or free text not transcribed)"
            res.misses.append((sec, kind, printed, cause))
    return res


CASES = {
    "wuhai": (
        ROOT / "examples" / "wuhai-gxj-2023",
        SHARED / "seed" / "000_1d4d631d9d557d27.txt",
        "第二部分 部门决算情况说明",
        "第三部分 名词解释",
    ),
    "putuo": (
        ROOT / "examples" / "putuo-czj-2024",
        SHARED / "reference" / "text" / "shanghai-putuo-finance-bureau-2024-juesuan.txt",
        "第三部分上海市普陀区财政局2024年度部门决算情况",
        "第四部分 名词解释",
    ),
}


def run(name: str) -> Result | None:
    dataset_dir, ref_path, start, end = CASES[name]
    if not (dataset_dir / "dataset.yaml").is_file() or not ref_path.is_file():
        return None
    ref = split_sections(reference_part_two(ref_path, start, end))
    return compare(name, ref, generated_sections(dataset_dir))


def main(argv: list[str]) -> int:
    for name in argv or list(CASES):
        res = run(name)
        if res is None:
            print(f"{name}: dataset or reference text missing")
            continue
        print(f"{name}: {res.found}/{res.total} figures found ({res.fraction:.1%})")
        for sec, kind, value, cause in res.misses:
            print(f"  {sec:>3} {kind:6} {value:>10}  {cause}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
