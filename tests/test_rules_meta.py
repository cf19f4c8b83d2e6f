"""Every rule is documented and named by at least one test (datasette-style: undocumented fails)."""

import re
from pathlib import Path

from juesuan.rules.registry import all_rules

TESTS = Path(__file__).parent


def test_every_rule_has_title_message_description():
    for r in all_rules():
        assert r.title.strip() and r.message.strip() and len(r.description) >= 5, r.id
        assert re.fullmatch(r"[a-z_]+\.[a-z_0-9.]+", r.id), r.id


def test_every_rule_is_named_in_a_test():
    text = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py") if p.name != Path(__file__).name)
    missing = [r.id for r in all_rules() if r.id not in text]
    assert missing == [], f"rules no test names: {missing}"


def test_rule_listing_includes_audit_rules():
    ids = {r.id for r in all_rules()}
    assert any(i.startswith("narrative.") for i in ids)
    assert "identity.balance" in ids and "perf.total" in ids and "codes.unknown" in ids
