"""The audit's checks as registered rules: each declares the rules it reports and what it needs.

Like the dataset rules (``rules.registry``), an audit check says up front which
rule ids it can report and which parts of the recovered document it needs —
readable tables, sentences read with the profile's patterns, sentences read by
the generic reader, a recovered dataset, sentences of a declared role.  The
runner computes from that what ran and what was not checked, and why; it runs
only the checks whose rules ``--select``/``--skip`` keep, as ``juesuan check``
does.  A check that crashes is a finding of its own (``audit.check_crashed``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from juesuan.audit.auditor import Auditor
from juesuan.model.findings import Location

__all__ = ["NEEDS", "AuditCheck", "Need", "role", "run_registered", "selected"]


@dataclass(frozen=True)
class Need:
    """A part of the recovered document a check needs, and what to say when it is absent."""

    name: str
    present: Callable[[Auditor], bool]
    missing: str


def _tables(a: Auditor, trusted: bool) -> bool:
    return any(not k.startswith("se") and t.rows and not (trusted and t.uncertain) for k, t in a.ex.tables.items())


NEEDS: dict[str, Need] = {n.name: n for n in (
    Need("tables", lambda a: _tables(a, False), "文档中没有读到公开表"),
    Need("trusted_tables", lambda a: _tables(a, True), "文档没有可用的公开表（没有附表，或读出的表不能自洽）"),
    Need("claims", lambda a: any(not c.context.get("generic") for c in a.ex.claims),
         "说明中没有按公开样式的句式读到句子"),
    Need("generic", lambda a: any(c.context.get("generic") for c in a.ex.claims), "说明中没有按通用句式读到句子"),
    Need("dataset", lambda a: getattr(a, "dataset", None) is not None, "恢复的数据无法组成数据集"),
    Need("sections", lambda a: bool(a.ex.recognition.sections), "没有找到说明的各节"),
    Need("self_evaluations", lambda a: any(k.startswith("se") for k in a.ex.tables), "没有读到项目支出绩效自评表"),
)}


def role(name: str, what: str) -> Need:
    """Sentences of a declared role (``meanings:`` of the profile): ``what`` names them for the reason."""
    from juesuan.audit.checks_roles import with_role

    return Need(f"role:{name}", lambda a: bool(with_role(a, name)), f"说明中没有读到{what}的句子")


@dataclass(frozen=True)
class AuditCheck:
    fn: Callable[[Auditor], None]
    rules: tuple[str, ...]  # every rule id the check can report
    needs: tuple[Need | str, ...] = ()  # names of NEEDS, or Need objects (roles)

    @property
    def name(self) -> str:
        return self.fn.__name__


def selected(rule: str, select: tuple[str, ...], skip: tuple[str, ...]) -> bool:
    """Whether ``--select``/``--skip`` (rule id prefixes) keep ``rule``."""
    if select and not any(rule.startswith(p) for p in select):
        return False
    return not any(rule.startswith(p) for p in skip)


def run_registered(a: Auditor, checks: tuple[AuditCheck, ...], select: tuple[str, ...] = (),
                   skip: tuple[str, ...] = ()) -> None:
    """Run each check whose needs are met; record what ran and what could not, and why."""
    from juesuan.audit.deadline import deadline_check

    for check in checks:
        deadline_check()
        rules = tuple(r for r in check.rules if selected(r, select, skip))
        if not rules:
            continue
        needs = [NEEDS[n] if isinstance(n, str) else n for n in check.needs]
        lacking = [n.missing for n in needs if not n.present(a)]
        if lacking:
            a.skip("、".join(rules), "；".join(dict.fromkeys(lacking)))
            continue
        a.declared = check.rules
        try:
            check.fn(a)
        except Exception as exc:  # noqa: BLE001 - one check must not stop the audit
            a.declared = None
            from juesuan.readers.errors import plain_reason

            a.emit("audit.check_crashed", Location(file=a.ex.path), check=check.name, error=plain_reason(exc))
            a.skip(check.name, f"检查出错：{plain_reason(exc)}")
            continue
        finally:
            a.declared = None
        a.res.run.extend(r for r in rules if r not in a.res.run)
    a.res.findings = [f for f in a.res.findings if f.rule == "audit.check_crashed" or selected(f.rule, select, skip)]
