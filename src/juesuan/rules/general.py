"""Required content and the year: what a disclosure cannot do without."""

from __future__ import annotations

import re

from juesuan.model.findings import Severity
from juesuan.rules.engine import Context, Reporter
from juesuan.rules.registry import rule


def _profile_has_contact(name: str) -> bool:
    """Whether the dataset's profile publishes a contact section (unknown profile: assume so)."""
    from juesuan.profiles import load_profile

    try:
        return load_profile(name).part("contact") is not None
    except KeyError:
        return True


@rule(
    "required.field",
    Severity.ERROR,
    "缺少必填内容",
    "缺少{what}",
    "部门名称、部门职能、决算单位构成是公开文档必须有的内容；公开样式含“联系方式”部分时（如内蒙古），"
    "联系人和联系电话也必须有（上海模板没有这一部分）。",
    ("required",),
)
def required_fields(ctx: Context, report: Reporter) -> None:
    ds = ctx.dataset
    dep = ds.department
    checks = [
        (dep.name.strip(), "department.name", "部门名称"),
        (dep.functions.strip() or "".join(dep.duties).strip(), "department.functions", "部门职能（主要职能、职责）"),
        (dep.units, "department.units", "决算单位构成（纳入部门决算的单位）"),
    ]
    if _profile_has_contact(ds.profile):
        checks += [
            (ds.contact.person.strip(), "contact.person", "决算公开联系人"),
            (ds.contact.phone.strip(), "contact.phone", "联系电话"),
        ]
    if "texts" in ds.not_given:  # only the tables were given (data.not_given says so): the name alone
        checks = checks[:1]
    for value, path, what in checks:
        if not value:
            report(path, what=what)


_PHONE = re.compile(r"^(\(?0\d{2,3}\)?[-－ ]?)?\d{7,8}([-－转]\d{1,6})?$|^1\d{10}$")


@rule(
    "required.phone_format",
    Severity.WARNING,
    "联系电话格式不完整",
    "联系电话“{found}”不像完整的电话号码（应为 区号-号码，或 11 位手机号）",
    "联系电话应能拨通：区号-7/8 位号码（可带分机号），或 11 位手机号；常见错误是号码被截断或末尾多了连字符。",
    ("required", "contact"),
)
def phone_format(ctx: Context, report: Reporter) -> None:
    phones = [p for p in re.split(r"[、,，;；/]", ctx.dataset.contact.phone) if p.strip()]
    for phone in phones:
        if not _PHONE.match(phone.strip().replace("—", "-")):
            report("contact.phone", found=phone.strip())


_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?\s*(?:部门|单位)?\s*(?:汇总)?\s*(?:决算|预算)")


def _texts(ctx: Context):  # noqa: ANN202 - yields (path, text)
    ds = ctx.dataset
    dep = ds.department
    yield "department.scope", dep.scope
    yield "department.structure", dep.structure
    for key, text in ds.reasons.items():
        yield f"reasons.{key}", text
    for key, text in ds.texts.items():
        yield f"texts.{key}", text
    for idx, item in enumerate(ds.expenditure):
        yield f"expenditure[{idx}].reason", item.reason


@rule(
    "year.consistent",
    Severity.WARNING,
    "年度不一致",
    "文字中写的是“{found}”，而本决算年度为 {expected} 年（是否沿用了往年的文字？）",
    "说明文字中提到的决算年度应与数据集年度一致；提到往年或下年的决算（如“2022年部门汇总决算”出现在 2023 "
    "年度的文档中）通常是复制旧文档留下的错误。比较上年的句子（“上年”“与…年相比”）不在此列。",
    ("year",),
)
def year_consistent(ctx: Context, report: Reporter) -> None:
    year = ctx.dataset.year
    for path, text in _texts(ctx):
        for m in _YEAR.finditer(text or ""):
            if int(m.group(1)) != year:
                report(path, expected=year, found=m.group(0))


@rule(
    "data.not_given",
    Severity.WARNING,
    "数据不完整",
    "数据来源未给出{what}：依赖这些数字的检查未运行，生成的公开表中相应数字不可靠",
    "数据集可以声明来源没有给出的部分（not_given，例如从不附公开表的文字中恢复的数据没有各项支出的"
    "基本/项目划分）；这样的数据集可以检查，但不应据此生成公开文档。",
    ("required",),
)
def not_given(ctx: Context, report: Reporter) -> None:
    from juesuan.model.accounts import NOT_GIVEN

    if ctx.dataset.not_given:
        report("not_given", what="、".join(NOT_GIVEN.get(k, k) for k in ctx.dataset.not_given))


@rule(
    "input.not_read",
    Severity.INFO,
    "输入中未读取的内容",
    "{what}",
    "数据输入（如只含公开表格的工作簿、juesuan 自己生成的部门决算表.xlsx）不含文字说明、变动原因、负责人等"
    "只能在模板或 YAML 数据集中填写的内容时，说明哪些内容未读取、取自何处；不是错误。",
    ("input",),
)
def input_not_read(ctx: Context, report: Reporter) -> None:
    for message, where in getattr(ctx.provenance, "notes", []):
        report(where, what=message)
