"""From a published document to the data model: read → recognise → tables → claims → Dataset.

The standard tables (when the document has them) give the figures; the
narrative's claims fill in what the tables do not hold, and everything for a
document without tables (the seed: "第五部分 … 见附件").  Each figure keeps
where it was printed, in a Provenance keyed by its model path, so a dataset
rule's finding points at a page and line of the document.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from juesuan.audit.claims import extract_claims
from juesuan.audit.document import SourceDoc, read_document
from juesuan.audit.model import Claim, Extraction, Recognition, Skipped
from juesuan.model.accounts import Dataset
from juesuan.model.findings import Location, Provenance
from juesuan.profiles import Profile, load_profile
from juesuan.readers.errors import InputError

__all__ = ["base_key", "extract", "extract_doc", "recognise", "to_dataset"]

ZERO = Decimal(0)


def base_key(claim: Claim) -> str:
    """The profile key a claim was read with (a read-only variant names its base key)."""
    return claim.key.split("~")[0]


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
    tables_data = _tables(doc, rec, profile, ex)
    ex.claims = extract_claims(doc, rec, profile)
    builder = _Builder(ex, profile, doc)
    builder.build()
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
    except Exception as exc:  # noqa: BLE001 - a table that cannot be read is reported, not fatal
        ex.skipped.append(Skipped("tables", f"公开表读取失败（{type(exc).__name__}）：表中数字未核对"))
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
            except Exception as exc:  # noqa: BLE001 - a check that cannot run trusts nothing
                table.uncertain = f"自检出错（{type(exc).__name__}）"
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


def _cells(line: Any) -> list[str]:
    """A table row's cells: Word/HTML cells, tab-separated text, or a PDF line's words."""
    if line.cells:
        return [c.strip() for c in line.cells]
    if "\t" in line.text:
        return [c.strip() for c in line.text.split("\t")]
    return [w.text for w in line.words] if line.words else [line.text.strip()]


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


class _Builder:
    """Claims → raw Dataset dict, one section at a time (each figure with its location)."""

    def __init__(self, ex: Extraction, profile: Profile, doc: SourceDoc) -> None:
        self.ex, self.profile, self.doc = ex, profile, doc
        self.d: dict[str, Any] = ex.data
        self.by: dict[str, list[Claim]] = {}
        for c in ex.claims:
            self.by.setdefault(base_key(c), []).append(c)

    # -- helpers ------------------------------------------------------------------
    def first(self, key: str) -> Claim | None:
        lst = self.by.get(key)
        return lst[0] if lst else None

    def put(self, path: str, value: Any, claim: Claim | None = None, slot: str | None = None) -> None:
        node = self.d
        parts = path.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
        if claim is not None:
            self.ex.provenance.set(path, claim.locations.get(slot, claim.location) if slot else claim.location)

    def cmp_after(self, subject: str) -> Claim | None:
        """The comparison clause that follows a claim of ``subject``."""
        for c in self.ex.claims:
            if base_key(c).startswith("cmp.") and c.context.get("subject") == subject and "diff" in c.values:
                return c
        return None

    @staticmethod
    def signed(c: Claim) -> Decimal:
        return c.values["diff"] * (-1 if c.values.get("dir", 1) < 0 else 1)

    # -- sections -----------------------------------------------------------------
    def build(self) -> None:
        rec = self.ex.recognition
        self.d.update({"schema": "juesuan/1", "profile": self.profile.name, "year": rec.year, "unit": "万元"})
        self.department()
        for step in (self.totals, self.income, self.general, self.econ, self.three_public,
                     self.others, self.performance):
            step()

    def department(self) -> None:
        rec = self.ex.recognition
        display = next((c.values["dept"] for k in ("cover.name", "cover.title", "s1.total")
                        for c in self.by.get(k, []) if c.values.get("dept")), None)
        self.put("department.name", rec.department or _plain_dept(display or ""))
        if display and display != self.d["department"]["name"]:
            self.put("department.display_name", display)
        for key, field in (("cover.head", "head"), ("cover.finance_head", "finance_head"),
                           ("cover.preparer", "preparer")):
            c = self.first(key)
            if c:
                self.put(f"department.{field}", c.values["name"], c, "name")
        c = self.first("cover.report_date")
        if c:
            self.put("department.report_date", c.values["date"], c, "date")
        c = self.first("p1.scope")
        if c:
            self.put("department.scope", c.location.excerpt or "", c, "year")
        self.units_and_functions()
        c = self.first("contact.person")
        if c:
            self.put("contact.person", c.values["person"], c, "person")
            self.put("contact.phone", c.values["phone"], c, "phone")

    def units_and_functions(self) -> None:
        rec = self.ex.recognition
        units = []
        third = "nature"  # the third column: 单位性质 (Inner Mongolia) or 备注 (Shanghai)
        for key in ("p1.structure", "p1.units"):
            span = rec.sections.get(key)
            if span is None:
                continue
            for line in self.doc.lines[span.start:span.end]:
                cells = _cells(line)
                if len(cells) >= 2 and cells[0] == "序号":
                    third = "note" if "备注" in cells[2:] else "nature"
                elif len(cells) >= 2 and cells[0].isdigit() and cells[1]:
                    units.append({"name": cells[1], third: cells[2] if len(cells) > 2 else ""})
        if units:
            self.d["department"]["units"] = units
        span = rec.sections.get("p1.functions")
        if span is not None:
            text = "".join(line.text.strip() for line in self.doc.lines[span.start + 1:span.end])
            self.d["department"]["functions"] = re.sub(r"[#*]", "", text)[:2000]

    def totals(self) -> None:
        for key, field in (("s1.use_of_balance", "use_of_balance"), ("s1.opening", "opening"),
                           ("s1.distribution", "distribution"), ("s1.closing", "closing")):
            c = self.first(key)
            if c:
                self.put(f"balances.{field}", c.values["amount"], c, "amount")
                cmp = self.cmp_after(key)
                if cmp:
                    self.put(f"last_year.balances.{field}", c.values["amount"] - self.signed(cmp), cmp, "diff")
        s1 = self.first("s1.total")
        if s1:
            for c in self.ex.claims:
                if c.context.get("subject") == "s1.total" and base_key(c) == "cmp.total_vs_budget":
                    self.put("budget.total", s1.values["total"] - self.signed(c), c, "diff")
                elif c.context.get("subject") == "s1.total" and base_key(c).startswith("cmp.total_vs_last_year"):
                    self.put("last_year.total", s1.values["total"] - self.signed(c), c, "diff")
            lv = self.first("s1.vs_last_year")
            if lv:
                self.put("last_year.total", s1.values["total"] - self.signed(lv), lv, "diff")
        s4 = self.first("s4.total")
        if s4:
            for c in self.ex.claims:
                if c.context.get("subject") == "s4.total" and base_key(c) == "cmp.total_vs_budget":
                    self.put("budget.appropriation_total", s4.values["total"] - self.signed(c), c, "diff")
                elif c.context.get("subject") == "s4.total" and base_key(c).startswith("cmp.total_vs_last_year"):
                    self.put("last_year.appropriation_total", s4.values["total"] - self.signed(c), c, "diff")
            lv = self.first("s4.vs_last_year")
            if lv:
                self.put("last_year.appropriation_total", s4.values["total"] - self.signed(lv), lv, "diff")
        for key in ("s1.income", "s1.expenditure"):
            c, cmp = self.first(key), self.cmp_after(key)
            if c and cmp and key == "s1.expenditure":
                self.put("last_year.expenditure", c.values["amount"] - self.signed(cmp), cmp, "diff")

    def income(self) -> None:
        labels = {x.label: x.field for x in self.profile.income_items}
        for c in self.by.get("s2.item", []):
            field = labels.get(c.values["label"])
            if field == "appropriation":
                field = "general_budget"
            if field:
                self.put(f"income.{field}", c.values["amount"], c, "amount")

    def general(self) -> None:
        from juesuan.audit.checks_codes import func_code

        year = self.d["year"]
        c = self.first("s5.total_vs_budget") or self.first("s5.detail")
        if c:
            self.put("budget.general", c.values["budget"], c, "budget")
        lines = []
        for c in self.by.get("s5.item", []) + self.by.get("s5.item_no_budget", []):
            cls = c.values.get("cls") or c.context.get("class") or ""
            code = func_code(year, cls, c.values["kuan"], c.values["item"])
            if code is None:
                self.ex.skipped.append(Skipped(
                    "extract.func_code", f"未能从名称确定功能分类科目编码：{c.values['kuan']}（款）{c.values['item']}（项）",
                    c.location))
                continue
            i = len(lines)
            lines.append({"code": code, "name": c.values["item"], "budget": c.values["budget"],
                          "basic": c.values["actual"]})
            self.ex.provenance.set(f"expenditure[{i}]", c.location)
            self.ex.provenance.set(f"expenditure[{i}].budget", c.locations["budget"])
            self.ex.provenance.set(f"expenditure[{i}].basic", c.locations["actual"])
        if lines:
            self.d["expenditure"] = lines
        s9 = self.first("s9.total")
        for key, field in (("s9.total", "gov_fund_expenditure"), ("s10.total", "state_capital_expenditure")):
            c, cmp = self.first(key), self.cmp_after(key)
            if c and cmp and "amount" in c.values:
                self.put(f"last_year.{field}", c.values["amount"] - self.signed(cmp), cmp, "diff")
        del s9
        ov, lv = self.first("s5.overall"), self.first("s5.vs_last_year")
        if ov and lv:
            self.put("last_year.general_expenditure", ov.values["total"] - self.signed(lv), lv, "diff")

    def econ(self) -> None:
        from juesuan.audit.checks_codes import econ_code

        year = self.d["year"]
        for key, kind, target in (("s6.personnel", "人员经费", "basic_econ"), ("s6.public", "公用经费", "basic_econ")):
            c = self.first(key)
            if not c:
                continue
            for name, amount in c.values.get("items", []):
                code = econ_code(year, name, kind)
                if code is None:
                    self.ex.skipped.append(Skipped("extract.econ_code", f"未能从名称确定经济分类科目编码：{name}",
                                                   c.location))
                    continue
                lst = self.d.setdefault(target, [])
                self.ex.provenance.set(f"{target}[{len(lst)}]", c.locations["items"])
                lst.append({"code": code, "name": name, "amount": amount,
                            "kind": kind})
        for c in self.by.get("s7.class", []):
            for name, amount in c.values.get("items", []):
                code = econ_code(year, name, None, c.values.get("name"))
                if code is None:
                    self.ex.skipped.append(Skipped("extract.econ_code", f"未能从名称确定经济分类科目编码：{name}",
                                                   c.location))
                    continue
                lst = self.d.setdefault("project_econ", [])
                self.ex.provenance.set(f"project_econ[{len(lst)}]", c.locations["items"])
                lst.append({"code": code, "name": name, "amount": amount})

    def three_public(self) -> None:
        tp = "three_public"
        for key, field in (("s8.abroad_budget", "abroad"), ("s8.vehicle_budget", "vehicle_operation"),
                           ("s8.reception_budget", "reception")):
            c = self.first(key)
            if c:
                self.put(f"{tp}.budget.{field}", c.values["budget"], c, "budget")
                if field != "vehicle_operation":
                    self.put(f"{tp}.actual.{field}", c.values["actual"], c, "actual")
        for key, field in (("s8.abroad", "abroad"), ("s8.vehicle_purchase", "vehicle_purchase"),
                           ("s8.vehicle_operation", "vehicle_operation"), ("s8.reception", "reception")):
            c = self.first(key)
            if not c:
                continue
            self.put(f"{tp}.actual.{field}", c.values["amount"], c, "amount")
            cmp = self.cmp_after(key)
            if cmp:
                self.put(f"{tp}.last_year.{field}", c.values["amount"] - self.signed(cmp), cmp, "diff")
        counts = {"s8.abroad": (("groups", "abroad_groups"), ("people", "abroad_people")),
                  "s8.vehicle_purchase": (("count", "vehicles_bought"),),
                  "s8.vehicle_operation": (("held", "vehicles_held"),),
                  "s8.reception": (("batches", "receptions"), ("people", "reception_people"),
                                   ("foreign_batches", "foreign_receptions"),
                                   ("foreign_people", "foreign_reception_people")),
                  "s8.reception_domestic": (("batches", "receptions"), ("people", "reception_people"),
                                            ("foreign_batches", "foreign_receptions"),
                                            ("foreign_people", "foreign_reception_people"))}
        for key, pairs in counts.items():
            c = self.first(key)
            for slot, field in pairs if c else ():
                if slot in c.values:
                    self.put(f"{tp}.counts.{field}", c.values[slot], c, slot)
        c = self.first("s8.reception") or self.first("s8.reception_domestic")
        if c and "foreign" in c.values:
            self.put(f"{tp}.foreign_reception", c.values["foreign"], c, "foreign")
        c = self.first("s8.total")
        if c and "abroad" in c.values:  # Shanghai: the actuals in one sentence
            for slot in ("abroad", "reception"):
                self.put(f"{tp}.actual.{slot}", c.values[slot], c, slot)
            self.put(f"{tp}.actual.vehicle_operation", c.values["vehicle"], c, "vehicle")

    def others(self) -> None:
        c = self.first("s11.total")
        if c:
            self.put("operating_cost.amount", c.values["amount"], c, "amount")
            cmp = c if "diff" in c.values else (self.first("s11.vs_last_year") or self.cmp_after("s11.total"))
            if cmp is not None and "diff" in cmp.values:
                self.put("operating_cost.last_year", c.values["amount"] - self.signed(cmp), cmp, "diff")
        c = self.first("s12.total")
        if c:
            for f in ("goods", "works", "services"):
                self.put(f"procurement.{f}", c.values[f], c, f)
        c = self.first("s12.sme")
        if c:
            if "sme" in c.values:
                self.put("procurement.sme", c.values["sme"], c, "sme")
                self.put("procurement.small_micro", c.values["small_micro"], c, "small_micro")
            else:
                v = c.values
                self.put("procurement.sme", v["sme_reserved_awarded"] + v["sme_other_awarded"], c, "sme_reserved_awarded")
                self.put("procurement.reserved_awarded_sme", v["sme_reserved_awarded"], c, "sme_reserved_awarded")
                self.put("procurement.reserved_awarded_small_micro", v["small_micro_reserved_awarded"], c,
                         "small_micro_reserved_awarded")
                self.put("procurement.other_awarded_sme", v["sme_other_awarded"], c, "sme_other_awarded")
                self.put("procurement.small_micro", v["small_micro_reserved_awarded"], c, "small_micro_reserved_awarded")
                self.put("procurement.reserved_sme", v["sme_reserved"], c, "sme_reserved")
                self.put("procurement.reserved_small_micro", v["small_micro_reserved"], c, "small_micro_reserved")
        c = self.first("s13.vehicles")
        if c:
            from juesuan.model.accounts import VEHICLE_CATEGORIES

            for f in VEHICLE_CATEGORIES:
                if f in c.values:
                    self.put(f"assets.vehicles.{f}", c.values[f], c, f)
            self.put("assets.vehicles_total", c.values["total"], c, "total")
            self.put("assets.equipment_1m", c.values["equipment"], c, "equipment")

    def performance(self) -> None:
        c = self.first("s14.self_eval")
        if c:
            self.put("performance.general_amount", c.values["amount"], c, "amount")
            self.put("performance.fund_amount", c.values["fund_amount"], c, "fund_amount")
        c = self.first("s14.dept_eval")
        if c:
            self.put("performance.dept_evaluations", [n.strip("“”\"") for n in c.values["projects"]], c, "projects")
            self.put("performance.dept_eval_general", c.values["general"], c, "general")
            self.put("performance.dept_eval_fund", c.values["fund"], c, "fund")
        c = self.first("s14.management")
        if c is not None or self.first("s14.management~figures"):
            c = c or self.first("s14.management~figures")
            for slot, field in (("target_n", "targets_projects"), ("target_amount", "targets_amount"),
                                ("tracked_n", "tracking_projects"), ("tracked_amount", "tracking_amount"),
                                ("self_n", "self_eval_projects"), ("self_amount", "self_eval_amount"),
                                ("average", "average_score")):
                if slot in c.values:
                    self.put(f"performance.{field}", c.values[slot], c, slot)


def _plain_dept(name: str) -> str:
    return re.sub(r"[（(]部门[)）]$", "", name).strip()
