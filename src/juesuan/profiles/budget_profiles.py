"""Budget disclosure profiles (部门预算公开): ``profiles/budget/*.yaml``, data only.

A profile names the standard tables (id, title, aliases, whether required), the
explanations' topics and what their sentences mean (``meanings``: the comparison words
against last year's budget, the direction words, the figures a sentence names with the
table cell that prints them).  ``extends: national`` takes the baseline and replaces the
keys the profile gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["BudgetProfile", "list_budget_profiles", "load_budget_profile"]


@dataclass(frozen=True)
class TableSpec:
    id: str
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.title, *self.aliases)


@dataclass(frozen=True)
class BudgetProfile:
    id: str
    label: str
    tables: tuple[TableSpec, ...]
    sections: tuple[dict[str, Any], ...]
    meanings: dict[str, Any]
    parts: tuple[dict[str, Any], ...] = ()
    match_threshold: float = 0.7
    baseline: bool = False
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def table(self, table_id: str) -> TableSpec | None:
        return next((t for t in self.tables if t.id == table_id), None)


def _folder() -> Any:
    return resources.files("juesuan.profiles") / "budget"


def list_budget_profiles() -> list[str]:
    return sorted(f.name.removesuffix(".yaml") for f in _folder().iterdir() if f.name.endswith(".yaml"))


def _raw(name: str) -> dict[str, Any]:
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        f = _folder() / f"{name}.yaml"
        if not f.is_file():
            raise KeyError(f"没有预算公开样式“{name}”（可用：{'、'.join(list_budget_profiles())}）")
        text = f.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise KeyError(f"预算公开样式“{name}”不是键值表")
    base = data.get("extends")
    if base:
        merged = dict(_raw(base))
        merged.update({k: v for k, v in data.items() if k != "extends"})
        merged["baseline"] = False
        return merged
    return {**data, "baseline": True}


@cache
def load_budget_profile(name: str = "national") -> BudgetProfile:
    data = _raw(name)
    tables = tuple(TableSpec(t["id"], t["title"], tuple(t.get("aliases", ())), bool(t.get("required")))
                   for t in data.get("tables", ()))
    return BudgetProfile(data.get("id", name), data.get("label", name), tables, tuple(data.get("sections", ())),
                         dict(data.get("meanings", {})), tuple(data.get("parts", ())),
                         float(data.get("match_threshold", 0.7)), bool(data.get("baseline")), data)
