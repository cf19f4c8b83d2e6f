"""The YAML dataset format: read with line numbers for every figure, write back readably.

The text is composed once (libyaml's C composer where it is installed, pure
Python otherwise) and the values are built from the node tree here; the tree
is kept beside them, and every value's line for provenance is read from it
when a location is first asked for (a budget unit's dataset, summed into its
department's, never asks).  Numbers are read as ``Decimal`` straight
from their text, so ``4499.46`` keeps its two decimal places (its rounding
tolerance) and never passes through float.  While building, limits hold:
nodes after alias expansion, nesting depth (and bytes before composing); a
duplicate key, ``.nan``, ``.inf`` or an absurd magnitude is an input error at
its line.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from juesuan.model.accounts import Dataset
from juesuan.model.findings import Location, Provenance
from juesuan.readers.errors import InputError
from juesuan.readers.limits import MAX_AMOUNT, env_limit, read_bounded

# real datasets are under 1 MB, a few thousand nodes and 8 levels deep
MAX_BYTES = env_limit("JUESUAN_MAX_YAML_BYTES", 20 * 1024 * 1024)
MAX_NODES = env_limit("JUESUAN_MAX_YAML_NODES", 200_000)
MAX_DEPTH = env_limit("JUESUAN_MAX_YAML_DEPTH", 64)
MAX_DIGITS = 40  # characters of a number's text

_C = getattr(yaml, "__with_libyaml__", False)
_BaseLoader = yaml.CSafeLoader if _C else yaml.SafeLoader
_BaseDumper = yaml.CSafeDumper if _C else yaml.SafeDumper


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe composer with no implicit dates (2024-10 stays text); values are built by ``_Builder``.

    A plain scalar's tag depends on its text only, so it is resolved once per
    distinct text (dataset files repeat their keys and many values).  There
    are no path resolvers, so the composer's two calls per node that track
    them do nothing: they are C built-ins that take the same arguments
    (``slice(parent, index)``, ``int()``), not Python frames.
    """

    descend_resolver = staticmethod(slice)
    ascend_resolver = staticmethod(int)

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode:  # no path resolvers: the default tags
            return _T + ("map" if kind is yaml.MappingNode else "seq")
        if not implicit[0]:  # quoted: text
            return _T + "str"
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(_RESOLVED) < 100_000 and len(value) < 200:
                _RESOLVED[value] = tag
        return tag


_RESOLVED: dict[str, str] = {}
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_SCALARS = yaml.constructor.SafeConstructor()  # YAML 1.1 booleans, nulls and 0x/0o/1:30 integers
_T = "tag:yaml.org,2002:"
_STR = _T + "str"
_MAPPING, _SEQUENCE, _SCALAR = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode


class _Builder:
    """Python values from a composed node tree, holding the limits (the lines are read later, see ``_lines``).

    The work is per container: a text scalar, most of a dataset, is taken
    where its container meets it, with no call of its own.
    """

    def __init__(self, file: str, max_nodes: int, max_depth: int) -> None:
        self.file = file
        self.max_nodes, self.max_depth = max_nodes, max_depth
        self.nodes = 1  # the root

    def fail(self, message: str, node: yaml.Node) -> InputError:
        return InputError(message, Location(file=self.file, line=node.start_mark.line + 1))

    def build(self, node: yaml.Node, depth: int) -> Any:
        """The value of ``node``, which is ``depth`` levels below the root."""
        cls = node.__class__
        if cls is _SCALAR:
            return node.value if node.tag == _STR else self.scalar(node)
        if cls is _MAPPING:
            return self.mapping(node, depth)
        if cls is _SEQUENCE:
            self.enter(node, depth, node.value)
            build, deeper = self.build, depth + 1
            return [item.value if item.__class__ is _SCALAR and item.tag == _STR else build(item, deeper)
                    for item in node.value]
        raise self.fail("无法识别的 YAML 节点", node)

    def enter(self, node: yaml.Node, depth: int, children: list[yaml.Node]) -> None:
        """Count a container's children (aliases expanded) and hold the depth before building them."""
        self.nodes += len(children)
        if self.nodes > self.max_nodes:
            raise self.fail(f"YAML 节点过多（展开别名后超过 {self.max_nodes:,} 个，可能是别名炸弹）"
                            "（可用环境变量 JUESUAN_MAX_YAML_NODES 调整）", node)
        if depth >= self.max_depth and children:
            raise self.fail(f"YAML 嵌套过深（超过 {self.max_depth} 层）"
                            "（可用环境变量 JUESUAN_MAX_YAML_DEPTH 调整）", children[0])

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        pairs = node.value
        self.enter(node, depth, [value for _, value in pairs])
        out: dict[Any, Any] = {}
        build, deeper = self.build, depth + 1
        for key_node, value_node in pairs:
            key = key_node.value if key_node.__class__ is _SCALAR and key_node.tag == _STR else self.key(key_node)
            if key in out:
                raise self.duplicate(pairs, key, key_node)
            if value_node.__class__ is _SCALAR and value_node.tag == _STR:
                out[key] = value_node.value
            else:
                out[key] = build(value_node, deeper)
        return out

    def key(self, node: yaml.Node) -> Any:
        if node.__class__ is not _SCALAR:
            raise self.fail("键应为文字，不能是列表或键值表", node)
        if node.tag == _T + "merge":
            raise self.fail("不支持 YAML 合并键“<<”：请把各项直接写出", node)
        return self.scalar(node)

    def duplicate(self, pairs: list[tuple[yaml.Node, yaml.Node]], key: Any, again: yaml.Node) -> InputError:
        first = next(k for k, _ in pairs if (k.value if k.tag == _STR else self.scalar(k)) == key)
        return self.fail(f"键“{again.value}”重复：第 {first.start_mark.line + 1} 行与第 {again.start_mark.line + 1} "
                         "行都写了它，请删去一处", again)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _T + "str":
            return text
        if tag == _T + "float":
            return self.number(text, node)
        if tag == _T + "int":
            if len(text) > MAX_DIGITS:
                raise self.fail(f"数值过大（{len(text)} 位数字），不是合理的金额、数量或年度", node)
            value = _SCALARS.construct_yaml_int(node)
            if abs(value) > MAX_AMOUNT:
                raise self.fail(f"数值过大（{text}），超过 10^15，不是合理的金额、数量或年度", node)
            return value
        if tag == _T + "bool":
            return _SCALARS.construct_yaml_bool(node)
        if tag == _T + "null":
            return None
        if tag == _T + "timestamp":
            return text
        raise self.fail(f"不支持的 YAML 标签“{tag}”", node)

    def number(self, text: str, node: yaml.ScalarNode) -> Decimal:
        clean = text.replace("_", "")
        if clean.lower().lstrip("+-") in (".inf", ".nan"):
            raise self.fail(f"“{text}”不是数字（无穷大或非数值），请填写金额", node)
        if len(clean) > MAX_DIGITS:
            raise self.fail(f"数值过长（{len(clean)} 个字符），不是合理的金额", node)
        try:
            value = Decimal(clean)
        except InvalidOperation:
            raise self.fail(f"“{text}”不是数字", node) from None
        if abs(value) > MAX_AMOUNT:
            raise self.fail(f"数值过大（{text}），超过 10^15，不是合理的金额", node)
        return value.copy_abs() if value.is_zero() else value  # -0.00 is 0.00


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


_BOUNDS = {"greater_than_equal": "不能小于", "greater_than": "应大于", "less_than_equal": "不能大于",
           "less_than": "应小于"}


def _bound_message(kind: str, bound: object) -> str:
    """“不能为负数” only for a bound of zero; any other bound (a year's 2000–2100) is said as it is."""
    if kind == "greater_than_equal" and str(bound) in ("0", "0.0"):
        return "不能为负数"
    return f"{_BOUNDS[kind]} {bound}（超出范围）"


def validation_problems(exc: ValidationError, prov: Provenance) -> list[tuple[str, Location]]:
    """Pydantic errors as Chinese messages at their source locations."""
    problems = []
    for e in exc.errors():
        path = _err_path(tuple(p for p in e["loc"] if not str(p).startswith("function-")))
        msg = e.get("msg", "")
        zh = _PYDANTIC_ZH.get(e["type"])
        if e["type"] == "value_error":
            zh = msg.removeprefix("Value error, ")
        elif e["type"] in _BOUNDS and e.get("ctx"):
            zh = _bound_message(e["type"], next(iter(e["ctx"].values())))
        elif e["type"] == "enum" and "expected" in e.get("ctx", {}):
            zh = f"取值应为 {e['ctx']['expected']} 之一"
        text = f"字段 {path}：{zh or msg}"
        if "input" in e and not isinstance(e["input"], dict | list):
            text += f"（填写的是“{e['input']}”）"
        problems.append((text, prov.get(path)))
    return problems


def parse_yaml(text: str, file: str, *, max_nodes: int | None = None,
               max_depth: int | None = None) -> tuple[Any, Provenance]:
    """The YAML text's value and the line of every value in it (composed once, built here)."""
    with no_cycle_collection():
        return _parse(text, file, max_nodes, max_depth)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while a reader builds many small acyclic objects (a quarter of the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _parse(text: str, file: str, max_nodes: int | None, max_depth: int | None) -> tuple[Any, Provenance]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = str(exc.problem or "")
        if "nesting depth" in problem:
            problem = "嵌套过深（超过 1000 层）"
        raise InputError(f"YAML 语法错误：{problem or exc}", Location(file=file, line=line)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML 语法错误：{exc}", Location(file=file)) from None
    except RecursionError:  # the pure-Python composer on very deep nesting
        raise InputError("YAML 嵌套过深（可用环境变量 JUESUAN_MAX_YAML_DEPTH 调整）", Location(file=file)) from None
    if node is None:
        return None, Provenance(Location(file=file))
    value = _Builder(file, max_nodes or MAX_NODES, max_depth or MAX_DEPTH).build(node, 0)
    return value, Provenance(Location(file=file), pending=lambda: _lines(node))


def _lines(root: yaml.Node) -> dict[str, Location | int]:
    """The line of every value of a built tree, by its model path (``expenditure[3].basic``).

    Read only when a location is asked for; the tree was built within the
    limits, so this walk is bounded too.
    """
    out: dict[str, Location | int] = {}

    def walk(node: yaml.Node, path: str) -> None:  # in document order, a scalar child without a call
        out[path] = node.start_mark.line + 1
        cls = node.__class__
        if cls is _MAPPING:
            prefix = f"{path}." if path else ""
            for key_node, value_node in node.value:
                if value_node.__class__ is _SCALAR:
                    out[prefix + key_node.value] = value_node.start_mark.line + 1
                else:
                    walk(value_node, prefix + key_node.value)
        elif cls is _SEQUENCE:
            for i, item in enumerate(node.value):
                if item.__class__ is _SCALAR:
                    out[f"{path}[{i}]"] = item.start_mark.line + 1
                else:
                    walk(item, f"{path}[{i}]")

    with no_cycle_collection():
        walk(root, "")
    return out


def read_mapping(path: Path, keys: str = "year、department、income …") -> tuple[dict, Provenance]:
    """A dataset file's top-level mapping and its lines, within the size and node limits
    (InputError otherwise); ``keys`` names what the mapping should hold, for the message."""
    file = str(path)
    raw = read_bounded(Path(path), MAX_BYTES, "JUESUAN_MAX_YAML_BYTES", "数据文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("文件不是 UTF-8 编码的文本（请另存为 UTF-8）", Location(file=file)) from None
    data, prov = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise InputError(f"不是数据集文件：顶层应为键值表（{keys}）", Location(file=file))
    return data, prov


def load_yaml(path: Path) -> tuple[Dataset, Provenance]:
    """Read a dataset YAML file; raise InputError with every problem found."""
    data, prov = read_mapping(path)
    return accounts_from_mapping(data, prov, str(path))


def accounts_from_mapping(data: dict[Any, Any], prov: Provenance, file: str) -> tuple[Dataset, Provenance]:
    """The final accounts of a parsed file; InputError with every problem, at its line."""
    try:
        return Dataset.model_validate(data), prov
    except ValidationError as exc:
        problems = validation_problems(exc, prov)
        raise InputError(f"数据集有 {len(problems)} 处错误", Location(file=file), problems) from None


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
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
