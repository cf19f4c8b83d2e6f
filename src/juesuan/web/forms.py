"""The filler's forms for what a workbook export lacks: 政府采购, 国有资产占用 and the
performance self-evaluations (部门整体 and each 项目支出绩效自评表's texts).

The fields are the model's own (``Procurement``, ``Assets``/``Vehicles``, ``Performance``,
``SelfEvaluation``, ``Indicator``): a field's label is its Chinese description, its kind
(amount, count, text, lines) its type, so a new model field needs no change here.  Form
keys name the model path: ``proc:goods``, ``assets:vehicles.other``, ``perf:systems``,
``eval:summary:<项目名称>``, ``ind:deviation:<n>:<项目名称>``.  ``validate`` says in Chinese,
naming the field, why a value is refused; ``apply`` lays valid values over a dumped dataset.
Pure: no I/O, no HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, get_args

__all__ = ["FormField", "apply", "current", "field_for", "sections", "split_key", "validate"]

KINDS = ("proc", "assets", "perf", "eval", "ind")
# the performance fields that are the department's own prose: last year's text is offered
PROSE = {"systems", "mechanism", "key_evaluation", "summary", "problems", "improvements"}
_EVAL_FIELDS = ("goal", "achieved", "funds_rate", "funds_score", "total_score", "summary", "problems",
                "improvements")
_IND_FIELDS = ("actual", "deviation")
MAX_AMOUNT = Decimal("1e12")
MAX_COUNT = 1_000_000
MAX_TEXT = 20000


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    kind: str  # amount, count, text, lines


def _label(description: str | None, name: str) -> str:
    """The Chinese head of a model field's description ("车辆总数 as stated; …" → 车辆总数)."""
    m = re.match(r"[^A-Za-z;(]+", description or "")
    return m.group(0).strip() if m and m.group(0).strip() else name


def _kind(annotation: Any) -> str | None:  # noqa: ANN401 - a type annotation
    args = set(get_args(annotation)) | {annotation}
    flat = set()
    for a in args:
        flat |= set(get_args(a)) | {a}
    if any(getattr(a, "__origin__", None) is list for a in flat):
        return "lines"
    if Decimal in flat:
        return "amount"
    if int in flat and bool not in flat:
        return "count"
    return "text" if str in flat else None


def _fields(model: type, prefix: str, skip: tuple[str, ...] = (), only: tuple[str, ...] | None = None,
            suffix: str = "") -> list[FormField]:
    out = []
    names = only if only is not None else tuple(model.model_fields)  # type: ignore[attr-defined]
    for name in names:
        info = model.model_fields[name]  # type: ignore[attr-defined]
        kind = _kind(info.annotation)
        if name in skip or kind is None:
            continue
        out.append(FormField(f"{prefix}{name}{suffix}", _label(info.description, name), kind))
    return out


def sections(ds: Any) -> list[dict[str, Any]]:  # noqa: ANN401 - Dataset
    """The form's sections for ``ds``: title, fields (with the dataset's current values)."""
    from juesuan.model.accounts import (
        Assets,
        Indicator,
        Performance,
        Procurement,
        SelfEvaluation,
        Vehicles,
    )

    out = [{"id": "procurement", "title": "政府采购支出", "fields": _fields(Procurement, "proc:")},
           {"id": "assets", "title": "国有资产占用情况",
            "fields": _fields(Assets, "assets:", skip=("vehicles",)) + _fields(Vehicles, "assets:vehicles.")},
           {"id": "performance", "title": "预算绩效管理情况（部门整体）",
            "fields": _fields(Performance, "perf:", skip=("self_evaluations", "grade_counts"))}]
    for e in ds.performance.self_evaluations:
        fields = _fields(SelfEvaluation, "eval:", only=_EVAL_FIELDS, suffix=f":{e.name}")
        for j, ind in enumerate(e.indicators):
            for f in _fields(Indicator, "ind:", only=_IND_FIELDS, suffix=f":{j}:{e.name}"):
                fields.append(FormField(f.key, f"{ind.name}：{f.label}", f.kind))
        out.append({"id": f"eval-{len(out)}", "title": f"项目支出绩效自评：{e.name}", "fields": fields})
    data = ds.model_dump(mode="python", by_alias=True)
    for sec in out:
        sec["values"] = {f.key: _shown(current(data, f.key), f.kind) for f in sec["fields"]}
    return out


def _shown(value: Any, kind: str) -> str:  # noqa: ANN401
    if value is None:
        return ""
    if kind == "lines":
        return "\n".join(value)
    if kind == "amount":
        return format(value, "f")
    return str(value)


def split_key(key: str) -> tuple[str, str, int | None, str]:
    """(kind, field, indicator number, project) of a form key."""
    kind, _, rest = key.partition(":")
    if kind == "eval":
        field, _, project = rest.partition(":")
        return kind, field, None, project
    if kind == "ind":
        field, _, rest = rest.partition(":")
        j, _, project = rest.partition(":")
        return kind, field, int(j) if j.isdigit() else -1, project
    return kind, rest, None, ""


def field_for(key: str) -> FormField | None:
    """The field a form key names (None for a key that names no field of these forms)."""
    from juesuan.model.accounts import (
        Assets,
        Indicator,
        Performance,
        Procurement,
        SelfEvaluation,
        Vehicles,
    )

    kind, field, j, project = split_key(key)
    model = {"proc": Procurement, "perf": Performance, "eval": SelfEvaluation, "ind": Indicator}.get(kind)
    allowed: tuple[str, ...] | None = {"eval": _EVAL_FIELDS, "ind": _IND_FIELDS}.get(kind)
    if kind == "assets":
        model, field = (Vehicles, field[9:]) if field.startswith("vehicles.") else (Assets, field)
    if model is None or field not in model.model_fields or (allowed and field not in allowed) or \
            (kind in ("eval", "ind") and not project) or j == -1 or field in ("vehicles", "self_evaluations"):
        return None
    found = _fields(model, "", only=(field,))
    if not found:
        return None
    label = found[0].label
    if kind == "assets" and model is Vehicles:
        label = f"车辆：{label}"
    elif kind == "eval":
        label = f"{project}：{label}"
    elif kind == "ind":
        label = f"{project} 第 {j + 1} 个绩效指标：{label}"  # type: ignore[operator]
    return FormField(key, label, found[0].kind)


def _parse(f: FormField, raw: str) -> Any:  # noqa: ANN401
    """The value of ``raw`` for the field; ValueError (a Chinese reason) when it is not one."""
    text = raw.strip()
    if f.kind in ("text", "lines"):
        if len(text) > MAX_TEXT:
            raise ValueError(f"超过 {MAX_TEXT} 字")
        return [ln.strip() for ln in text.splitlines() if ln.strip()] if f.kind == "lines" else text
    number = text.replace(",", "").replace("，", "").replace(" ", "")
    if f.kind == "count":
        if not re.fullmatch(r"\d{1,7}", number) or int(number) > MAX_COUNT:
            raise ValueError(f"“{text}”不是个数（填 0 或正整数）")
        return int(number)
    try:
        value = Decimal(number)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是金额（填数字，如 12.34）") from None
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        raise ValueError(f"“{text}”不是有效金额（不能为负数，且小于 1 万亿）")
    if value.as_tuple().exponent < -6:  # type: ignore[operator]
        raise ValueError(f"“{text}”的小数位过多（最多 6 位）")
    return value


def validate(key: str, raw: str, where: str = "") -> str | None:
    """None when ``raw`` is a valid value for the field ``key`` (an empty value always is:
    it leaves the dataset's own); else a Chinese message naming the field."""
    f = field_for(key)
    if f is None:
        return f"{where}没有这一栏：{key[:80]}"
    if not raw.strip():
        return None
    try:
        _parse(f, raw)
    except ValueError as exc:
        return f"{where}{f.label}：{exc}"
    return None


def _target(data: dict[str, Any], key: str) -> tuple[dict[str, Any], str] | None:
    """The dumped dict holding the field ``key`` and the field's name in it (None: no such place)."""
    kind, field, j, project = split_key(key)
    if kind == "proc":
        return data.setdefault("procurement", {}), field
    if kind == "assets":
        assets = data.setdefault("assets", {})
        if field.startswith("vehicles."):
            return assets.setdefault("vehicles", {}), field[9:]
        return assets, field
    perf = data.setdefault("performance", {})
    if kind == "perf":
        return perf, field
    project_row = next((e for e in perf.get("self_evaluations", []) if e.get("name") == project), None)
    if project_row is None:
        return None
    if kind == "eval":
        return project_row, field
    indicators = project_row.get("indicators", [])
    return (indicators[j], field) if j is not None and 0 <= j < len(indicators) else None


def current(data: dict[str, Any], key: str) -> Any:  # noqa: ANN401
    """The value of the field ``key`` in the dumped dataset ``data`` (None when it has none)."""
    place = _target(data, key)
    return None if place is None else place[0].get(place[1])


def apply(data: dict[str, Any], key: str, raw: str) -> None:
    """Lay one form value over the dumped dataset ``data`` (an empty or invalid value, or one
    whose project is no longer in the dataset, leaves it as it is)."""
    f = field_for(key)
    if f is None or not raw.strip():
        return
    try:
        value = _parse(f, raw)
    except ValueError:
        return
    place = _target(data, key)
    if place is not None:
        place[0][place[1]] = value
