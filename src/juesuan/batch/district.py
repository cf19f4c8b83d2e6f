"""A district build's plan: which datasets to build and into which folder.

A dataset that names its budget units' own datasets (``department.units[].accounts``)
is a department: each unit is built on its own and the department's 汇总 (the sum of
its units, as ``juesuan build`` of the department gives it) beside them.  A folder
without a dataset of its own is searched for datasets (folders holding
``dataset.yaml``/``dataset.xlsx``, and loose ``.yaml``/``.xlsx`` files), each built into a
folder of its own name.  A workbook holding many units (``batch.workbook_units``) is split
into one workbook per unit in the run's work folder, and planned as a department.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Planned", "plan_builds"]

_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm")
_UNSAFE = re.compile(r"[\\/:*?\"<>|\s]+")


@dataclass
class Planned:
    label: str  # the output folder's name
    source: Path  # the dataset to build
    role: str  # 单位 / 汇总 / 数据集
    hashed: Path | None = None  # the file whose content identifies the build (None: the dataset's)


def safe_name(name: str) -> str:
    """A name usable as a file or folder name on every system."""
    return _UNSAFE.sub("_", name).strip("._") or "数据集"


def _dataset_in(folder: Path) -> Path | None:
    from juesuan.readers.errors import InputError
    from juesuan.readers.loader import resolve

    try:
        return resolve(folder)
    except InputError:
        return None


def _found(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if not p.is_dir() or _dataset_in(p) is not None:
            out.append(p)
            continue
        for root, dirs, files in os.walk(p):
            here = Path(root)
            if here != p and _dataset_in(here) is not None:
                out.append(here)
                dirs[:] = []
                continue
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out += [here / f for f in sorted(files) if Path(f).suffix.lower() in _SUFFIXES and not f.startswith(".")]
    return out


def _units(path: Path) -> tuple[str, list[tuple[str, Path]]]:
    """The department's name and its units' (name, dataset file); a dataset that cannot be
    read is planned as it is (its build records why)."""
    from juesuan.readers.errors import InputError
    from juesuan.readers.loader import load_dataset, resolve

    try:
        ds, _ = load_dataset(path)
        folder = resolve(path).parent
    except InputError:
        return path.stem, []
    units = [(u.name, folder / u.accounts) for u in ds.department.units if u.accounts]
    return ds.department.name or path.stem, units


def plan_builds(paths: Iterable[Path], work: Path | None = None) -> list[Planned]:
    """Every build of the run, each with a folder name unique in the run.  A many-unit
    workbook is split into ``work`` (a folder of the run's output); InputError when it cannot be."""
    from juesuan.batch.workbook_units import is_multi_unit, split_units

    out: list[Planned] = []
    for p in _found(paths):
        book = None
        if work is not None and is_multi_unit(p):
            book, p = p, split_units(p, work / safe_name(p.stem)) or p
        name, units = _units(p)
        if units:
            out += [Planned(safe_name(u), f, "单位", book) for u, f in units]
            out.append(Planned(safe_name(f"{name}（汇总）"), p, "汇总", book))
        else:
            out.append(Planned(safe_name(p.stem if p.is_file() else p.name), p, "数据集"))
    seen: dict[str, int] = {}
    for item in out:
        n = seen.get(item.label, 0)
        seen[item.label] = n + 1
        if n:
            item.label = f"{item.label}-{n + 1}"
    return out
