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
    from juesuan.readers.yaml_io import MAX_BYTES, parse_yaml, validation_problems

    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror}", Location(file=file)) from None
    if len(raw) > MAX_BYTES:
        raise InputError(f"文件过大（{len(raw) // 1024 // 1024} MB），数据文件不应超过 20 MB", Location(file=file))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("文件不是 UTF-8 编码的文本（请另存为 UTF-8）", Location(file=file)) from None
    data, prov = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise InputError("不是数据集文件：顶层应为键值表（kind、year、department、income …）", Location(file=file))
    try:
        return BudgetDataset.model_validate(data), prov
    except ValidationError as exc:
        problems = validation_problems(exc, prov)
        raise InputError(f"预算数据集有 {len(problems)} 处错误", Location(file=file), problems) from None
