"""舍位平衡 (rounding balance): the figures a disclosure prints, in 万元, adding up everywhere.

Why: a disclosure prints every amount in 万元 to two decimals.  Rounded parts
do not in general add up to their rounded total (50.23 + 5.24 = 55.47 元 is
5.02 + 0.52 ≠ 5.55 in tens).  The official final-accounts software (the 决算
软件 and the UFO-style report tools it descends from) therefore does 舍位平衡
when it converts 元 to 万元: after rounding each cell it adjusts cells by one
unit of the last place until every balance formula of the tables holds again
(5.02 + 0.53 = 5.55).  A reviewer rejects a table that does not add up, and a
figure printed twice must print the same value.

The convention implemented here, and why:

- **Totals keep their own rounding; parts absorb the difference.**  A total is
  rounded from the exact total, so it is the closest figure to the truth; the
  parts, each off by up to half a unit, are where the difference came from.
  A total a source states (``Dataset.stated``, the 合计 rows of pasted tables)
  is likewise kept, and so is the income side of 收入支出决算总表 (本年收入 is
  one figure per source; spending is the sum of many 项).
- **Which part absorbs.**  For a dataset in 元 (exact figures), the part whose
  dropped digits were the largest in the direction needed (largest remainder:
  0.524 becomes 0.53 before 5.023 becomes 5.03) — the part that rounding moved
  furthest.  For a dataset already in 万元 nothing finer is known, so the
  largest part absorbs (its relative change is the smallest).  Each part moves
  by at most one unit (0.01 万元) when that suffices; a part that is zero is
  never made non-zero; a part that would also fix another unbalanced total
  (or that would not break a balanced one) is preferred, so that one cent
  fixes 类, column and grand total at once.
- **Only rounding is balanced.**  A total further from its parts than the
  parts' rounding allows (n parts × 0.005 + 0.005) is a real inconsistency:
  it is left as it is for the checks to report, never hidden.

``balance_dataset`` is pure: it returns a new dataset in 万元 and the list of
adjustments (each cell that moved, and each stated total replaced by its
balanced value), which the build reports.  The audit never balances: a real
document that does not add up is read with rounding tolerance (a warning).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import BaseModel

from juesuan.compute import derive as d
from juesuan.compute.stated import TABLE_NAMES, StatedFigures, column_label, row_label, sum_keys
from juesuan.model.accounts import (
    INCOME_FIELDS,
    INCOME_LABELS,
    SPENDING_FIELDS,
    SPENDING_LABELS,
    AppropriationBalance,
    Dataset,
    FundKind,
)
from juesuan.model.money import ZERO, Unit, round2

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")


@dataclass(frozen=True)
class Adjustment:
    """One printed figure that differs from the plainly rounded one."""

    path: str  # model path, e.g. expenditure[10].basic, or stated[3]
    label: str  # Chinese: what the figure is
    before: Decimal  # in 万元: as given (万元 data) or as plainly rounded (元 data)
    after: Decimal  # in 万元, as printed

    def describe(self) -> str:
        return f"{self.label}：{self.before:,.2f} → {self.after:,.2f} 万元"


@dataclass
class Balanced:
    dataset: Dataset  # in 万元, balanced
    adjustments: list[Adjustment] = field(default_factory=list)
    unbalanced: list[str] = field(default_factory=list)  # Chinese: totals left as they are


# ----------------------------------------------------------------- cells


@dataclass
class _Cell:
    path: str
    label: str
    family: str
    get: Callable[[Dataset], Decimal]
    put: Callable[[Dataset, Decimal], None]
    row: int | None = None  # the index in ``expenditure`` of the 项 row it is part of


def _attr_cell(path: str, label: str, family: str, owner: Callable[[Dataset], object],
               name: str) -> _Cell:
    return _Cell(path, label, family, lambda ds: getattr(owner(ds), name),
                 lambda ds, v: setattr(owner(ds), name, v))


def _expenditure_cell(idx: int, fld: str, label: str) -> _Cell:
    def put(ds: Dataset, value: Decimal) -> None:
        line = ds.expenditure[idx]
        old = getattr(line, fld)
        setattr(line, fld, value)
        general = (line.appropriation or {}).get(FundKind.GENERAL)
        if fld in ("basic", "project") and general is not None and getattr(general, fld) == old:
            setattr(general, fld, value)  # the fund split follows its column

    return _Cell(f"expenditure[{idx}].{fld}", label, "expenditure",
                 lambda ds: getattr(ds.expenditure[idx], fld) or ZERO, put, idx)


def _cells(ds: Dataset) -> list[_Cell]:
    out = [_attr_cell(f"income.{f}", f"本年收入 {INCOME_LABELS[f]}", "income", lambda x: x.income, f)
           for f in INCOME_FIELDS]
    for idx, line in enumerate(ds.expenditure):
        if line.level != 3 or line.income is not None:
            continue
        for fld in (*SPENDING_FIELDS, "budget"):
            what = "年初预算" if fld == "budget" else SPENDING_LABELS[fld]
            out.append(_expenditure_cell(idx, fld, f"支出功能分类 {line.code} {line.name}（{what}）"))
    for part, title in (("basic_econ", "基本支出"), ("project_econ", "项目支出")):
        lines = getattr(ds, part)
        kuan = {id(e) for e in d.econ_kuan(lines)}
        for idx, e in enumerate(lines):
            if id(e) in kuan:
                out.append(_attr_cell(f"{part}[{idx}].amount", f"{title}经济分类 {e.code} {e.name}", part,
                                      lambda x, p=part, i=idx: getattr(x, p)[i], "amount"))
    for block in ("budget", "actual", "last_year"):
        if ds.three_public is None or getattr(ds.three_public, block, None) is None:
            continue  # not given (a unit's own dataset, a year without last year's figures)
        for f in ("abroad", "vehicle_purchase", "vehicle_operation", "reception"):
            out.append(_attr_cell(f"three_public.{block}.{f}", f"“三公”经费 {row_label(f)}（{column_label(block)}）",
                                  "three_public", lambda x, b=block: getattr(x.three_public, b), f))
    for f, label in (("goods", "货物"), ("works", "工程"), ("services", "服务")):
        if ds.procurement is None:
            break
        out.append(_attr_cell(f"procurement.{f}", f"政府采购{label}支出", "procurement",
                              lambda x: x.procurement, f))
    return out


# ----------------------------------------------------------------- balance formulas


@dataclass
class _Formula:
    """``value`` and ``target`` read the 项 rows only through the sums (``StatedFigures``).

    That is what lets the balancing know which formulas a 项 cell moves (those
    that read its sums) without evaluating the others.
    """

    label: str
    value: Callable[[Dataset, StatedFigures], Decimal | None]
    target: Callable[[Dataset, StatedFigures], Decimal | None]
    families: tuple[str, ...] = ()  # the cells that may absorb (empty: any)
    resettable: bool = False  # a stated total or subtotal row: shows the balanced sum afterwards

    def residual(self, ds: Dataset, sf: StatedFigures) -> Decimal | None:
        v, t = self.value(ds, sf), self.target(ds, sf)
        return None if v is None or t is None else v - t


def _stated_formula(table: str, row: str, column: str, target: Decimal, resettable: bool) -> _Formula:
    label = f"{TABLE_NAMES.get(table, table)}“{row_label(row)}”行“{column_label(column)}”列"
    return _Formula(label, lambda ds, sf: sf.expected(table, row, column), lambda ds, sf: target,
                    resettable=resettable)


def _standard_keys(ds: Dataset) -> list[tuple[str, str, str]]:
    """The totals the standard tables print (for data in 元, whose totals are exact)."""
    codes = sorted({i.code[:n] for i in ds.items() for n in (5, 3)}, key=lambda c: (-len(c), c))
    keys: list[tuple[str, str, str]] = []
    for code in codes:
        keys += [("t03", code, c) for c in ("basic", "project", "total")]
        keys += [("t05", code, c) for c in ("basic", "project", "total", "budget")]
    keys += [("t03", "total", c) for c in ("basic", "project", "total")]
    keys += [("t05", "total", c) for c in ("basic", "project", "total", "budget")]
    keys += [("t04", "expenditure_total", k.value) for k in FundKind]
    keys += [("t01", "income_total", "amount"), ("t01", "expenditure_total", "amount"),
             ("t06", "personnel", "amount"), ("t06", "public", "amount"), ("t06", "total", "amount"),
             ("t07", "total", "amount"), ("procurement", "total", "amount")]
    keys += [("t10", "total", c) for c in ("budget", "actual", "last_year")]
    return keys


def _subtotal_formulas(ds: Dataset) -> list[_Formula]:
    """Stated 类/款 rows of the function and economic classifications equal their parts."""
    out: list[_Formula] = []
    for row in ds.expenditure:
        if row.level == 3:
            continue
        for fld in SPENDING_FIELDS:
            given = getattr(row, fld)
            out.append(_Formula(
                f"支出功能分类 {row.code} {row.name}（{SPENDING_LABELS[fld]}）",
                lambda x, sf, c=row.code, f=fld: sf.sums(c).spending[f],
                lambda x, sf, g=given: g, resettable=True))
    for part in ("basic_econ", "project_econ"):
        lines = getattr(ds, part)
        with_kuan = {e.code[:3] for e in lines if e.level == 2}
        for e in lines:
            if e.level == 1 and e.code in with_kuan:
                out.append(_Formula(
                    f"经济分类 {e.code} {e.name}",
                    lambda x, sf, p=part, c=e.code: d.dsum(k.amount for k in getattr(x, p)
                                                           if k.level == 2 and k.code.startswith(c)),
                    lambda x, sf, g=e.amount: g, (part,), resettable=True))
    return out


def _identity_formulas() -> list[_Formula]:
    """The balance formulas that hold between tables whatever the source states."""

    def side(ds: Dataset, sf: StatedFigures) -> Decimal:
        b = ds.balances
        return d.income_total_all(ds) - b.distribution - b.closing

    def fund_side(kind: FundKind) -> Callable[[Dataset, StatedFigures], Decimal]:
        def target(ds: Dataset, sf: StatedFigures) -> Decimal:
            bal = ds.appropriation_balances.get(kind, AppropriationBalance())
            return d.appropriation_income(ds, kind) + bal.opening - bal.closing
        return target

    def econ_total(part: str) -> Callable[[Dataset, StatedFigures], Decimal | None]:
        def value(ds: Dataset, sf: StatedFigures) -> Decimal | None:
            lines = getattr(ds, part)
            return d.dsum(e.amount for e in d.econ_kuan(lines)) if lines else None
        return value

    out = [_Formula("收入支出决算总表 收入总计 = 支出总计", lambda ds, sf: sf.sums("total").total, side,
                    ("expenditure",))]
    out += [_Formula(f"财政拨款收入支出决算总表 {kind.value} 收支平衡",
                     lambda ds, sf, k=kind: sf.sums("total").funds[k], fund_side(kind), ("expenditure",))
            for kind in FundKind]
    out += [
        _Formula("基本支出经济分类合计 = 一般公共预算财政拨款基本支出", econ_total("basic_econ"),
                 lambda ds, sf: sf.sums("total").general["basic"], ("basic_econ",)),
        _Formula("项目支出经济分类合计 = 一般公共预算财政拨款项目支出", econ_total("project_econ"),
                 lambda ds, sf: sf.sums("total").general["project"], ("project_econ",)),
    ]
    return out


# ----------------------------------------------------------------- converting 元 to 万元


_MONEY_PARTS = ("income", "balances", "appropriation_balances", "budget", "expenditure", "basic_econ",
                "project_econ", "three_public", "operating_cost", "procurement", "last_year", "stated")
_PERF_MONEY = ("general_amount", "fund_amount", "dept_eval_general", "dept_eval_fund", "targets_amount",
               "tracking_amount", "self_eval_amount")


def _scale(obj: object, path: str, fn: Callable[[str, Decimal], Decimal]) -> object:
    """``obj`` with every Decimal inside replaced by ``fn(path, value)`` (models changed in place)."""
    if isinstance(obj, Decimal):
        return fn(path, obj)
    if isinstance(obj, list):
        return [_scale(v, f"{path}[{i}]", fn) for i, v in enumerate(obj)]
    if isinstance(obj, dict):
        return {k: _scale(v, f"{path}.{getattr(k, 'value', k)}", fn) for k, v in obj.items()}
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if value is not None and not isinstance(value, str | int | bool):
                setattr(obj, name, _scale(value, f"{path}.{name}", fn))
    return obj


def to_wan(ds: Dataset, places: int = 2) -> tuple[Dataset, Dataset, dict[str, Decimal]]:
    """A dataset in 元 as (exact in 万元, each figure rounded in 万元, rounding remainders by path)."""
    exact, rounded = ds.model_copy(deep=True), ds.model_copy(deep=True)
    remainders: dict[str, Decimal] = {}

    def div(_: str, v: Decimal) -> Decimal:
        return v / Unit.WAN.yuan

    def rnd(path: str, v: Decimal) -> Decimal:
        r = round2(v / Unit.WAN.yuan, places)
        remainders[path] = v / Unit.WAN.yuan - r
        return r

    for target, fn in ((exact, div), (rounded, rnd)):
        for part in _MONEY_PARTS:
            setattr(target, part, _scale(getattr(target, part), part, fn))
        for name in _PERF_MONEY:
            value = getattr(target.performance, name)
            if value is not None:
                setattr(target.performance, name, fn(f"performance.{name}", value))
        target.unit = Unit.WAN
    return exact, rounded, remainders


# ----------------------------------------------------------------- balancing


def _tolerance(n_parts: int) -> Decimal:
    return HALF_CENT * (max(n_parts, 1) + 1)


def _set(ds: Dataset, sf: StatedFigures, cell: _Cell, value: Decimal) -> None:
    """Give ``cell`` a new value, keeping the sums of the 项 rows up to date."""
    if cell.row is None:
        cell.put(ds, value)
    else:
        sf.update(ds.expenditure[cell.row], lambda: cell.put(ds, value))


def _residuals(ds: Dataset, sf: StatedFigures, formulas: list[_Formula]) -> list[Decimal | None]:
    return [f.residual(ds, sf) for f in formulas]


def _sensitivity(ds: Dataset, sf: StatedFigures, formulas: list[_Formula],
                 cells: list[_Cell]) -> dict[int, list[tuple[int, int]]]:
    """For each cell that may move (not zero), the formulas its one-cent change moves, and which way.

    A 项 cell can move only the formulas that read the sums it is part of
    (``StatedFigures.seen``), so only those are evaluated again; any other cell
    is tried against every formula.
    """
    base: list[Decimal | None] = []
    readers: dict[str, list[int]] = {}
    for fi, f in enumerate(formulas):
        sf.seen = set()
        base.append(f.residual(ds, sf))
        for key in sf.seen:
            readers.setdefault(key, []).append(fi)
    sf.seen = None
    everything = range(len(formulas))
    out: dict[int, list[tuple[int, int]]] = {}
    for ci, cell in enumerate(cells):
        old = cell.get(ds)
        if old == 0:
            continue  # a figure that is zero is never made non-zero
        if cell.row is None:
            candidates: Iterable[int] = everything
        else:
            keys = sum_keys(ds.expenditure[cell.row])
            candidates = sorted({fi for key in keys for fi in readers.get(key, ())})
        _set(ds, sf, cell, old + CENT)
        hits = []
        for fi in candidates:
            r = formulas[fi].residual(ds, sf)
            if r is not None and base[fi] is not None and r != base[fi]:
                hits.append((fi, 1 if r > base[fi] else -1))
        _set(ds, sf, cell, old)
        out[ci] = hits
    return out


def _mirrored(cells: list[_Cell], values: dict[int, Decimal]) -> set[int]:
    """The cells whose value another family's cell also has (a figure printed twice)."""
    families: dict[Decimal, set[str]] = {}
    for ci, v in values.items():
        families.setdefault(v, set()).add(cells[ci].family)
    return {ci for ci, v in values.items() if families[v] - {cells[ci].family}}


def _solve(ds: Dataset, formulas: list[_Formula], cells: list[_Cell],
           remainders: dict[str, Decimal]) -> list[bool]:
    """Move cells one cent at a time, always the move that fixes the most, while one helps.

    Each move lowers the total of the formulas' residuals (in cents), so the
    search ends.  Returns, for each formula, whether it held within rounding
    at the start (a rounding difference, not an error: only those are balanced).
    """
    sf = StatedFigures(ds)
    members = _sensitivity(ds, sf, formulas, cells)
    n_parts = [0] * len(formulas)
    for hits in members.values():
        for fi, _ in hits:
            n_parts[fi] += 1
    start = _residuals(ds, sf, formulas)
    within = [r is not None and abs(r) <= _tolerance(n) for r, n in zip(start, n_parts, strict=True)]
    mirrored = _mirrored(cells, {ci: cells[ci].get(ds) for ci in members})
    moved: dict[int, int] = {}
    for _ in range(4 * len(members) + 50):
        res = [f.residual(ds, sf) if ok else None for f, ok in zip(formulas, within, strict=True)]
        move = _best_move(ds, formulas, members, res, cells, moved, mirrored, remainders)
        if move is None:
            break
        ci, step = move
        _set(ds, sf, cells[ci], cells[ci].get(ds) + step)
        moved[ci] = moved.get(ci, 0) + 1
    return within


def _best_move(ds: Dataset, formulas: list[_Formula], members: dict[int, list[tuple[int, int]]],
               res: list[Decimal | None], cells: list[_Cell], moved: dict[int, int],
               mirrored: set[int], remainders: dict[str, Decimal]) -> tuple[int, Decimal] | None:
    best: tuple[tuple, int, Decimal] | None = None
    for ci, hits in members.items():
        cell = cells[ci]
        value = cell.get(ds)
        for step in (CENT, -CENT):
            if value + step <= 0 or moved.get(ci, 0) >= 2:
                continue
            gain, allowed = 0, False
            for fi, k in hits:
                r = res[fi]
                if r is None:
                    continue
                better = abs(r) - abs(r + k * step)
                gain += int(better / CENT)
                fams = formulas[fi].families
                allowed = allowed or (better > 0 and (not fams or cell.family in fams))
            if gain <= 0 or not allowed:
                continue
            rem = remainders.get(cell.path)
            fit = rem * (1 if step > 0 else -1) if rem is not None else ZERO
            key = (gain - 3 * moved.get(ci, 0) - (ci in mirrored), fit, abs(value))
            if best is None or key > best[0]:
                best = (key, ci, step)
    return None if best is None else (best[1], best[2])


def _refresh_subtotals(ds: Dataset) -> None:
    """Stated 类/款 rows (function and economic) show the sum of their balanced parts."""
    under: dict[str, list] = {}
    for i in ds.items():
        under.setdefault(i.code[:3], []).append(i)
        under.setdefault(i.code[:5], []).append(i)
    for row in ds.expenditure:
        if row.level == 3:
            continue
        parts = under.get(row.code, [])
        for fld in SPENDING_FIELDS:
            total = d.dsum(getattr(i, fld) for i in parts)
            if abs(total - getattr(row, fld)) <= _tolerance(len(parts)):
                setattr(row, fld, total)
    for part in ("basic_econ", "project_econ"):
        lines = getattr(ds, part)
        kuan_of: dict[str, list] = {}
        for k in lines:
            if k.level == 2:
                kuan_of.setdefault(k.code[:3], []).append(k)
        for e in lines:
            kuan = kuan_of.get(e.code, []) if e.level == 1 else []
            total = d.dsum(k.amount for k in kuan)
            if kuan and abs(total - e.amount) <= _tolerance(len(kuan)):
                e.amount = total


def balance_dataset(ds: Dataset) -> Balanced:
    """The dataset as it is printed: in 万元, every table adding up (see the module docstring)."""
    if ds.unit is Unit.YUAN:
        exact, work, remainders = to_wan(ds)
    else:
        exact, work, remainders = None, ds.model_copy(deep=True), {}
    before = work.model_copy(deep=True)
    cells = _cells(work)
    formulas = _subtotal_formulas(work)
    stated_at = {}
    sf = StatedFigures(work)
    for k, s in enumerate(work.stated):
        if sf.expected(s.table, s.row, s.column) is not None:
            stated_at[k] = len(formulas)
            formulas.append(_stated_formula(s.table, s.row, s.column, round2(s.value), True))
    if exact is not None:
        exact_sf = StatedFigures(exact)
        for table, row, column in _standard_keys(exact):
            value = exact_sf.expected(table, row, column)
            if value is not None:
                formulas.append(_stated_formula(table, row, column, round2(value), False))
    formulas += _identity_formulas()
    within = _solve(work, formulas, cells, remainders)
    _refresh_subtotals(work)
    adjustments = [Adjustment(c.path, c.label, c.get(before), c.get(work)) for c in cells
                   if c.get(before) != c.get(work)]
    sf = StatedFigures(work)  # the balanced 项 rows (the stated values below are not read by it)
    for k, s in enumerate(work.stated):
        now = sf.expected(s.table, s.row, s.column)
        if k in stated_at and within[stated_at[k]] and now is not None and now != s.value:
            label = f"{TABLE_NAMES.get(s.table, s.table)}“{row_label(s.row)}”行“{column_label(s.column)}”列（填写的合计）"
            adjustments.append(Adjustment(f"stated[{k}]", label, s.value, now))
            s.value = now
    # what still does not add up, now that stated totals and subtotal rows show the balanced sums
    kept = [f for f, ok in zip(formulas, within, strict=True) if ok and not f.resettable]
    unbalanced = list(dict.fromkeys(f"{f.label}：相差 {r:+,.2f} 万元" for f in kept
                                    if (r := f.residual(work, sf))))
    return Balanced(work, adjustments, unbalanced)
