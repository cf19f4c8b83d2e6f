"""One entry point for every dataset input: a YAML file, a folder holding
``dataset.yaml``, or an Excel workbook.  Returns the dataset and where each
figure came from; raises ``InputError`` for input that cannot be used.
"""

from __future__ import annotations

from pathlib import Path

from juesuan.model.accounts import Dataset
from juesuan.model.findings import Location, Provenance
from juesuan.readers.errors import InputError

DATASET_FILE = "dataset.yaml"


def resolve(path: Path) -> Path:
    """The file behind a dataset argument (a folder means its dataset.yaml)."""
    if path.is_dir():
        for name in (DATASET_FILE, "dataset.yml", "dataset.xlsx"):
            if (path / name).is_file():
                return path / name
        raise InputError(f"文件夹中没有 {DATASET_FILE} 或 dataset.xlsx", Location(file=str(path)))
    if not path.exists():
        raise InputError("文件不存在", Location(file=str(path)))
    return path


def load_dataset(path: Path, _chain: tuple[Path, ...] = ()) -> tuple[Dataset, Provenance]:
    """Read any supported dataset input (and the datasets it names: units, last year).

    ``_chain`` holds the files that led here; a file naming itself, directly or
    through others, is an input error that names the chain.
    """
    if not _chain:
        from juesuan.readers.yaml_io import no_cycle_collection

        with no_cycle_collection():
            return _load(Path(path), ())
    return _load(Path(path), _chain)


def _load(path: Path, _chain: tuple[Path, ...]) -> tuple[Dataset, Provenance]:
    file = resolve(path)
    real = _real(file)
    if real in _chain:
        names = " → ".join(str(p) for p in (*_chain[_chain.index(real):], real))
        raise InputError(f"数据集互相引用成环：{names}（last_year.dataset 或单位的 accounts 不能指回自己）",
                         Location(file=str(file)))
    chain = (*_chain, real)
    suffix = file.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):  # JSON is YAML: `juesuan extract --format json` output loads too
        from juesuan.readers.budget_yaml import budget_from_mapping, is_budget_mapping
        from juesuan.readers.yaml_io import accounts_from_mapping, read_mapping

        data, prov = read_mapping(file)  # read and parsed once, whichever model it is
        if is_budget_mapping(data):  # kind: 预算 — a budget, not final accounts (model.budget)
            return budget_from_mapping(data, prov, str(file))  # type: ignore[return-value]

        dataset, prov = accounts_from_mapping(data, prov, str(file))
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        from juesuan.readers.budget_workbook import is_budget_workbook, read_budget_workbook
        from juesuan.readers.workbook import read_workbook

        if is_budget_workbook(file):
            return read_budget_workbook(file)  # type: ignore[return-value]

        dataset, prov = read_workbook(file)
    else:
        raise InputError(
            f"不支持的文件类型“{suffix or '无扩展名'}”：请提供 .yaml/.json 数据集或 .xlsx 工作簿",
            Location(file=str(file)),
        )
    dataset = _with_members(dataset, file, chain)
    dataset = _with_last_year(dataset, file, chain)
    return dataset, prov


def _real(file: Path) -> Path:
    try:
        return file.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the name as given
        return file.absolute()


def _with_members(dataset: Dataset, file: Path, chain: tuple[Path, ...]) -> Dataset:
    """Sum the budget units' own datasets into the department's (部门汇总)."""
    members = [u for u in dataset.department.units if u.accounts]
    if not members:
        return dataset
    from juesuan.compute.consolidate import consolidate

    parts = []
    for unit in members:
        sub, _ = load_dataset(file.parent / unit.accounts, chain)  # type: ignore[operator]
        parts.append(sub)
    try:
        return consolidate(dataset, parts)
    except ValueError as exc:
        raise InputError(str(exc), Location(file=str(file))) from None


def _with_last_year(dataset: Dataset, file: Path, chain: tuple[Path, ...]) -> Dataset:
    """Fill last year's comparison figures from last year's dataset, where named."""
    ref = dataset.last_year.dataset
    if not ref:
        return dataset
    from juesuan.compute.lastyear import fill_last_year

    previous, _ = load_dataset(file.parent / ref, chain)
    try:
        return fill_last_year(dataset, previous)
    except ValueError as exc:
        raise InputError(str(exc), Location(file=str(file))) from None
