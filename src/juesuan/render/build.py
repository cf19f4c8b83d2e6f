"""Build a whole disclosure: the Document, then Word, PDF, HTML, Excel, charts, findings.

``assemble`` joins the builders (narrative, tables, self-evaluation tables,
charts) into one ``Document``; each is imported lazily so a missing optional
dependency only disables what needs it.  ``build`` writes every output into a
temporary folder beside the destination and renames it into place at the end,
so a failed build (a crash, a full disk) never leaves a half-written folder
and an existing folder is only replaced by a complete one.

Policy for error-level findings (a disclosure that fails its checks must not
look publishable): ``build`` refuses (``BuildRefused``) unless ``draft=True``;
a draft carries the mark ``DRAFT_MARK`` on every page of every output and an
appendix listing the findings.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juesuan.model.accounts import Dataset
from juesuan.model.findings import Finding, Provenance, Severity, has_errors
from juesuan.render.blocks import (
    Block,
    Cell,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Row,
    TableBlock,
    TableView,
    Toc,
)

FORMATS = ("docx", "pdf", "html", "xlsx")
PDF_ENGINES = ("typst", "weasyprint")
DRAFT_MARK = "草稿：数据未通过检查"
STANDARD_TABLE = re.compile(r"^t\d\d$")


class BuildError(Exception):
    """A build that could not be done; ``message`` is Chinese and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BuildRefused(BuildError):
    """The data has error-level findings and no draft was asked for (exit 1)."""


class OutputError(BuildError):
    """The output folder cannot be written (exists, permission, disk full …; exit 2)."""


@dataclass
class BuildResult:
    out_dir: Path
    files: list[Path]
    findings: list[Finding]
    draft: bool
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step
    notes: list[str] = field(default_factory=list)  # what was left out and why


# ----------------------------------------------------------------- assembling the document


def _load_profile(name: str | None, dataset: Dataset) -> Any:
    """The profile object (or, before profiles exist, the name)."""
    wanted = name or dataset.profile
    try:
        from juesuan.profiles import load_profile
    except ImportError:
        return wanted
    try:
        prof = load_profile(wanted)
    except KeyError as exc:
        raise BuildError(str(exc.args[0]) if exc.args else f"未知的公开样式“{wanted}”") from None
    if not prof.build:
        from juesuan.profiles import list_profiles

        raise BuildError(f"公开样式“{prof.name}”只用于审核（没有完整的成文句式），不能用来生成文档："
                         f"可生成的样式有 {', '.join(list_profiles(buildable=True))}")
    return prof


def _standard_tables(dataset: Dataset, profile: Any) -> list[TableView]:
    try:
        from juesuan.render.tables import build_tables
    except ImportError:
        return []
    specs = getattr(profile, "tables", None) or None
    return build_tables(dataset, specs=specs)


def _perf_tables(dataset: Dataset) -> dict[int, TableView]:
    """The self-evaluation tables, by the evaluation's object id (the narrative's hook key)."""
    try:
        from juesuan.render.perf_tables import build_perf_tables
    except ImportError:
        return {}
    evs = dataset.performance.self_evaluations
    return {id(ev): t for ev, t in zip(evs, build_perf_tables(evs, dataset.year), strict=True)}


def _charts(dataset: Dataset, profile: Any) -> list[Figure]:
    """The charts the profile places (none for ``charts: []``: drawing one costs matplotlib)."""
    specs = getattr(profile, "charts", None)
    if specs is not None and not specs:
        return []
    try:
        from juesuan.render.charts import build_charts
    except ImportError:
        return []
    if specs:
        return list(build_charts(dataset, [c.id for c in specs], titles={c.id: c.title for c in specs}))
    return list(build_charts(dataset))


def assemble(dataset: Dataset, profile: Any = None, balance: bool = True) -> Document:
    """The whole disclosure as a Document, from the builders that are installed.

    ``profile`` is a profile name, a loaded profile, or None (the dataset's own).
    The figures are printed after 舍位平衡 (``juesuan.compute.balance``) unless
    ``balance`` is false (the dataset is already the balanced one).
    The narrative (``juesuan.render.narrative``) places the tables, charts and
    self-evaluation tables through its hooks; whatever it did not place is
    appended.  Without the narrative module a minimal document (cover, TOC,
    part one from the department's texts, the tables) stands in for it.
    """
    if balance:
        from juesuan.compute.balance import balance_dataset

        dataset = balance_dataset(dataset).dataset
    prof = profile if profile is not None and not isinstance(profile, str) else _load_profile(profile, dataset)
    tables = _standard_tables(dataset, prof)
    perf = _perf_tables(dataset)
    charts = _charts(dataset, prof)
    title = None
    try:
        from juesuan.render.narrative import build_narrative, document_title
    except ImportError:
        blocks = minimal_blocks(dataset, list(perf.values()), charts)
    else:
        def perf_hook(ev: Any) -> Block | list[Block]:
            t = perf.get(id(ev))
            return TableBlock(t) if t is not None else []

        blocks = list(build_narrative(
            dataset, prof, charts={f.chart_id: f for f in charts},
            tables={t.id: TableBlock(t) for t in tables}, perf_tables=perf_hook))
        title = document_title(dataset, prof)
    blocks = _with_tables(blocks, tables, list(perf.values()))
    name = getattr(prof, "name", None) or str(prof)
    dept = dataset.department.display_name or dataset.department.name
    title = title or next((b.text for b in blocks if isinstance(b, Paragraph) and b.style == "title"),
                          f"{dataset.year} 年度{dept}决算公开")
    return Document(title=title, department=dataset.department.name, year=dataset.year,
                    profile=name, blocks=blocks)


def _with_tables(blocks: list[Block], tables: list[TableView], perf: list[TableView]) -> list[Block]:
    """Append what the narrative did not place: the standard tables (part five), the TOC."""
    out = list(blocks)
    placed = {b.table.id for b in out if isinstance(b, TableBlock)}
    missing_perf = [t for t in perf if t.id not in placed]
    if missing_perf:
        out += [Heading(2, "项目支出绩效自评表", in_toc=False)]
        for t in missing_perf:
            out += [TableBlock(t)]
    missing = [t for t in tables if t.id not in placed]
    if missing:
        if not any(isinstance(b, Heading) and b.level == 1 and "决算表" in b.text for b in out):
            out += [PageBreak(), Heading(1, "第五部分 部门决算表", anchor="part-tables")]
        for k, t in enumerate(missing):
            if k:
                out.append(PageBreak())
            out.append(TableBlock(t))
    if not any(isinstance(b, Toc) for b in out):
        cover = 0
        while cover < len(out) and isinstance(out[cover], Paragraph) and \
                out[cover].style in ("title", "subtitle", "meta", "center"):
            cover += 1
        out[cover:cover] = [PageBreak(), Toc()] if cover else [Toc()]
    return out


def minimal_blocks(dataset: Dataset, perf: list[TableView], charts: list[Figure]) -> list[Block]:
    """A plain document from the dataset's own texts (stand-in for the narrative builder)."""
    d = dataset.department
    dept = d.display_name or d.name
    blocks: list[Block] = [Paragraph(f"{dataset.year} 年度{dept}决算公开", style="title")]
    for label, value in (("部门名称", dept), ("单位负责人", d.head), ("财务负责人", d.finance_head),
                         ("编制人", d.preparer), ("报送日期", d.report_date)):
        if value:
            blocks.append(Paragraph(f"{label}：{value}", style="meta"))
    blocks += [PageBreak(), Toc(), Heading(1, "第一部分 部门概况", anchor="part1"),
               Heading(2, "一、主要职能、职责")]
    if d.functions:
        blocks.append(Paragraph(d.functions))
    blocks += [Paragraph(f"{k}、{t}") for k, t in enumerate(d.duties, 1)]
    blocks.append(Heading(2, "二、部门机构设置及决算单位构成情况"))
    blocks += [Paragraph(t) for t in (d.structure, d.scope) if t]
    blocks.append(Heading(2, f"三、{dataset.year}年度部门主要工作完成情况"))
    blocks += [Paragraph(f"{k}. {t}") for k, t in enumerate(d.main_work, 1)]
    blocks += [PageBreak(), Heading(1, "第二部分 部门决算情况说明", anchor="part2")]
    blocks += list(charts)
    blocks += [TableBlock(t) for t in perf]
    c = dataset.contact
    blocks += [PageBreak(), Heading(1, "第四部分 决算公开联系方式及信息反馈渠道", anchor="part4")]
    if c.person or c.phone:
        blocks.append(Paragraph(f"联系人：{c.person}　联系电话：{c.phone}"))
    return blocks


def findings_appendix(findings: list[Finding]) -> list[Block]:
    """The findings as the last part of a draft, so readers see why it is a draft."""
    rows = [Row((Cell(str(k), align="center"), Cell(f.severity.label, align="center"), Cell(f.rule),
                 Cell(f.location.describe()), Cell(f.message)))
            for k, f in enumerate(sorted(findings, key=lambda f: f.severity.rank), 1)]
    n_err = sum(f.severity is Severity.ERROR for f in findings)
    table = TableView(
        id="findings", number="", title="数据检查问题清单", org="", unit_label="",
        header=(Row(tuple(Cell(h) for h in ("序号", "级别", "规则", "位置", "说明")), kind="header"),),
        body=tuple(rows), widths=(0.8, 0.9, 1.4, 3.0, 6.0), landscape=True,
    )
    return [PageBreak(), Heading(1, "附录 数据检查问题清单", anchor="draft-findings"),
            Paragraph(f"本文件为草稿：数据检查发现错误 {n_err} 项，须更正后重新生成，不得公开。", style="body"),
            TableBlock(table)]


# ----------------------------------------------------------------- writing the outputs


def safe_name(text: str) -> str:
    """A file-name part valid on Windows and Linux (no \\ / : * ? " < > |)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "", text).strip(".") or "部门"


def output_names(dataset: Dataset) -> dict[str, str]:
    stem = f"{safe_name(dataset.department.name)}_{dataset.year}"
    doc = "部门预算" if getattr(dataset, "kind", "决算") == "预算" else "部门决算"  # a budget (model.budget)
    return {"docx": f"{stem}_{doc}.docx", "pdf": f"{stem}_{doc}.pdf",
            "html": f"{stem}_{doc}.html", "xlsx": f"{stem}_{doc}表.xlsx"}


def _write_xlsx(tables: list[TableView], path: Path, watermark: str) -> None:
    from juesuan.render.xlsx import write_tables_xlsx

    write_tables_xlsx(tables, path, watermark=watermark)


def _write_charts(doc: Document, folder: Path) -> list[Path]:
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    if not figures:
        return []
    folder.mkdir()
    out: list[Path] = []
    for f in figures:
        name = safe_name(f.chart_id) or "chart"
        if f.png:
            (folder / f"{name}.png").write_bytes(f.png)
            out.append(folder / f"{name}.png")
        if f.svg:
            (folder / f"{name}.svg").write_text(f.svg, encoding="utf-8")
            out.append(folder / f"{name}.svg")
    return out


def findings_json(dataset: Dataset, findings: list[Finding], draft: bool, profile: str) -> str:
    summary = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    data = {"department": dataset.department.name, "year": dataset.year, "unit": dataset.unit.value,
            "profile": profile, "draft": draft, "publishable": not has_errors(findings),
            "summary": summary, "findings": [f.to_dict() for f in findings]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def os_message(exc: OSError, where: Path) -> str:
    """A Chinese explanation of an output OSError."""
    if exc.errno == errno.ENOSPC:
        why = "磁盘空间不足"
    elif exc.errno in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        why = "没有写入权限（或文件正被其他程序打开）"
    elif exc.errno == errno.EROFS:
        why = "磁盘为只读"
    elif exc.errno == errno.ENAMETOOLONG:
        why = "路径过长"
    else:
        why = exc.strerror or str(exc)
    return f"无法写入输出文件夹“{where}”：{why}"


def default_pdf_engine() -> str:
    """Typst when the ``typst`` package is importable (fast), else WeasyPrint."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return "weasyprint"
    return "typst"


def build(dataset: Dataset, findings: list[Finding], out_dir: Path | str, *,
          profile: str | None = None, formats: Iterable[str] = FORMATS, draft: bool = False,
          force: bool = False, document: Document | None = None,
          pdf_engine: str | None = None, inputs: Iterable[Path | str] = (),
          provenance: Provenance | None = None) -> BuildResult:
    """Write the disclosure of ``dataset`` into ``out_dir``, atomically.

    ``pdf_engine`` is "typst" or "weasyprint"; None picks ``default_pdf_engine()``.

    Raises ``BuildRefused`` when ``findings`` has errors and ``draft`` is false,
    ``OutputError`` when ``out_dir`` exists (without ``force``) or cannot be
    written, ``BuildError`` for other problems.  Nothing is left behind on failure.
    ``force`` replaces only a folder that a build wrote (it holds ``OUTPUT_MARKER``)
    and never one that is or holds one of ``inputs`` (the dataset's files).
    The figures printed are the dataset's after 舍位平衡; what moved is added to
    the findings (``balance.*``, located through ``provenance``) and the notes.
    """
    out_dir = Path(out_dir)
    fmts = [f for f in FORMATS if f in set(formats)]
    bad = set(formats) - set(FORMATS)
    if bad:
        raise BuildError(f"未知的输出格式：{'、'.join(sorted(bad))}（可用：{'、'.join(FORMATS)}）")
    engine = pdf_engine or default_pdf_engine()
    if engine not in PDF_ENGINES:
        raise BuildError(f"未知的 PDF 引擎：{engine}（可用：{'、'.join(PDF_ENGINES)}）")
    is_draft = has_errors(findings)
    if is_draft and not draft:
        n = sum(f.severity is Severity.ERROR for f in findings)
        raise BuildRefused(f"数据检查发现 {n} 个错误，未生成公开文档；请先更正（或用 --draft 生成带“草稿”标记的文档）")
    _check_destination(out_dir, force, inputs)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    from juesuan.compute.balance import balance_dataset
    from juesuan.rules.balance import balance_findings, balance_note

    if document is None:
        balanced = balance_dataset(dataset)
        findings = [*findings, *balance_findings(balanced, provenance)]
        notes = balance_note(balanced)
        doc = assemble(balanced.dataset, profile, balance=False)
    else:  # a document assembled by the caller (a budget, render.budget_doc): printed as given
        notes, doc = [], document
    timings["assemble"] = time.perf_counter() - t0
    watermark = DRAFT_MARK if is_draft else ""
    if is_draft:
        doc = Document(doc.title, doc.department, doc.year, doc.profile,
                       list(doc.blocks) + findings_appendix(findings))
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output is an ordinary folder
    except OSError as exc:
        raise OutputError(os_message(exc, out_dir)) from None
    try:
        files = _write_all(dataset, findings, doc, tmp, fmts, watermark, timings, engine)
        (tmp / OUTPUT_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        _check_destination(out_dir, force, inputs)  # again: it may have changed while we built
        _move_into_place(tmp, out_dir, force)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(os_message(exc, out_dir)) from None
        raise
    return BuildResult(out_dir, [out_dir / f.relative_to(tmp) for f in files], findings,
                       is_draft, timings, notes)


# every output folder holds this file: ``--force`` replaces a folder only when it does
OUTPUT_MARKER = ".juesuan-output"
MARKER_TEXT = "此文件夹由 juesuan build 生成；juesuan build --force 只替换含有本文件的文件夹。\n"


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path == folder or path.is_relative_to(folder)
    except (OSError, ValueError):
        return False


def _check_destination(out_dir: Path, force: bool, inputs: Iterable[Path | str] = ()) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"输出位置“{out_dir}”已存在且不是文件夹")
    if not out_dir.exists():
        return
    if not force:
        raise OutputError(f"输出文件夹“{out_dir}”已存在；如要替换，请加 --force")
    here = out_dir.resolve()
    for item in inputs:
        if _inside(Path(item).resolve(), here):
            raise OutputError(f"输出文件夹“{out_dir}”就是输入数据集所在的文件夹（或包含它），"
                              "--force 不会替换它：请换一个输出文件夹")
    if not (out_dir / OUTPUT_MARKER).is_file() and any(out_dir.iterdir()):
        raise OutputError(f"输出文件夹“{out_dir}”不是 juesuan build 生成的（其中没有 {OUTPUT_MARKER}），"
                          "--force 只替换 juesuan 生成的文件夹：请换一个输出文件夹，或自行清空它")


def _write_all(dataset: Dataset, findings: list[Finding], doc: Document, tmp: Path,
               fmts: list[str], watermark: str, timings: dict[str, float],
               pdf_engine: str = "weasyprint") -> list[Path]:
    names = output_names(dataset)
    files: list[Path] = []

    def step(key: str, fn: Callable[[Path], Any]) -> None:
        t = time.perf_counter()
        target = tmp / names[key]
        fn(target)
        files.append(target)
        timings[key] = time.perf_counter() - t

    if "docx" in fmts:
        from juesuan.render.docx import write_docx

        step("docx", lambda p: write_docx(doc, p, watermark=watermark))
    if "html" in fmts:
        from juesuan.render.html import render_html

        step("html", lambda p: p.write_text(render_html(doc, watermark=watermark), encoding="utf-8"))
    if "pdf" in fmts:
        from juesuan.render.pdf import PdfEngineMissing, write_pdf

        if pdf_engine == "typst":
            from juesuan.render.typst import write_pdf_typst as write_pdf
        try:
            step("pdf", lambda p: write_pdf(doc, p, watermark=watermark))
        except PdfEngineMissing as exc:
            raise BuildError(f"{exc}（可用 --format 去掉 pdf 后重试）") from None
    if "xlsx" in fmts:
        # the standard tables first, then the self-evaluation tables; not the document's small lists
        tables = sorted((t for t in doc.tables() if t.id.startswith(("t", "perf-")) and t.id != "findings"),
                        key=lambda t: t.id.startswith("perf-"))
        step("xlsx", lambda p: _write_xlsx(tables, p, watermark))
    t = time.perf_counter()
    files += _write_charts(doc, tmp / "charts")
    timings["charts"] = time.perf_counter() - t
    (tmp / "findings.json").write_text(findings_json(dataset, findings, bool(watermark), doc.profile),
                                       encoding="utf-8")
    files.append(tmp / "findings.json")
    return files


def _move_into_place(tmp: Path, out_dir: Path, force: bool) -> None:
    """Rename the finished folder to ``out_dir``; with ``force`` swap out the old one."""
    if not out_dir.exists():
        os.replace(tmp, out_dir)
        return
    if not force:  # appeared while we were building
        raise OutputError(f"输出文件夹“{out_dir}”已存在；如要替换，请加 --force")
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}-{time.time_ns()}"
    os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except BaseException:
        os.replace(old, out_dir)  # put the previous output back
        raise
    shutil.rmtree(old, ignore_errors=True)
