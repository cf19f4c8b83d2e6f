"""Claims → the raw Dataset dict, from what the profile declares each slot to be.

A slot declared ``figure: <id>`` fills the dataset path of that figure (the
id, or the vocabulary's ``path``; ids the vocabulary marks ``store: false``
are the narrative's own totals, which the model computes); ``count`` and
``name`` fill their paths; a declared change fills the figure's
``last_year`` or ``budget`` path with this − the change.  What is not one
printed value per path (the 项 lines, the economic items, the department's
names and units) is read by role.  No pattern key is named here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from juesuan.audit.changes import implied
from juesuan.audit.declared import Figures, meanings_of
from juesuan.audit.document import SourceDoc
from juesuan.audit.model import Claim, Extraction, Skipped
from juesuan.profiles import Profile

__all__ = ["Builder"]


class Builder:
    """Fills ``ex.data`` (each figure with its location in ``ex.provenance``)."""

    def __init__(self, ex: Extraction, profile: Profile, doc: SourceDoc) -> None:
        self.ex, self.profile, self.doc = ex, profile, doc
        self.d: dict[str, Any] = ex.data
        self.f = Figures(ex.claims, profile)

    def put(self, path: str, value: Any, claim: Claim | None = None, slot: str | None = None) -> None:
        node = self.d
        parts = path.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
        if claim is not None:
            self.ex.provenance.set(path, claim.locations.get(slot, claim.location) if slot else claim.location)

    def with_role(self, role: str) -> list[tuple[Claim, str]]:
        return [(c, slot) for c in self.ex.claims for slot, m in meanings_of(c, self.profile).items()
                if m.role == role and (slot in c.values or slot == "sentence")]

    def build(self) -> None:
        rec = self.ex.recognition
        self.d.update({"schema": "juesuan/1", "profile": self.profile.name, "year": rec.year, "unit": "万元"})
        self.department()
        for step in (self.figures, self.changes, self.lines, self.econ, self.sme_awards):
            step()

    # -- one value per path ------------------------------------------------------------
    def figures(self) -> None:
        """Every declared figure, count and name (a later reading of the same path wins: the
        detailed sentence comes after the summary that repeats it)."""
        for c in self.ex.claims:
            for slot, m in meanings_of(c, self.profile).items():
                v = c.values.get(slot)
                if m.figure and isinstance(v, Decimal):
                    r = self.f.of_claim(c, slot)
                    spec = self.profile.figures.get(r.figure) if r else None
                    if r is not None and (spec is None or spec.store):
                        self.put(spec.path or r.figure if spec else r.figure, v, c, slot)
                if m.count and isinstance(v, int):
                    self.put(m.count, v, c, slot)
                if m.name and v is not None:
                    self.put(m.name, [n.strip("“”\"") for n in v] if isinstance(v, list) else v, c, slot)

    def changes(self) -> None:
        """Last year's values and the budgets the printed changes imply."""
        for x in implied(self.f):
            spec = self.profile.figures.get(x.figure)
            path = spec and (spec.last_year if x.vs == "last_year" else spec.budget)
            if path:
                self.put(path, x.value, x.claim, x.slot)

    # -- by role -------------------------------------------------------------------------
    def department(self) -> None:
        rec = self.ex.recognition
        named = [c for c, _ in self.with_role("dept_display")] + \
            sorted((c for c, _ in self.with_role("dept_title")), key=lambda c: c.section != "cover")
        display = next((c.values["dept"] for c in named if c.values.get("dept")), None)
        self.put("department.name", rec.department or _plain_dept(display or ""))
        if display and display != self.d["department"]["name"]:
            self.put("department.display_name", display)
        for c, _ in self.with_role("scope")[:1]:
            self.put("department.scope", c.location.excerpt or "", c, "year")
        self.units_and_functions()

    def units_and_functions(self) -> None:
        rec, rd = self.ex.recognition, self.profile.reading
        units = []
        third = "nature"  # the third column: 单位性质 (Inner Mongolia) or 备注 (Shanghai)
        for topic in rd.units:
            span = rec.sections.get(topic)
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
        for topic in rd.functions:
            span = rec.sections.get(topic)
            if span is not None:
                text = "".join(line.text.strip() for line in self.doc.lines[span.start + 1:span.end])
                self.d["department"]["functions"] = re.sub(r"[#*]", "", text)[:2000]
                break

    def lines(self) -> None:
        """The 项 (role class_item): code from the names, 年初预算 and 决算数."""
        from juesuan.audit.checks_codes import func_code

        year = self.d["year"]
        lines = []
        for c, _ in self.with_role("class_item"):
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

    def econ(self) -> None:
        """The economic items listed with their amounts (roles basic_econ, project_econ)."""
        from juesuan.audit.checks_codes import econ_code

        year = self.d["year"]
        for role, target in (("basic_econ", "basic_econ"), ("project_econ", "project_econ")):
            for c, slot in self.with_role(role):
                kind = (self.profile.meaning(c.key.split("~")[0], slot) or _NO).what
                for name, amount in c.values.get(slot) or []:
                    code = econ_code(year, name, kind) if kind else econ_code(year, name, None, c.values.get("name"))
                    if code is None:
                        self.ex.skipped.append(Skipped("extract.econ_code", f"未能从名称确定经济分类科目编码：{name}",
                                                       c.location))
                        continue
                    lst = self.d.setdefault(target, [])
                    self.ex.provenance.set(f"{target}[{len(lst)}]", c.locations[slot])
                    lst.append({"code": code, "name": name, "amount": amount, **({"kind": kind} if kind else {})})

    def sme_awards(self) -> None:
        """Shanghai prints the SME awards of the reserved and the other projects (role sme_award
        on sme_reserved_awarded): the SME and small-and-micro totals are theirs."""
        for c, slot in self.with_role("sme_award"):
            v = c.values
            if slot == "sme_reserved_awarded":
                self.put("procurement.sme", v["sme_reserved_awarded"] + v["sme_other_awarded"], c, slot)
                self.put("procurement.small_micro", v["small_micro_reserved_awarded"], c,
                         "small_micro_reserved_awarded")


class _No:
    what = None


_NO = _No()


def _cells(line: Any) -> list[str]:
    """A table row's cells: Word/HTML cells, tab-separated text, or a PDF line's words."""
    if line.cells:
        return [c.strip() for c in line.cells]
    if "\t" in line.text:
        return [c.strip() for c in line.text.split("\t")]
    return [w.text for w in line.words] if line.words else [line.text.strip()]


def _plain_dept(name: str) -> str:
    return re.sub(r"[（(]部门[)）]$", "", name).strip()
