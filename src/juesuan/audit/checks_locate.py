"""From a dataset rule's finding to the document: the printed figure, and the figures it is checked with.

A dataset rule reports a model path (``income``, ``basic_econ``,
``expenditure[16].basic``, ``stated[42].value`` …).  Its Provenance entry
may be missing (an aggregate) or point at a heading.  ``locate`` gives each
such finding the page/line of the printed figure it is about (for an
identity: the printed total) and, in ``related``, the printed figures it was
checked against (the parts), so that a wrong figure is found at its line
whichever side of the identity it is on.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from juesuan.model.accounts import INCOME_FIELDS, SPENDING_FIELDS, Dataset
from juesuan.model.findings import Finding, Location, Provenance

__all__ = ["locate_findings"]

_FUND_FIELD = {"general_budget": "general", "gov_fund": "gov_fund", "state_capital": "state_capital"}
_TP = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
_COUNT_AMOUNT = {
    "three_public.counts.abroad_groups": ("three_public.actual.abroad", "three_public.counts.abroad_people"),
    "three_public.counts.abroad_people": ("three_public.counts.abroad_groups",),
    "three_public.counts.vehicles_bought": ("three_public.actual.vehicle_purchase",),
    "three_public.counts.receptions": ("three_public.actual.reception", "three_public.foreign_reception",
                                       "three_public.counts.reception_people"),
    "three_public.counts.reception_people": ("three_public.counts.receptions",),
    "three_public.counts.foreign_receptions": ("three_public.foreign_reception",),
}


class _Locator:
    def __init__(self, ds: Dataset, prov: Provenance) -> None:
        self.ds, self.prov = ds, prov
        self.items = [j for j, line in enumerate(ds.expenditure) if line.level == 3]
        self.stated: dict[tuple[str, str, str], int] = {}
        for i, st in enumerate(ds.stated):
            self.stated.setdefault((st.table, st.row, st.column), i)

    # -- paths --------------------------------------------------------------------------
    def loc(self, path: str) -> Location | None:
        """Where ``path`` (or its nearest indexed ancestor) was printed; None when nowhere."""
        probe = path
        while probe:
            if probe in self.prov:
                got = self.prov.get(probe)
                return got if got.line is not None or got.cell is not None else None
            cut = max(probe.rfind("."), probe.rfind("["))
            if cut <= 0 or "[" not in probe[:cut]:
                return None  # an aggregate (income, basic_econ …) is no printed figure
            probe = probe[:cut]
        return None

    def stated_path(self, table: str, row: str, column: str) -> list[str]:
        i = self.stated.get((table, row, column))
        return [f"stated[{i}].value"] if i is not None else []

    def lines_under(self, row: str) -> list[int]:
        if row == "total":
            return self.items
        return [j for j in self.items if self.ds.expenditure[j].code.startswith(row)]

    def item_paths(self, idx: list[int], cols: tuple[str, ...] = SPENDING_FIELDS) -> list[str]:
        out = []
        for j in idx:
            out += [f"expenditure[{j}].{c}" for c in cols if f"expenditure[{j}].{c}" in self.prov] or [f"expenditure[{j}]"]
        return out

    def econ_paths(self, field: str, prefix: str = "", kind: Any = None) -> list[str]:
        lines = getattr(self.ds, field)
        kuan_classes = {e.code[:3] for e in lines if e.level == 2}
        out = []
        for j, e in enumerate(lines):
            if not (e.level == 2 or (e.level == 1 and e.code not in kuan_classes)):
                continue
            if prefix and not e.code.startswith(prefix):
                continue
            if kind is not None and e.econ_kind() is not kind:
                continue
            out.append(f"{field}[{j}].amount")
        return out

    # -- per rule ----------------------------------------------------------------------
    def parts(self, f: Finding) -> tuple[list[str], list[str]]:
        """(primary candidates, related paths) for a finding; empty primary keeps its location."""
        path = f.location.path or ""
        rule = f.rule
        ds = self.ds
        if rule == "identity.balance":
            primary = self.stated_path("t01", "total", "income") + self.stated_path("t01", "total", "total")
            rel = [f"income.{x}" for x in INCOME_FIELDS] + [f"balances.{x}" for x in
                                                             ("use_of_balance", "opening", "distribution", "closing")]
            rel += self.stated_path("t01", "total", "expenditure") + self.stated_path("t01", "income_total", "amount")
            rel += self.stated_path("t01", "expenditure_total", "amount") + self.stated_path("t03", "total", "total")
            return primary, rel + self.item_paths(self.items)
        if rule == "identity.appropriation_balance":
            field = path.rsplit(".", 1)[-1]
            kind = _FUND_FIELD.get(field, "general")
            rel = [f"appropriation_balances.{kind}.opening", f"appropriation_balances.{kind}.closing", path]
            for row in ("income_total", "opening", "closing", "expenditure_total", "total"):
                rel += self.stated_path("t04", row, kind) + self.stated_path("t04", row, "total")
            cols = ("basic", "project")
            return self.stated_path("t04", "income_total", kind), rel + self.item_paths(self.items, cols)
        m = re.fullmatch(r"expenditure\[(\d+)\]\.(\w+)", path)
        if rule == "hierarchy.function" and m:
            code = ds.expenditure[int(m.group(1))].code
            return [], self.item_paths(self.lines_under(code), (m.group(2),))
        m = re.fullmatch(r"(basic_econ|project_econ)\[(\d+)\]\.amount", path)
        if rule == "hierarchy.econ" and m:
            code = getattr(ds, m.group(1))[int(m.group(2))].code
            return [], [p for p in self.econ_paths(m.group(1), code) if p != path]
        if rule in ("identity.basic_econ", "identity.project_econ"):
            col, table = ("basic", "t06") if path == "basic_econ" else ("project", "t07")
            primary = self.stated_path("t05", "total", col) or self.stated_path("t03", "total", col)
            rel = self.stated_path(table, "total", "amount") + self.econ_paths(path)
            return primary, rel + self.item_paths(self.items, (col,))
        if rule == "identity.line_funds":
            m = re.match(r"expenditure\[(\d+)\]", path)
            j = m.group(1) if m else "0"
            return [], [f"expenditure[{j}].basic", f"expenditure[{j}].project", f"expenditure[{j}]"]
        if rule == "stated.total":
            m = re.fullmatch(r"stated\[(\d+)\]\.value", path)
            if m:
                st = ds.stated[int(m.group(1))]
                return [], self.stated_parts(st.table, st.row, st.column)
        if rule == "mirror.insurance":
            return self.mirror(f)
        if rule == "budget.items":
            return [], self.item_paths(self.items, ("budget",))
        if rule == "operating_cost.public":
            from juesuan.model.accounts import EconKind

            return [], self.stated_path("t06", "public", "amount") + self.econ_paths("basic_econ", kind=EconKind.PUBLIC)
        m = re.fullmatch(r"three_public\.actual\.(\w+)", path)
        if rule == "threepublic.econ" and m:
            from juesuan.rules.crosstable import THREE_PUBLIC_ECON

            code = next((c for c, fld, _ in THREE_PUBLIC_ECON if fld == m.group(1)), "")
            return [], self.econ_paths("basic_econ", code) + self.stated_path("t10", m.group(1), "actual")
        if rule == "threepublic.foreign_reception":
            return [], ["three_public.actual.reception"]
        if rule == "threepublic.counts":
            return [], list(_COUNT_AMOUNT.get(path, ()))
        if rule == "assets.vehicles_total":
            return [], [f"assets.vehicles.{k}" for k in type(ds.assets.vehicles).model_fields]
        if rule == "assets.vehicles_held":
            return [], ["assets.vehicles_total"]
        if rule == "procurement.sme":
            return [], [f"procurement.{k}" for k in ("goods", "works", "services", "sme", "small_micro")]
        if rule.startswith("perf."):
            return self.perf(rule, path)
        return [], []

    def stated_parts(self, table: str, row: str, column: str) -> list[str]:
        ds = self.ds
        if table in ("t06", "t07"):
            field = "basic_econ" if table == "t06" else "project_econ"
            if row in ("personnel", "public"):
                from juesuan.model.accounts import EconKind

                return self.econ_paths(field, kind=EconKind.PERSONNEL if row == "personnel" else EconKind.PUBLIC)
            return self.econ_paths(field, "" if row == "total" else row)
        if table == "t10":
            names = {"total": _TP, "vehicle": ("vehicle_purchase", "vehicle_operation")}.get(row, (row,))
            return [f"three_public.{column}.{n}" for n in names]
        if table == "procurement":
            return [f"procurement.{k}" for k in ("goods", "works", "services")] if row == "total" else [f"procurement.{row}"]
        out: list[str] = []
        if table == "t01":
            if row in ("total", "income_total") and column != "expenditure":
                out += [f"income.{x}" for x in INCOME_FIELDS]
                if row == "total":
                    out += ["balances.use_of_balance", "balances.opening"]
                    out += self.stated_path("t01", "income_total", "amount")
                    out += self.stated_path("t01", "use_of_balance", "amount")
                    out += self.stated_path("t01", "opening", "amount")
                return out
            if row in INCOME_FIELDS:
                return [f"income.{row}"]
            if row in ("use_of_balance", "opening", "distribution", "closing"):
                return [f"balances.{row}"]
            if row == "total":
                out += ["balances.distribution", "balances.closing"]
                out += self.stated_path("t01", "expenditure_total", "amount")
                out += self.stated_path("t01", "distribution", "amount")
                out += self.stated_path("t01", "closing", "amount")
            row = "total" if row in ("total", "expenditure_total") else row
        if table == "t04":
            kinds = ("general", "gov_fund", "state_capital") if column == "total" else (column,)
            if row in ("opening", "closing"):
                return [f"appropriation_balances.{k}.{row}" for k in kinds]
            if row == "income_total":
                inc = {v: k for k, v in _FUND_FIELD.items()}
                return [f"income.{inc[k]}" for k in kinds if k in inc]
            if row == "total":
                out += [f"appropriation_balances.{k}.closing" for k in kinds]
            row = "total" if row in ("total", "expenditure_total") else row
        if not (row == "total" or row.isdigit()):
            return out
        idx = self.lines_under(row)
        if table == "t05" and column in ("basic", "project", "budget"):
            cols: tuple[str, ...] = (column,)
        elif table == "t05":
            cols = ("basic", "project")
        elif table == "t03" and column in SPENDING_FIELDS:
            cols = (column,)
        else:
            cols = SPENDING_FIELDS
        out += self.item_paths(idx, cols)
        # the class / 款 rows of the same table and column (a 类 checked against its printed 款)
        if row == "total" or len(row) < 7:
            for j, line in enumerate(ds.expenditure):
                if line.level < 3 and (row == "total" and line.level == 1 or line.code.startswith(row) and line.code != row):
                    out += [f"expenditure[{j}].{c}" for c in cols if f"expenditure[{j}].{c}" in self.prov]
        return out

    def mirror(self, f: Finding) -> tuple[list[str], list[str]]:
        from juesuan.compute import derive as d
        from juesuan.rules.crosstable import MIRRORS

        ds = self.ds
        kuan = d.econ_kuan(ds.basic_econ + ds.project_econ)
        for econ, _, func, _ in MIRRORS:
            e = d.dsum([x.amount for x in kuan if x.code == econ])
            if f.found is not None and f.found.replace(",", "").startswith(f"{e:.2f}"):
                pe = [f"basic_econ[{j}].amount" for j, x in enumerate(ds.basic_econ) if x.code == econ]
                pe += [f"project_econ[{j}].amount" for j, x in enumerate(ds.project_econ) if x.code == econ]
                pf = self.item_paths([j for j in self.items if ds.expenditure[j].code == func])
                return pe[:1], pe + pf
        return [], []

    def perf(self, rule: str, path: str) -> tuple[list[str], list[str]]:
        m = re.match(r"(performance\.self_evaluations\[(\d+)\])(.*)", path)
        if not m:
            if path == "performance.general_amount":
                return [], self.item_paths(self.items, ("project",)) + self.stated_path("t05", "total", "project")
            if path == "performance.self_evaluations":
                n = len(self.ds.performance.self_evaluations)
                return [], ["performance.general_amount", "performance.fund_amount"] + [
                    f"performance.self_evaluations[{i}].funds.executed" for i in range(n)]
            return [], []
        base, i, rest = m.group(1), int(m.group(2)), m.group(3)
        ev = self.ds.performance.self_evaluations[i]
        n = len(ev.indicators)
        funds = [f"{base}.funds.annual_budget", f"{base}.funds.executed"]
        if rule == "perf.fund_parts" or rule == "perf.appropriation":
            field = rest.rsplit(".", 1)[-1]
            return [], [f"{base}.{blk}.{field}" for blk in ("funds", "appropriation", "carryover", "other_funds")]
        if rule in ("perf.funds_rate", "perf.funds_score"):
            return [], funds + [f"{base}.funds_rate", f"{base}.funds_score"]
        if rule in ("perf.total", "perf.total_rule"):
            return [], [f"{base}.funds_score"] + [f"{base}.indicators[{k}].score" for k in range(n)]
        if rule == "perf.weights":
            w = [f"{base}.indicators[{k}].weight" for k in range(n)]
            return [], w
        mi = re.match(r"\.indicators\[(\d+)\]", rest)
        if mi:
            k = mi.group(1)
            return [], [f"{base}.indicators[{k}].{x}" for x in ("weight", "target", "actual", "score")]
        return [], funds


def locate_findings(findings: list[Finding], ds: Dataset, prov: Provenance) -> list[Finding]:
    """Each dataset finding with the printed figure it is about, and the figures it was checked with."""
    loc = _Locator(ds, prov)
    out = []
    for f in findings:
        try:
            primary, related = loc.parts(f)
        except Exception:  # noqa: BLE001 - a finding keeps its own location rather than none
            out.append(f)
            continue
        where = f.location
        for p in primary:
            got = loc.loc(p)
            if got is not None:
                where = replace(got, path=f.location.path)
                break
        if where.line is None and where.cell is None:
            where = _first_located(loc, related, where)
        seen = {(where.page, where.line, where.cell)}
        rel: list[Location] = []
        for r in list(f.related) + [x for p in related if (x := loc.loc(p)) is not None]:
            key = (r.page, r.line, r.cell)
            if key in seen or (r.line is None and r.cell is None):
                continue
            seen.add(key)
            rel.append(r)
        out.append(replace(f, location=where, related=tuple(rel)))
    return out


def _first_located(loc: _Locator, paths: list[str], where: Location) -> Location:
    for p in paths:
        got = loc.loc(p)
        if got is not None:
            return replace(got, path=where.path)
    return where

