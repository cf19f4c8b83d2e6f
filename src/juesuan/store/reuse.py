"""What ``check`` and ``build`` take from the store when a dataset does not give it.

Last year's figures come from the current version of the same department's dataset
for the year before (through ``compute.lastyear.fill_last_year``, as a
``last_year.dataset`` file would give them); the texts that change little from year
to year — 部门职能, 主要职责, 机构设置 — from the newest earlier version that has them.
What was taken is said, so a reader of the output knows where it came from.
"""

from __future__ import annotations

from typing import Any

from juesuan.store import Store

__all__ = ["fill_from_store"]

_TEXTS = {"functions": "部门职能", "duties": "主要职责", "structure": "机构设置"}


def _versions(store: Store, name: str, kind: str, before: int) -> list[Any]:
    from sqlalchemy import select

    from juesuan.model.accounts import Dataset
    from juesuan.store.schema import DatasetVersion, Organisation

    with store.session() as s:  # type: ignore[attr-defined]
        rows = s.scalars(select(DatasetVersion).join(Organisation).where(
            Organisation.name == name, DatasetVersion.kind == kind, DatasetVersion.current.is_(True),
            DatasetVersion.year < before).order_by(DatasetVersion.year.desc())).all()
    return [(v.year, Dataset.model_validate_json(v.data)) for v in rows]


def fill_from_store(store: Store, dataset: Any, kind: str = "决算") -> tuple[Any, list[str]]:
    """``dataset`` with last year's figures and the reusable texts filled from the store, and
    what was taken (Chinese sentences); unchanged when the store has nothing for it."""
    from juesuan.compute.lastyear import fill_last_year

    notes: list[str] = []
    earlier = _versions(store, dataset.department.name, kind, dataset.year)
    previous = next((ds for year, ds in earlier if year == dataset.year - 1), None)
    given = dataset.last_year.model_dump(exclude_none=True)
    if previous is not None and not given and dataset.three_public.last_year is None:
        dataset = fill_last_year(dataset, previous)
        notes.append(f"上年数字取自数据库中 {dataset.department.name} {previous.year} 年的数据集")
    dept = dataset.department
    updates: dict[str, Any] = {}
    for field, label in _TEXTS.items():
        if getattr(dept, field):
            continue
        source = next(((year, getattr(ds.department, field)) for year, ds in earlier
                       if getattr(ds.department, field)), None)
        if source is not None:
            updates[field] = source[1]
            notes.append(f"{label}取自数据库中 {source[0]} 年的数据集")
    if updates:
        dataset = dataset.model_copy(update={"department": dept.model_copy(update=updates)})
    return dataset, notes
