from decimal import Decimal as D
from pathlib import Path

import pytest

from juesuan.readers.errors import InputError
from juesuan.readers.loader import load_dataset
from juesuan.readers.yaml_io import dump_yaml, load_yaml


def test_numbers_are_decimals_with_their_precision(mini_path):
    ds, prov = load_yaml(mini_path)
    assert ds.income.general_budget == D("300.00")
    assert str(ds.income.general_budget) == "300.00"
    assert prov.get("expenditure[1].project").line == 39
    assert prov.get("expenditure[1].project").file.endswith("mini.yaml")


def test_round_trip_text(mini_path, tmp_path):
    ds, _ = load_yaml(mini_path)
    out = tmp_path / "again.yaml"
    out.write_text(dump_yaml(ds), encoding="utf-8")
    again, _ = load_yaml(out)
    assert again == ds
    assert dump_yaml(again) == dump_yaml(ds)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "bad.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_syntax_error_has_line(tmp_path):
    with pytest.raises(InputError) as e:
        load_yaml(_write(tmp_path, "year: 2023\ndepartment:\n  name: [x\n"))
    assert "YAML 语法错误" in e.value.message
    assert e.value.location.line is not None


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ("year: 2023\ndepartment: {name: a}\nincome:\n  general_budget: 十二\n", "不是数字", 4),
        ("year: 2023\ndepartment: {name: a}\nincome:\n  general_budget: -5.00\n", "不能为负数", 4),
        ("year: 2023\ndepartment: {name: a}\nincme: {}\n", "不认识的字段", 3),
        ("year: 2023\nunit: 千元\ndepartment: {name: a}\n", "unit", 2),
        ("department: {name: a}\n", "缺少必填项", None),
        ("year: 2023\ndepartment: {name: a}\nexpenditure:\n  - {code: '20105', name: x}\n  - {code: 'abc', name: y}\n",
         "3、5 或 7 位数字", 5),
    ],
)
def test_bad_values_are_located(tmp_path, text, needle, line):
    with pytest.raises(InputError) as e:
        load_yaml(_write(tmp_path, text))
    msgs = [m for m, _ in e.value.problems]
    assert any(needle in m for m in msgs), msgs
    if line is not None:
        assert any(loc.line == line for _, loc in e.value.problems)


def test_not_a_mapping_and_not_utf8(tmp_path):
    with pytest.raises(InputError):
        load_yaml(_write(tmp_path, "- a\n- b\n"))
    p = tmp_path / "gbk.yaml"
    p.write_bytes("部门".encode("gbk"))
    with pytest.raises(InputError, match="UTF-8"):
        load_yaml(p)


def test_loader_dispatch(tmp_path, mini_path):
    with pytest.raises(InputError, match="不存在"):
        load_dataset(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="不支持"):
        load_dataset(_write(tmp_path, "x").rename(tmp_path / "x.txt"))
    with pytest.raises(InputError, match="dataset.yaml"):
        load_dataset(tmp_path)
    ds, _ = load_dataset(mini_path)
    assert ds.year == 2023
