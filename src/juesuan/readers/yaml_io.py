"""The YAML dataset format: read with line numbers for every figure, write back readably.

Numbers are read as ``Decimal`` straight from their text, so ``4499.46`` keeps
its two decimal places (its rounding tolerance) and never passes through float.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from juesuan.model.accounts import Dataset
from juesuan.model.findings import Location, Provenance
from juesuan.readers.errors import InputError

MAX_BYTES = 20 * 1024 * 1024


class _Loader(yaml.SafeLoader):
    """SafeLoader whose numbers are Decimals, and no implicit dates."""


def _decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
# keep 2024-10 style dates as text
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk(node: yaml.Node, path: str, file: str, prov: Provenance) -> None:
    prov.set(path, Location(file=file, line=node.start_mark.line + 1))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value
            _walk(value, f"{path}.{k}" if path else str(k), file, prov)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", file, prov)


def _err_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_PYDANTIC_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段（拼写错误？）",
    "decimal_parsing": "不是数字",
    "int_parsing": "不是整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "不能为负数",
    "less_than_equal": "超出范围",
    "enum": "取值不在允许范围内",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为键值表",
    "model_type": "应为键值表",
}


def validation_problems(exc: ValidationError, prov: Provenance) -> list[tuple[str, Location]]:
    """Pydantic errors as Chinese messages at their source locations."""
    problems = []
    for e in exc.errors():
        path = _err_path(tuple(p for p in e["loc"] if not str(p).startswith("function-")))
        msg = e.get("msg", "")
        zh = _PYDANTIC_ZH.get(e["type"])
        if e["type"] == "value_error":
            zh = msg.removeprefix("Value error, ")
        elif e["type"] == "enum" and "expected" in e.get("ctx", {}):
            zh = f"取值应为 {e['ctx']['expected']} 之一"
        text = f"字段 {path}：{zh or msg}"
        if "input" in e and not isinstance(e["input"], dict | list):
            text += f"（填写的是“{e['input']}”）"
        problems.append((text, prov.get(path)))
    return problems


def parse_yaml(text: str, file: str) -> tuple[Any, Provenance]:
    prov = Provenance(Location(file=file))
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise InputError(f"YAML 语法错误：{exc.problem or exc}", Location(file=file, line=line)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML 语法错误：{exc}", Location(file=file)) from None
    if node is not None:
        _walk(node, "", file, prov)
    return data, prov


def load_yaml(path: Path) -> tuple[Dataset, Provenance]:
    """Read a dataset YAML file; raise InputError with every problem found."""
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
        raise InputError("不是数据集文件：顶层应为键值表（year、department、income …）", Location(file=file))
    try:
        return Dataset.model_validate(data), prov
    except ValidationError as exc:
        problems = validation_problems(exc, prov)
        raise InputError(f"数据集有 {len(problems)} 处错误", Location(file=file), problems) from None


class _Dumper(yaml.SafeDumper):
    """Plain YAML for people: a value shared by two fields is written twice, not as &anchor/*alias."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _repr_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _repr_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(Decimal, _repr_decimal)
_Dumper.add_representer(str, _repr_str)


def dump_yaml(dataset: Dataset) -> str:
    """The dataset as YAML text: the fields that were given, each as written (so 0.00 stays 0.00)."""
    data = dataset.model_dump(mode="python", by_alias=True, exclude_unset=True)
    data.setdefault("year", dataset.year)
    data = _plain(data)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _plain(value: Any) -> Any:
    """Enums to their values, recursively (the YAML stays plain data)."""
    from enum import Enum

    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value
