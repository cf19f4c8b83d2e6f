"""Compare a source dataset with the one recovered from its published document, figure by figure.

``published_figures(ds)`` lists the figures a disclosure prints (path → value):
every 项's basic / project / 年初预算, the income sources, the balances, the
“三公” budget / actual amounts and counts, the operating cost, procurement,
vehicles, and the self-evaluation tables (funds, indicator weights and scores,
total score).  ``compare(source, recovered)`` gives the recovered share and
the figures that came back wrong or not at all.  Used by the round-trip tests
and the accuracy benchmark: what we publish, we must read back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from juesuan.model.accounts import INCOME_FIELDS, Dataset

__all__ = ["Comparison", "compare", "published_figures"]

_TP = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")


def published_figures(ds: Dataset) -> dict[str, Any]:
    """path → value of every figure a disclosure of ``ds`` prints (zero figures included)."""
    out: dict[str, Any] = {}
    for line in ds.expenditure:
        if len(line.code) != 7:
            continue
        p = f"expenditure[{line.code}]"
        out[f"{p}.basic"] = line.basic
        out[f"{p}.project"] = line.project
        if line.budget is not None:
            out[f"{p}.budget"] = line.budget
    for f in INCOME_FIELDS:
        out[f"income.{f}"] = getattr(ds.income, f)
    for f in ("use_of_balance", "opening", "distribution", "closing"):
        out[f"balances.{f}"] = getattr(ds.balances, f)
    tp = ds.three_public
    for kind in ("budget", "actual"):
        for f in _TP:
            out[f"three_public.{kind}.{f}"] = getattr(getattr(tp, kind), f)
    for f, v in tp.counts.model_dump().items():
        out[f"three_public.counts.{f}"] = v
    if ds.operating_cost.amount is not None:
        out["operating_cost.amount"] = ds.operating_cost.amount
    for f in ("goods", "works", "services", "sme", "small_micro"):
        out[f"procurement.{f}"] = getattr(ds.procurement, f)
    for f, v in ds.assets.vehicles.model_dump().items():
        out[f"assets.vehicles.{f}"] = v
    out["assets.equipment_1m"] = ds.assets.equipment_1m
    for ev in ds.performance.self_evaluations:
        p = f"self_evaluation[{ev.name}]"
        for f in ("initial_budget", "annual_budget", "executed"):
            out[f"{p}.funds.{f}"] = getattr(ev.funds, f)
        if ev.total_score is not None:
            out[f"{p}.total_score"] = ev.total_score
        for k, ind in enumerate(ev.indicators):
            out[f"{p}.indicators[{k}].weight"] = ind.weight
            if ind.score is not None:
                out[f"{p}.indicators[{k}].score"] = ind.score
    return out


@dataclass
class Comparison:
    total: int = 0
    recovered: int = 0
    wrong: list[tuple[str, Any, Any]] = field(default_factory=list)  # (path, source, recovered)

    @property
    def share(self) -> float:
        return self.recovered / self.total if self.total else 1.0

    def describe(self, limit: int = 20) -> str:
        head = f"{self.recovered}/{self.total} ({100 * self.share:.1f} %)"
        rest = [f"  {p}: 源 {a!r} 读回 {b!r}" for p, a, b in self.wrong[:limit]]
        return "\n".join([head, *rest])


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return Decimal(a or 0) == Decimal(b or 0)
        except (TypeError, ArithmeticError):
            return False
    return (a or 0) == (b or 0)


def compare(source: Dataset, recovered: Dataset, *, printed_only: bool = True) -> Comparison:
    """Figure by figure: ``recovered`` against ``source``.

    With ``printed_only`` a zero source figure counts only when it came back as
    something else (an omitted zero prints as a blank cell or not at all).
    """
    want, got = published_figures(source), published_figures(recovered)
    out = Comparison()
    for path, value in want.items():
        back = got.get(path)
        ok = _same(value, back)
        if printed_only and ok and not value:
            continue
        out.total += 1
        if ok:
            out.recovered += 1
        else:
            out.wrong.append((path, value, back))
    return out
