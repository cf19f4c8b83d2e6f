"""From a published document to the data model: read → recognise → tables → claims → Dataset.

The standard tables (when the document has them) give the figures; the
narrative's claims fill in what the tables do not hold, and everything for a
document without tables (the seed: "第五部分 … 见附件").  Each figure keeps
where it was printed, in a Provenance keyed by its model path, so a dataset
rule's finding points at a page and line of the document.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.audit.claims import extract_claims
from juesuan.audit.deadline import deadline_check
from juesuan.audit.document import SourceDoc, read_document
from juesuan.audit.extract_build import Builder
from juesuan.audit.model import Extraction, Recognition, Skipped, base_key
from juesuan.model.accounts import Dataset
from juesuan.model.findings import Location, Provenance
from juesuan.profiles import Profile, load_profile
from juesuan.readers.errors import InputError

__all__ = ["base_key", "extract", "extract_doc", "recognise", "to_dataset"]

ZERO = Decimal(0)


def recognise(doc: SourceDoc, profile: str | None = None) -> Recognition:
    """The document's structure (``profile``: a profile name or YAML file forced by the user)."""
    from juesuan.audit.recognize import recognize

    return recognize(doc, profile)


def extract(path: str | Path, profile: str | None = None) -> Extraction:
    """Read and recover one document (InputError when it is unusable or not a disclosure)."""
    return extract_doc(read_document(Path(path)), profile)


def extract_doc(doc: SourceDoc, profile: str | None = None) -> Extraction:
    """Recover one read document; NotAuditable when it is not a 决算 disclosure (a budget, a
    government's report, anything else), InputError when nothing of it can be recognised."""
    from juesuan.audit.kind import require_final

    kind = require_final(doc)
    rec = recognise(doc, profile)
    rec.kind, rec.kind_reason = kind.kind, kind.reason
    if not rec.sections or rec.year is None:
        raise InputError("不像部门决算公开文档：找不到“部门决算情况说明”的各节或决算年度",
                         Location(file=doc.path))
    profile = load_profile(rec.profile_ref or rec.profile or "national")
    ex = Extraction(path=doc.path, recognition=rec)
    ex.provenance = Provenance(Location(file=doc.path))
    deadline_check()
    tables_data = _tables(doc, rec, profile, ex)
    deadline_check()
    ex.claims = extract_claims(doc, rec, profile)
    deadline_check()
    Builder(ex, profile, doc).build()
    _merge(ex.data, tables_data)
    if not tables_data.get("expenditure"):
        # the narrative names each 项 with its total only: the basic/project split and the
        # fund of each 项 are printed nowhere, so the dataset says so instead of guessing
        ex.data["not_given"] = ["spending_split", "fund_split"]
    # what was not read is not zero: a 0 in the model would be a placeholder, not the document's
    tp = ex.data.get("three_public") or {}
    if not tp.get("actual"):
        ex.data.setdefault("not_given", []).append("three_public")
    if not tp.get("counts"):
        ex.data.setdefault("not_given", []).append("three_public_counts")
    return ex


def _tables(doc: SourceDoc, rec: Recognition, profile: Profile, ex: Extraction) -> dict[str, Any]:
    """Standard tables via the tables module (when present); their raw Dataset dict."""
    try:
        from juesuan.audit import tables as tmod
    except ImportError:
        if rec.tables:
            ex.skipped.append(Skipped("tables", "表格读取模块尚未提供：公开表中的数字未核对"))
        return {}
    read = getattr(tmod, "read_tables", None) or getattr(tmod, "recover_tables", None)
    to_data = getattr(tmod, "tables_to_data", None)
    if read is None or to_data is None:
        return {}
    try:
        ex.tables = read(doc, rec, profile) if _arity(read) >= 3 else read(doc, rec)
        usable = _trusted(ex)
        data, prov, skipped = to_data(usable, rec, profile) if _arity(to_data) >= 3 else to_data(usable, rec)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - a table that cannot be read is reported, not fatal
        ex.skipped.append(Skipped("tables", "公开表读取失败（程序未能识别表格结构）：表中数字未核对"))
        return {}
    for p, loc in prov.items():
        ex.provenance.set(p, loc)
    ex.skipped += list(skipped)
    return data


def _trusted(ex: Extraction) -> dict[str, Any]:
    """The tables whose figures checks may use: each standard table first checks itself
    (``tables_check.self_check``); one that does not add up is marked uncertain, and
    no figure of it reaches the dataset — its checks are skipped, saying why."""
    from juesuan.audit.tables_check import self_check

    out = {}
    for tid, table in ex.tables.items():
        if not tid.startswith("se") and table.rows:
            try:
                table.uncertain = self_check(table)
            except Exception:  # noqa: BLE001 - a check that cannot run trusts nothing
                table.uncertain = "自检未能完成"
        if table.uncertain:
            ex.skipped.append(Skipped(f"table.{tid}", f"{table.title.strip()}读取不确定（{table.uncertain}）："
                                      "表中数字未用于任何检查", table.location))
            continue
        out[tid] = table
    return out


def _arity(fn: Any) -> int:
    import inspect

    try:
        return len(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return 2


def _merge(into: dict[str, Any], over: dict[str, Any]) -> None:
    """Table figures win over narrative ones (the tables are the accounts)."""
    for k, v in over.items():
        if k == "expenditure" and into.get(k) and v:
            into[k] = _merge_lines(v, into[k])
            continue
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        elif v not in (None, [], {}):
            into[k] = v


def _merge_lines(table: list[dict[str, Any]], narrative: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table lines, with the 年初预算 and reason the narrative prints for the same 项."""
    by_code = {n["code"]: n for n in narrative}
    out = []
    for line in table:
        n = by_code.get(line.get("code"))
        if n is not None:
            line = {**line, **{k: n[k] for k in ("budget", "reason") if k in n and k not in line}}
        out.append(line)
    return out


def to_dataset(ex: Extraction) -> tuple[Dataset, Provenance]:
    """The recovered dataset (validated) and where each figure was printed."""
    from pydantic import ValidationError

    try:
        return Dataset.model_validate(ex.data), ex.provenance
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"从文档恢复的数据不完整，无法组成数据集：{where}：{first['msg']}",
                         Location(file=ex.path)) from None
