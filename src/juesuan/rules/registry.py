"""The rule registry: every check has a stable id, a severity, a Chinese
message template and a description.  Rules return findings; they never raise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from juesuan.model.findings import Severity

if TYPE_CHECKING:
    from juesuan.rules.engine import Context, Reporter

CheckFn = Callable[["Context", "Reporter"], None]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    message: str  # str.format template over the reporter's keyword arguments
    description: str
    tags: tuple[str, ...] = ()
    check: CheckFn | None = field(default=None, compare=False, repr=False)
    needs: tuple[str, ...] = ()  # keys of NOT_GIVEN this rule cannot do without
    kind: str = "决算"  # the document it checks: 决算 (model.accounts) or 预算 (model.budget)


_RULES: dict[str, Rule] = {}


def rule(
    id: str,
    severity: Severity,
    title: str,
    message: str,
    description: str,
    tags: Iterable[str] = (),
    needs: Iterable[str] = (),
    kind: str = "决算",
) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under a stable id (ids are never reused).

    ``needs`` names the parts of the accounts (keys of ``model.accounts.NOT_GIVEN``)
    without which the check means nothing; a dataset that declares one of them
    not given gets the rule listed as not run.  ``kind`` is the dataset kind it checks
    (``决算`` or ``预算``): a rule runs only on datasets of its kind.
    """

    def deco(fn: CheckFn) -> CheckFn:
        if id in _RULES:
            raise RuntimeError(f"duplicate rule id {id}")
        _RULES[id] = Rule(id, severity, title, message, description, tuple(tags), fn, tuple(needs), kind)
        return fn

    return deco


def declare(
    id: str, severity: Severity, title: str, message: str, description: str, tags: Iterable[str] = ()
) -> Rule:
    """Register a rule that is reported by code outside the engine (readers, audit)."""
    if id in _RULES:
        raise RuntimeError(f"duplicate rule id {id}")
    r = Rule(id, severity, title, message, description, tuple(tags), None)
    _RULES[id] = r
    return r


def all_rules() -> list[Rule]:
    _load_builtin()
    return sorted(_RULES.values(), key=lambda r: r.id)


def get_rule(rule_id: str) -> Rule:
    _load_builtin()
    return _RULES[rule_id]


_LOADED = False


def _load_builtin() -> None:
    """Import the modules that register the built-in rules (once)."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib

    for mod in BUILTIN_MODULES:
        importlib.import_module(mod)


BUILTIN_MODULES = [
    "juesuan.rules.identities",
    "juesuan.rules.crosstable",
    "juesuan.rules.codes",
    "juesuan.rules.performance",
    "juesuan.rules.general",
    "juesuan.rules.budget",
    "juesuan.rules.balance",
    "juesuan.audit.checks_rules",  # the audit's own rules, so every listing shows them
]
