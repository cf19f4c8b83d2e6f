"""The audit walks the profiles' declarations: no pattern key in its code, a YAML file suffices.

A profile says what each slot of its sentences means (``meanings``); the checks
are one walk over those declarations (audit/declared.py, audit/changes.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from juesuan import patterns
from juesuan.audit.checks_run import audit_document
from juesuan.profiles import list_profiles, load_profile

AUDIT = Path(__file__).resolve().parents[1] / "src" / "juesuan" / "audit"
COUNTY = Path(__file__).parent / "data" / "county-sichuan-style-2023.txt"
# a string literal that starts like a pattern key of the profiles
_KEY = re.compile(r"\"(?:s\d+\.|cmp\.|empty\.|p1\.|contact\.)")


def test_no_pattern_key_is_named_in_the_audit_code() -> None:
    hits = [f"{p.name}:{i}: {line.strip()}" for p in sorted(AUDIT.glob("*.py"))
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if _KEY.search(line)]
    assert hits == []


def test_every_change_percentage_of_every_profile_is_declared() -> None:
    """A sentence that prints a change's amount and percentage is checked only if declared."""
    missing = []
    for name in list_profiles():
        prof = load_profile(name)
        for key, pat in prof.patterns.items():
            slots = {s.name for s in patterns.slots(pat)}
            if {"diff", "pct"} <= slots and (prof.meaning(key, "pct") is None or prof.meaning(key, "pct").change is None):
                missing.append(f"{name}: {key}")
    assert missing == []


def test_declared_slots_and_references_exist() -> None:
    """A declared slot is printed by the key's pattern in some shipped profile (the standard keys'
    wordings differ by province); a reference without a dot is a slot, one with a dot a figure id
    of the vocabulary (``sentence`` stands for the whole sentence)."""
    profs = [load_profile(n) for n in list_profiles()]
    slots_of: dict[str, set[str]] = {}
    for prof in profs:
        for key, pat in prof.patterns.items():
            slots_of.setdefault(key, set()).update(s.name for s in patterns.slots(pat))
    for prof in profs:
        for key, slots in prof.meanings.items():
            have = slots_of.get(key, set())
            assert have, f"{prof.name}: {key} is no profile's pattern"
            for slot, m in slots.items():
                assert slot in have or slot == "sentence", f"{prof.name}: {key} has no slot {slot}"
                refs = [*(m.sum or [])] + ([m.share.part, m.share.whole] if m.share else []) + \
                       ([m.rate.actual, m.rate.budget] if m.rate else []) + ([m.bound.at_most] if m.bound else [])
                for ref in refs:
                    if ref.startswith("each:") or "{" in ref:
                        continue
                    assert ("." in ref and ref in prof.figures) or ref in have, f"{prof.name}: {key}.{slot} → {ref}"


_PROFILE = """\
name: county-declared
extends: national
province: 某省
year: 2023
patterns:
  s2.sum_line: '本年收入合计{total:amount}万元，其中：'
  s2.source: '{label:name}{amount:amount}万元，占{share:pct}'
  s5.vs_ly: '{year:year}年度一般公共预算财政拨款支出{amount:amount}万元，比上年{dir:incdec}{diff:amount}万元，{trend:growth}{pct:pct}。'
  s8.whole: '{year:year}年度“三公”经费财政拨款支出预算为{budget:amount}万元，支出决算为{actual:amount}万元，完成预算的{rate:pct}。'
meanings:
  s2.sum_line: {total: {figure: income.total, sum: ['each:s2.source.amount']}}
  s2.source:
    amount: {figure: 'income.{label|income}', what: '{label}'}
    share: {share: {part: amount, whole: income.total}, what: '{label}'}
  s5.vs_ly: {amount: {figure: general.total}, pct: {change: {}}}
  s8.whole:
    budget: {figure: three_public.budget.total}
    actual: {figure: three_public.actual.total}
    rate: {rate: {actual: actual, budget: budget}, what: “三公”经费}
"""


def test_a_profile_yaml_alone_gets_its_new_sentences_checked(tmp_path: Path) -> None:
    text = (COUNTY.read_text(encoding="utf-8")
            .replace("下降3.97%", "下降4.50%")            # 120 ÷ (2,900 + 120) = 3.97 %
            .replace("完成预算的75.00%", "完成预算的76.00%")  # 15 ÷ 20 = 75 %
            .replace("占90.63%", "占90.62%"))              # 2,900 ÷ 3,200 = 90.625 %: rounds either way
    doc = tmp_path / "county.txt"
    doc.write_text(text, encoding="utf-8")
    prof = tmp_path / "county-declared.yaml"
    prof.write_text(_PROFILE, encoding="utf-8")
    a = audit_document(doc, profile=str(prof))
    assert a.profile == "county-declared"
    lines = {i for i, t in enumerate(text.splitlines(), 1) for w in ("占9.83%", "下降4.50%", "完成预算的76.00%")
             if w in t}
    mine = {(f.rule, f.location.line) for f in a.findings if "通用句式" not in f.message}
    # read with the file's own keys (not the generic reader): the share of 事业收入 (300 ÷ 3,200 =
    # 9.38 %, printed 9.83 %), the change's percentage and the completion rate
    assert {("narrative.share", min(lines)), ("narrative.change_pct", sorted(lines)[1]),
            ("narrative.rate", max(lines))} <= mine
    assert not any(f.rule == "narrative.sum" for f in a.findings)  # 2,900 + 300 = 3,200
