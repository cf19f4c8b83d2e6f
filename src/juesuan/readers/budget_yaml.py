"""The budget dataset (``kind: 预算``) in YAML: read with a line number for every figure.

The final accounts' reader (``readers.yaml_io``) does the YAML itself (numbers as
Decimals, line numbers, Chinese validation messages); this module only picks the model.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from juesuan.model.budget import BudgetDataset
from juesuan.model.findings import Location, Provenance
from juesuan.readers.errors import InputError

__all__ = ["is_budget_yaml", "load_budget_yaml"]

# a top-level “kind: 预算” (quoted or not); the reader decides on the parsed value again
_KIND = re.compile(r"^kind\s*:\s*['\"]?预算['\"]?\s*(?:#.*)?$", re.M)


def is_budget_yaml(path: Path) -> bool:
    """Whether a YAML/JSON dataset file says ``kind: 预算`` (read cheaply; unreadable files are
    left to the final accounts' reader, which says why)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 20).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    return bool(_KIND.search(head)) or '"kind": "预算"' in head


def load_budget_yaml(path: Path) -> tuple[BudgetDataset, Provenance]:
    from juesuan.readers.yaml_io import read_mapping, validation_problems

    file = str(path)
    data, prov = read_mapping(path, "kind、year、department、income …")
    try:
        return BudgetDataset.model_validate(data), prov
    except ValidationError as exc:
        problems = validation_problems(exc, prov)
        raise InputError(f"预算数据集有 {len(problems)} 处错误", Location(file=file), problems) from None
