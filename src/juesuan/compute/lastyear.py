"""Last year's comparison figures, taken from last year's dataset when one is named."""

from __future__ import annotations

from juesuan.compute import derive as d
from juesuan.model.accounts import Dataset, FundKind, LastYear
from juesuan.model.money import convert


def last_year_from(previous: Dataset, unit) -> LastYear:  # noqa: ANN001 - Unit
    """The LastYear block implied by last year's full dataset, in ``unit``."""

    def c(v):  # noqa: ANN001, ANN202
        return convert(v, previous.unit, unit)

    def scaled(model):  # noqa: ANN001, ANN202
        return type(model).model_validate({k: c(v) for k, v in model.model_dump().items()})

    kinds = d.spending_by_kind(previous)
    return LastYear(
        income=scaled(previous.income),
        balances=scaled(previous.balances),
        basic=c(kinds["basic"]),
        project=c(kinds["project"]),
        expenditure=c(d.spending_total(previous)),
        appropriation_total=c(d.appropriation_total(previous)),
        general_expenditure=c(d.fund_spending(previous, FundKind.GENERAL).total),
        gov_fund_expenditure=c(d.fund_spending(previous, FundKind.GOV_FUND).total),
        state_capital_expenditure=c(d.fund_spending(previous, FundKind.STATE_CAPITAL).total),
    )


def fill_last_year(dataset: Dataset, previous: Dataset) -> Dataset:
    """Figures given directly in ``dataset.last_year`` win; the rest come from ``previous``."""
    if previous.year != dataset.year - 1:
        raise ValueError(f"上年数据集的年度为 {previous.year}，应为 {dataset.year - 1}")
    derived = last_year_from(previous, dataset.unit)
    given = dataset.last_year.model_dump(exclude_none=True)
    merged = {**derived.model_dump(exclude_none=True), **given}
    tp = dataset.three_public
    updates: dict = {"last_year": LastYear.model_validate(merged)}
    if tp.last_year is None:
        prev_tp = previous.three_public.actual.model_dump()
        updates["three_public"] = tp.model_copy(update={"last_year": type(tp.actual).model_validate(
            {k: convert(v, previous.unit, dataset.unit) for k, v in prev_tp.items()})})
    if dataset.operating_cost.last_year is None:
        updates["operating_cost"] = dataset.operating_cost.model_copy(
            update={"last_year": convert(d.operating_cost(previous), previous.unit, dataset.unit)})
    return dataset.model_copy(update=updates)
