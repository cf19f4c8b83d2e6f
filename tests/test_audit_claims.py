"""Claims: the profile's sentence patterns read the real documents back, each slot at its line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan.audit.claims import extract_claims
from juesuan.audit.document import read_document
from juesuan.audit.extract import base_key, extract, extract_doc, recognise, to_dataset
from juesuan.profiles import load_profile
from juesuan.readers.errors import InputError
from tests.conftest import shared_file

SEED = "seed/000_1d4d631d9d557d27.txt"
PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"


def _claims(rel: str):
    doc = read_document(shared_file(rel))
    rec = recognise(doc)
    return extract_claims(doc, rec, load_profile(rec.profile))


def _by(claims, key):
    return [c for c in claims if base_key(c) == key]


def test_seed_items_with_their_class_and_line() -> None:
    claims = _claims(SEED)
    items = _by(claims, "s5.item") + _by(claims, "s5.item_no_budget")
    assert len(items) == 17  # NOTES §4.5: the seed names 17 项
    last = [c for c in items if c.values["item"] == "其他支持中小企业发展和管理支出"][0]
    assert last.values["actual"] == Decimal("3029.5")
    assert last.context["class"] == "资源勘探工业信息等支出"
    assert last.locations["actual"].line == 270
    cls = [c for c in _by(claims, "s5.class") if c.values["name"] == "资源勘探工业信息等支出"][0]
    assert cls.values["diff"] == Decimal("3108.76") and cls.locations["diff"].line == 254


def test_seed_comparisons_know_their_subject() -> None:
    claims = _claims(SEED)
    cmp = [c for c in claims if base_key(c).startswith("cmp.") and c.context.get("subject") == "s8.reception"]
    assert cmp and cmp[0].values["pct"] == Decimal("71.48") and cmp[0].locations["pct"].line == 324
    # the read-only variant: "增长 0.00% 变动原因" without the comma (八（二）2（1）)
    assert any(c.key == "cmp.last_year_reason~nocomma" and c.location.line == 320 for c in claims)


def test_seed_cover_contact_and_scope() -> None:
    claims = _claims(SEED)
    assert _by(claims, "cover.head")[0].values["name"] == "杨庆远"
    assert _by(claims, "contact.person")[0].values["phone"] == "0473-8991998-"
    scope = _by(claims, "p1.scope")[0]
    assert scope.values["year"] == 2022 and scope.locations["year"].line == 106


def test_putuo_pdf_claims_located_on_page_and_line() -> None:
    claims = _claims(PUTUO)
    share = [c for c in _by(claims, "s5.structure_item") if c.values["name"] == "一般公共服务支出"][0]
    assert share.values["share"] == Decimal("71.73")
    assert (share.locations["share"].page, share.locations["share"].line) == (21, 25)
    s4 = _by(claims, "s4.total")[0]
    assert s4.values["total"] == Decimal("0.3") and (s4.locations["total"].page, s4.locations["total"].line) == (21, 14)
    other = [c for c in _by(claims, "s2.item") if c.values["label"] == "其他收入"][0]  # "其他|收入" across a line break
    assert other.values["amount"] == Decimal("6.2")


def test_extract_seed_to_dataset() -> None:
    ds, prov = to_dataset(extract(shared_file(SEED)))
    assert ds.year == 2023 and ds.department.name == "乌海市工业和信息化局"
    assert ds.procurement.goods == Decimal("5.50") and ds.assets.vehicles.law_enforcement == 2
    assert ds.three_public.last_year is not None
    assert ds.three_public.last_year.reception == Decimal("0.10")  # 0.03 + 减少 0.07
    assert ds.operating_cost.last_year == Decimal("58.62")
    assert len(ds.expenditure) == 17 and ds.budget.general == Decimal("1348.37")
    assert prov.get("procurement.goods").line == 342


_SEED_TEXT: bytes | None = None


def _seed_bytes() -> bytes:
    global _SEED_TEXT
    if _SEED_TEXT is None:
        _SEED_TEXT = Path(shared_file(SEED)).read_bytes()
    return _SEED_TEXT


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255), st.sampled_from(["byte", "dropline", "dupline"])),
                min_size=1, max_size=8))
def test_fuzz_mutations_never_crash(tmp_path_factory, mutations) -> None:  # noqa: ANN001
    raw = bytearray(_seed_bytes())
    for pos, value, kind in mutations:
        if kind == "byte" and raw:
            raw[pos % len(raw)] = value
        else:
            lines = bytes(raw).split(b"\n")
            i = pos % len(lines)
            lines = lines[:i] + lines[i + 1:] if kind == "dropline" else lines[:i] + [lines[i]] + lines[i:]
            raw = bytearray(b"\n".join(lines))
    path = tmp_path_factory.mktemp("fuzz") / "doc.txt"
    path.write_bytes(bytes(raw))
    try:
        doc = read_document(path)
        ex = extract_doc(doc)
        to_dataset(ex)
    except InputError:
        pass


def test_not_a_disclosure(tmp_path: Path) -> None:
    p = tmp_path / "letter.txt"
    p.write_text("尊敬的领导：\n本周会议改期。\n", encoding="utf-8")
    with pytest.raises(InputError):
        extract(p)
