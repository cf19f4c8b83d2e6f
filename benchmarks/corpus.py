"""Corpus benchmark: the audit on every real document we have, and on our own builds.

For each document: its kind, the profile and its match score, department and
year, the standard tables read (and how many of them could not be trusted),
the sentences read (with the profile's patterns / by the generic reader), the
findings by severity, and the time.  Then the precision: every error- and
warning-level finding on a real document is looked up in the judgement file
(``benchmarks/judged.yaml``: for each, whether it is a real problem of the
document) and the benchmark prints how many were judged real, false, or not
yet judged.  Real documents and generated ones are reported separately.

    python benchmarks/corpus.py                # ../shared beside the repository
    python benchmarks/corpus.py --unjudged     # also list the findings not yet judged
    python benchmarks/corpus.py --no-generated # real documents only

Real documents as text: every real PDF also as the text a reviewer may have of it —
``pdftotext -layout`` (``.layout.txt``), ``pdftotext`` in reading order (``.reading.txt``)
and a PDF viewer's copy (PDFium's text, ``.viewer.txt``).  A finding on such a text is
judged as the same finding (rule and printed value) on its PDF, or by its own entry in the
judgement file under the text's name; ``--no-text`` skips them.

Real final accounts audited with the national baseline (``--profile national``): what a
document of a province without a profile of its own gets (the generic reader and the standard
tables); a finding is judged as the same finding (rule, printed value) under the document's own
profile, or by its own entry; ``--no-national`` skips them.

Generated documents are the bundled examples built to Word and Typst PDF, and the PDFs'
three texts (the
``publish`` extra is needed): a finding on them is real when ``juesuan check``
of the source dataset reports the same problem (same rule or same figures),
false otherwise.
"""

from __future__ import annotations

import argparse
import glob
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
JUDGED = Path(__file__).with_name("judged.yaml")


def real_documents() -> list[Path]:
    files = []
    for pattern in ("corpus/*.pdf", "corpus/*.docx", "corpus/*.txt", "samples/*.pdf", "seed/*.txt"):
        files += sorted(Path(p) for p in glob.glob(str(SHARED / pattern)))
    return files


def text_variants(pdfs: list[Path], out: Path) -> dict[Path, str]:
    """The texts of each PDF (see the module's docstring), each mapped to its PDF's name."""
    import shutil
    import subprocess

    import pypdfium2 as pdfium

    got: dict[Path, str] = {}
    poppler = shutil.which("pdftotext")
    for pdf in pdfs:
        if poppler:
            for name, opts in (("layout", ["-layout"]), ("reading", [])):
                target = out / f"{pdf.stem}.{name}.txt"
                subprocess.run([poppler, *opts, "-enc", "UTF-8", str(pdf), str(target)], check=True,
                               capture_output=True)
                got[target] = pdf.name
        doc = pdfium.PdfDocument(pdf)
        text = "\f".join(doc[i].get_textpage().get_text_range().replace("\r\n", "\n") for i in range(len(doc)))
        doc.close()
        if len(text.strip()) > 200:  # a scan has no text to copy
            target = out / f"{pdf.stem}.viewer.txt"
            target.write_text(text, encoding="utf-8")
            got[target] = pdf.name
    if not poppler:
        print("  (没有 pdftotext：只比较 PDF 阅读器复制的文本)", file=sys.stderr)
    return got


def _final_accounts(path: Path) -> bool:
    """Whether a real document is a department's or unit's final accounts (by its file name)."""
    name = path.name
    return not name.startswith("not-") and "budget" not in name and "template" not in name


def generated_documents(out: Path) -> list[tuple[Path, object]]:
    """Both examples built to docx and Typst PDF in ``out``, each with its source dataset."""
    from juesuan.readers.loader import load_dataset
    from juesuan.render.budget_doc import assemble_budget
    from juesuan.render.build import assemble
    from juesuan.render.docx import write_docx
    from juesuan.render.typst import write_pdf_typst

    files: list[tuple[Path, object]] = []
    for example in sorted((ROOT / "examples").iterdir()):
        if not (example / "dataset.yaml").is_file():
            continue
        target = out / example.name
        target.mkdir(parents=True)
        try:
            ds = load_dataset(example / "dataset.yaml")[0]
            doc = assemble_budget(ds) if getattr(ds, "kind", "决算") == "预算" else assemble(ds)
            write_docx(doc, target / f"{example.name}.docx")
            files.append((target / f"{example.name}.docx", ds))
            write_pdf_typst(doc, target / f"{example.name}.pdf")
            files.append((target / f"{example.name}.pdf", ds))
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            print(f"  (未能生成 {example.name}：{type(exc).__name__}: {exc})", file=sys.stderr)
    return files


_NUM = re.compile(r"\d[\d,]*\.\d\d")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUM.findall(text or "")}


def _own_problem(ds, f) -> bool:  # noqa: ANN001 - Dataset, Finding
    """Whether a finding on our own build is one of the source dataset's own problems
    (``juesuan check`` reports it under the same rule, or names the same figures)."""
    from juesuan.model.findings import Provenance
    from juesuan.rules.engine import Context, run_rules

    own = [o for o in run_rules(Context(ds, Provenance())) if o.severity.value in ("error", "warning")]
    nums = _numbers(f.message)
    return any(o.rule == f.rule or (nums and nums & _numbers(o.message)) for o in own)


def _key(doc: str, f) -> tuple:  # noqa: ANN001 - Finding
    return (doc, f.rule, f.location.page, f.location.line, f.found)


def load_judgements() -> dict[tuple, dict]:
    """Judgements by (doc, rule, page, line, found), and by (doc, rule, found) for the texts."""
    data = yaml.safe_load(JUDGED.read_text(encoding="utf-8")) if JUDGED.is_file() else {}
    real: dict[tuple, dict] = {}
    for j in data.get("findings") or []:
        if isinstance(j.get("verdict"), bool):  # YAML reads a bare false as a boolean
            j["verdict"] = "real" if j["verdict"] else "false"
        real[(j["doc"], j["rule"], j.get("page"), j.get("line"), j.get("found"))] = j
        real.setdefault((j["doc"], j["rule"], j.get("found")), j)
    return real


def run(files: list[Path], judged: dict[tuple, dict], sources: dict[Path, object] | None,
        show_unjudged: bool, text_of: dict[Path, str] | None = None, profile: str | None = None) -> Counter:
    """Audit each file (with ``profile`` forced, when given); a finding is judged by the judgement
    file (real documents) or by the source dataset's own check (``sources``: our own builds); a
    text of a real PDF (``text_of``: text → PDF name) as the same finding on the PDF."""
    from juesuan.audit.checks_run import audit_document

    totals: Counter = Counter()
    head = f"{'文档':<46} {'类型':<6} {'样式(匹配)':<22} {'部门':<16} {'年度':<5} {'表(不确定)':<9} {'句(通用)':<9} {'错/警/提':<9} {'秒':>5}"
    print(head)
    unjudged = []
    from juesuan.audit.budget import read_and_audit

    for item in files:
        t0 = time.perf_counter()
        # a pair of files is one budget published as explanations and tables (audited together)
        a = read_and_audit(list(item)) if isinstance(item, tuple) else audit_document(item, profile)
        path = Path("+".join(p.name for p in item)) if isinstance(item, tuple) else item
        dt = time.perf_counter() - t0
        s = Counter(f.severity.value for f in a.findings)
        prof = "—" if a.profile is None else f"{a.profile}({a.profile_score or 0:.2f})"
        print(f"{path.name[:45]:<46} {a.kind or '—':<6} {prof:<22} {(a.department or '—')[:15]:<16} "
              f"{a.year or '—'!s:<5} {len(a.tables)}({len(a.tables_uncertain)}){'':<4} "
              f"{a.claims}({a.claims_generic}){'':<3} {s['error']}/{s['warning']}/{s['info']}{'':<4} {dt:5.2f}")
        if a.error:
            print(f"    {a.error.splitlines()[0][:110]}")
        totals["documents"] += 1
        totals["seconds"] += dt
        budget = a.kind in ("部门预算", "单位预算") and not a.error
        if budget:
            totals["budget_documents"] += 1
        for f in a.findings:
            if f.severity.value not in ("error", "warning"):
                continue
            sev = f.severity.value
            totals[f"{sev}s"] += 1
            if sources is not None:
                verdict = "real" if _own_problem(sources[path], f) else "false"
                if verdict == "false" and show_unjudged:
                    print(f"    误报 {f.rule} p{f.location.page} l{f.location.line}: {f.message[:100]}")
            else:
                j = judged.get(_key(path.name, f))
                if j is None and profile is not None:  # the same finding the document's own profile gives
                    j = judged.get((path.name, f.rule, f.found))
                if j is None and text_of and path in text_of:
                    j = judged.get((path.name, f.rule, f.found)) or judged.get((text_of[path], f.rule, f.found))
                verdict = j["verdict"] if j else None
            if verdict is None:
                totals[f"{sev}_unjudged"] += 1
                unjudged.append((path.name, f))
            else:
                totals[f"{sev}_{verdict}"] += 1
            if budget:
                totals[f"budget_{sev}s"] += 1
                totals[f"budget_{sev}_{verdict or 'unjudged'}"] += 1
    if show_unjudged and unjudged:
        print("\n未评判的发现（加入 benchmarks/judged.yaml）：")
        for doc, f in unjudged:
            print(f"- {{doc: {doc}, rule: {f.rule}, page: {f.location.page}, line: {f.location.line}, "
                  f"found: {f.found!r}, verdict: ?}}  # {f.severity.value} {f.message[:90]}")
    return totals


def summary(title: str, t: Counter, prefix: str = "") -> None:
    docs = t[f"{prefix}documents"]
    print(f"\n== {title}：{docs} 份文档" + ("" if prefix else f"，{t['seconds']:.1f} 秒"))
    for sev, label in (("error", "错误"), ("warning", "警告")):
        n, real, false, un = (t[f"{prefix}{sev}s"], t[f"{prefix}{sev}_real"], t[f"{prefix}{sev}_false"],
                              t[f"{prefix}{sev}_unjudged"])
        judged = real + false
        prec = f"{real / judged:.1%}" if judged else "—"
        print(f"  {label} {n} 条：真实问题 {real}，误报 {false}，未评判 {un}；精确率 {prec}"
              + (f"；平均每份误报 {false / docs:.2f}" if docs else ""))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unjudged", action="store_true", help="list the findings not yet judged")
    ap.add_argument("--no-generated", action="store_true", help="skip our own built documents")
    ap.add_argument("--no-text", action="store_true", help="skip the real PDFs' texts")
    ap.add_argument("--no-national", action="store_true",
                    help="skip the real final accounts audited with the national baseline")
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"找不到 {SHARED}：真实文档不在，基准无法运行", file=sys.stderr)
        return 2
    judged = load_judgements()
    print("== 真实文档")
    files: list = list(real_documents())
    pair = (SHARED / "corpus" / "jiangsu-npc-standing-committee-2019-budget.pdf",
            SHARED / "corpus" / "jiangsu-npc-standing-committee-2019-budget-tables.pdf")
    if all(p.is_file() for p in pair):
        files.append(pair)  # the budget published as two files, audited together
    real = run(files, judged, None, args.unjudged)
    summary("真实文档", real)
    summary("其中预算文档（部门预算、单位预算）", real, "budget_")
    if not args.no_text:
        with tempfile.TemporaryDirectory() as tmp:
            texts = text_variants([p for p in real_documents() if p.suffix == ".pdf"], Path(tmp))
            print("\n== 真实文档的文本（pdftotext -layout、pdftotext、PDF 阅读器复制；按其 PDF 的同一发现评判）")
            text = run(sorted(texts), judged, None, args.unjudged, texts)
        summary("真实文档的文本", text)
        summary("其中预算文档的文本", text, "budget_")
    if not args.no_national:
        finals = [p for p in real_documents() if _final_accounts(p)]
        with tempfile.TemporaryDirectory() as tmp:
            texts = text_variants([p for p in finals if p.suffix == ".pdf"], Path(tmp)) if not args.no_text else {}
            print("\n== 真实决算文档及其文本按全国基准样式审核（--profile national：如同未知省份的文档，"
                  "只有通用句式和标准表；按其本来样式的同一发现评判）")
            nat = run([*finals, *sorted(texts)], judged, None, args.unjudged, texts, profile="national")
        summary("按全国基准样式审核的决算文档", nat)
    if not args.no_generated:
        with tempfile.TemporaryDirectory() as tmp:
            built = dict(generated_documents(Path(tmp)))
            if not args.no_text:  # and each built PDF's three texts, judged by the same dataset
                pdfs = {p.name: p for p in built if p.suffix == ".pdf"}
                for text, pdf in text_variants(list(pdfs.values()), Path(tmp)).items():
                    built[text] = built[pdfs[pdf]]
            print("\n== 生成的文档（示例的 Word、PDF 和 PDF 的三种文本；与源数据集自身检查结果相符的算真实问题）")
            gen = run(list(built), judged, built, args.unjudged)
        summary("生成的文档", gen)
        summary("其中生成的预算文档", gen, "budget_")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
