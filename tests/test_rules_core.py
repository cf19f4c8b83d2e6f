"""Every core rule fires on a broken dataset and stays quiet on the consistent one."""

from decimal import Decimal as D

import pytest

from juesuan.rules.registry import all_rules
from tests.helpers import fired, mini_raw, run


def test_consistent_dataset_is_quiet():
    assert run(mini_raw()) == []


def _set(path: str, value):
    def mutate(data):
        node = data
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node.setdefault(k, {})
        last = keys[-1]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value
    return mutate


CASES = [
    ("identity.balance", _set("balances.closing", D("25.00"))),
    ("identity.appropriation_balance", _set("appropriation_balances.general.closing", D("9.00"))),
    ("identity.basic_econ", _set("basic_econ.0.amount", D("160.00"))),
    ("identity.project_econ", _set("project_econ.0.amount", D("61.00"))),
    ("identity.line_funds", _set("expenditure.0.appropriation", {"general": {"basic": D("211.00")}})),
    ("stated.total", _set("stated.1.value", D("270.50"))),
    ("stated.unknown_key", lambda d: d["stated"].append({"table": "t99", "row": "x", "column": "y", "value": 1})),
    ("threepublic.econ", _set("basic_econ.3.amount", D("1.50"))),
    ("threepublic.foreign_reception", _set("three_public.foreign_reception", D("2.00"))),
    ("threepublic.counts", _set("three_public.counts.receptions", 0)),
    ("assets.vehicles_total", _set("assets.vehicles_total", 3)),
    ("assets.vehicles_held", _set("three_public.counts.vehicles_held", 5)),
    ("operating_cost.public", _set("operating_cost.amount", D("61.00"))),
    ("procurement.sme", _set("procurement.small_micro", D("13.00"))),
    ("mirror.insurance", _set("basic_econ.1.amount", D("29.00"))),
    ("budget.items", _set("budget.appropriation_total", D("290.00"))),
    ("required.field", _set("contact.person", "")),
    ("required.phone_format", _set("contact.phone", "0473-8991998-")),
    ("year.consistent", _set("department.scope", "纳入我部门 2022 年部门汇总决算编制范围的预算单位共计 1 家")),
]


@pytest.mark.parametrize(("rule_id", "mutate"), CASES, ids=[c[0] for c in CASES])
def test_rule_fires(rule_id, mutate):
    assert rule_id in fired(mutate)


def test_hierarchy_rules_fire_on_stated_subtotals():
    def add_class_row(data):
        data["expenditure"].insert(0, {"code": "201", "name": "一般公共服务支出", "basic": D("210.00"),
                                       "project": D("61.00")})
        data["basic_econ"].insert(0, {"code": "302", "name": "商品和服务支出", "amount": D("59.00")})
    assert {"hierarchy.function", "hierarchy.econ"} <= fired(add_class_row)

    def good_class_row(data):
        data["expenditure"].insert(0, {"code": "201", "name": "一般公共服务支出", "basic": D("210.00"),
                                       "project": D("60.00")})
        data["basic_econ"].insert(0, {"code": "302", "name": "商品和服务支出", "amount": D("60.00")})
    assert fired(good_class_row) == set()


def test_rounding_never_fires():
    # a class printed 0.01 off its items' sum is correct rounding, not an error
    def class_row(data):
        data["expenditure"][0]["basic"] = D("209.996")  # printed more precisely than the class row
        data["expenditure"].insert(0, {"code": "201", "name": "一般公共服务支出", "basic": D("210.00"),
                                       "project": D("60.00")})
    assert "hierarchy.function" not in fired(class_row)


def test_select_and_skip():
    assert fired(_set("balances.closing", D("25.00")), skip=("identity",)) & {"identity.balance"} == set()
    assert fired(_set("contact.person", ""), select=("identity",)) == set()


def test_every_rule_is_documented_and_tested():
    tested = {c[0] for c in CASES} | {"hierarchy.function", "hierarchy.econ", "engine.crash"}
    for r in all_rules():
        assert r.title and r.description and r.message, r.id
        assert all("\u4e00" <= ch <= "\u9fff" for ch in r.title[:1]) or r.title[0] in "“（", r.id
    core = {r.id for r in all_rules() if r.id.split(".")[0] in {
        "identity", "hierarchy", "stated", "threepublic", "assets", "operating_cost", "procurement",
        "mirror", "budget", "required", "year"}}
    assert core <= tested, core - tested


def test_crashing_rule_becomes_engine_finding(monkeypatch):
    from juesuan.rules import registry

    broken = registry.Rule("zz.broken", registry.Severity.ERROR, "坏", "坏", "坏",
                           check=lambda ctx, report: 1 / 0)
    monkeypatch.setitem(registry._RULES, "zz.broken", broken)
    findings = run(mini_raw())
    assert [f.rule for f in findings] == ["engine.crash"]
    assert "zz.broken" in findings[0].message and "division by zero" in findings[0].message
    assert "ZeroDivisionError" not in findings[0].message and ".py" not in findings[0].message  # no class, no path


def test_contact_required_only_where_the_profile_publishes_it():
    def no_contact(profile):
        def mutate(data):
            data["profile"] = profile
            data["contact"] = {}
        return mutate
    assert "required.field" in fired(no_contact("neimenggu-2023"))
    assert "required.field" not in fired(no_contact("shanghai-2024"))


def test_not_given_parts_skip_the_rules_that_need_them():
    from juesuan.model.accounts import Dataset
    from juesuan.rules.engine import Context, run_rules

    data = mini_raw()
    for line in data["expenditure"]:  # the split is unknown: everything shows as basic
        line["basic"] = line.get("basic", D(0)) + line.pop("project", D(0))
    assert "identity.basic_econ" in {f.rule for f in run(data)}
    data["not_given"] = ["spending_split"]
    ctx = Context(Dataset.model_validate(data))
    rules = {f.rule for f in run_rules(ctx)}
    assert "identity.basic_econ" not in rules and "data.not_given" in rules
    assert ("identity.basic_econ" in {rid for rid, _ in ctx.skipped})
    assert all("未给出" in why for _, why in ctx.skipped)
