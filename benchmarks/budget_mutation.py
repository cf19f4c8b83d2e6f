"""Budget audit mutation benchmark: change one printed amount of a real budget and see whether the audit finds it.

For each consistent real budget of ../shared/corpus (read as text lines, so that one line can
be changed), every amount of a 项 row of the expenditure tables (支出总表, 一般公共预算支出表)
and every amount a sentence of the explanations compares with last year's budget is, one at a
time, moved by 1.00; the audit of the changed text is asked for an error at the changed line
(or naming it).  Prints, per document, the mutations made, found, found at the line, and the
errors of the unchanged text (judged in benchmarks/judged.yaml); then the totals.

    python benchmarks/budget_mutation.py [--limit N] [--missed]   # at most N mutations per document
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared"
DOCS = ["jiangsu-wuxi-stats-bureau-2026-budget.pdf", "jiangsu-wuxi-commerce-bureau-2026-budget.pdf",
        "jiangsu-wuxi-transport-bureau-2026-unit-budget.pdf", "jiangsu-high-court-2019-budget.pdf",
        "central-petition-bureau-2026-budget.pdf", "fujian-quanzhou-gov-office-2026-budget.pdf",
        "guangdong-zhuhai-commerce-bureau-2026-budget.pdf", "jiangsu-procuratorate-2019-budget.pdf"]
_AMOUNT = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d{3})*\.\d\d)(?![\d%])")


def _moved(text: str) -> str:
    v = Decimal(text.replace(",", "")) + 1
    return f"{v:,.2f}" if "," in text else f"{v:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=40, help="mutations per document (default 40)")
    ap.add_argument("--missed", action="store_true", help="list the mutations not found")
    args = ap.parse_args()
    from juesuan.audit.budget import _all_names, read_and_audit
    from juesuan.audit.budget_tables import read_budget_tables
    from juesuan.audit.document import read_document

    total = found = at_line = 0
    print(f"{'文档':<52} {'变异':>4} {'发现':>4} {'定位':>4} {'原文错误':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in DOCS:
            path = SHARED / "corpus" / name
            if not path.is_file():
                print(f"{name}: 不在 ../shared/corpus，跳过")
                continue
            doc = read_document(path)
            lines = [line.text for line in doc.lines]
            plain = Path(tmp) / f"{path.stem}.txt"
            plain.write_text("\n".join(lines), encoding="utf-8")
            base = [f for f in read_and_audit([plain]).findings if f.severity.value == "error"]
            tables = read_budget_tables(read_document(plain), _all_names())
            targets: list[int] = []
            for tid in ("t03", "t07"):
                t = tables.get(tid)
                if t is not None:
                    targets += [(r.amounts[0][1].line or 0) - 1 for r in t.coded(3) if r.amounts]
            spans = sorted((t.start, t.end) for t in tables.values())
            targets += [k for k, text in enumerate(lines) if "上年" in text and _AMOUNT.search(text)
                        and not any(a <= k < b for a, b in spans)]
            n = f = loc = 0
            for k in targets[:args.limit]:
                m = _AMOUNT.search(lines[k])
                if m is None:
                    continue
                changed = list(lines)
                changed[k] = lines[k][:m.start()] + _moved(m.group(1)) + lines[k][m.end():]
                plain.write_text("\n".join(changed), encoding="utf-8")
                errors = [x for x in read_and_audit([plain]).findings if x.severity.value == "error"]
                new = [x for x in errors if (x.rule, x.location.line, x.found) not in
                       {(b.rule, b.location.line, b.found) for b in base}]
                n += 1
                if new or any(x.rule == "budget_doc.table_uncertain" for x in errors):
                    f += 1
                elif args.missed:
                    print(f"    未发现：第 {k + 1} 行 {changed[k][:60]}")
                if any(x.location.line == k + 1 or any(r.line == k + 1 for r in x.related) for x in new):
                    loc += 1
            total, found, at_line = total + n, found + f, at_line + loc
            print(f"{name[:51]:<52} {n:>4} {f:>4} {loc:>4} {len(base):>6}")
    if total:
        print(f"\n共 {total} 处变异：发现 {found}（{found / total:.1%}），定位到所在行 {at_line}（{at_line / total:.1%}）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
