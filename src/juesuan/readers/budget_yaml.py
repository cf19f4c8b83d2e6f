"""The budget dataset (``kind: 预算``) in YAML: read with a line number for every figure.

The final accounts' reader (``readers.yaml_io``) does the YAML itself (numbers as
Decimals, line numbers, Chinese validation messages); this module only picks the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from juesuan.model.budget import BudgetDataset
from juesuan.model.findings import Location, Provenance
from juesuan.readers.errors import InputError

__all__ = ["budget_from_mapping", "is_budget_mapping", "load_budget_yaml"]


def is_budget_mapping(data: dict[Any, Any]) -> bool:
    """Whether a parsed dataset file says ``kind: 预算`` at its top level."""
    return data.get("kind") == "预算"


def budget_from_mapping(data: dict[Any, Any], prov: Provenance, file: str) -> tuple[BudgetDataset, Provenance]:
    """The budget dataset of a parsed file; InputError with every problem, at its line."""
    from juesuan.readers.yaml_io import validation_problems

    try:
        return BudgetDataset.model_validate(data), prov
    except ValidationError as exc:
        problems = validation_problems(exc, prov)
        raise InputError(f"预算数据集有 {len(problems)} 处错误", Location(file=file), problems) from None


def load_budget_yaml(path: Path) -> tuple[BudgetDataset, Provenance]:
    from juesuan.readers.yaml_io import read_mapping

    data, prov = read_mapping(path, "kind、year、department、income …")
    return budget_from_mapping(data, prov, str(path))
