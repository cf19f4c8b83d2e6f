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


_HEAD = "year: 2023\ndepartment: {name: a}\n"


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        (_HEAD + "year: 2024\n", "键“year”重复：第 1 行与第 3 行", 3),
        (_HEAD + "income: {general_budget: .nan}\n", "不是数字（无穷大或非数值）", 3),
        (_HEAD + "income: {general_budget: -.inf}\n", "无穷大", 3),
        (_HEAD + "income: {general_budget: " + "9" * 5000 + "}\n", "数值过大（5000 位数字）", 3),
        (_HEAD + "income: {general_budget: 1000000000000000.01}\n", "超过 10^15", 3),
        (_HEAD + "x: " + "[" * 100 + "]" * 100 + "\n", "嵌套过深（超过 64 层）", 3),
        (_HEAD + "x: " + "[" * 1200 + "]" * 1200 + "\n", "嵌套过深", 3),
        (_HEAD + "a: &a {x: 1}\nb: {<<: *a}\n", "合并键", 4),
    ],
)
def test_hostile_values_are_input_errors_at_their_line(tmp_path, text, needle, line):
    with pytest.raises(InputError) as e:
        load_yaml(_write(tmp_path, text))
    assert needle in e.value.message, e.value.message
    assert e.value.location.line == line


def test_an_alias_bomb_stops_at_the_node_limit(tmp_path):
    levels = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = _write(tmp_path, _HEAD + "\n".join(levels) + "\n")  # 9^10 nodes when expanded; 500 bytes
    assert bomb.stat().st_size < 1000
    with pytest.raises(InputError) as e:
        load_yaml(bomb)
    assert "YAML 节点过多" in e.value.message and "JUESUAN_MAX_YAML_NODES" in e.value.message


def test_a_year_out_of_range_is_said_as_such(tmp_path):
    with pytest.raises(InputError) as e:
        load_yaml(_write(tmp_path, "year: 1999\ndepartment: {name: a}\n"))
    [(msg, loc)] = e.value.problems
    assert "不能小于 2000" in msg and "负数" not in msg and loc.line == 1


def test_values_and_lines_as_the_safe_loader_reads_them(tmp_path):
    ds_text = _HEAD + "income: {general_budget: 1_200.50, business: 0}\ncontact: {person: '07', phone: 2024-10}\n"
    ds, prov = load_yaml(_write(tmp_path, ds_text))
    assert ds.income.general_budget == D("1200.50") and ds.income.business == 0
    assert ds.contact.person == "07" and ds.contact.phone == "2024-10"  # no implicit dates
    assert prov.get("contact.phone").line == 4 and prov.get("income.business").line == 3


@pytest.mark.parametrize("chain", [("self.yaml",), ("a.yaml", "b.yaml")])
def test_last_year_cycles_are_input_errors_naming_the_chain(tmp_path, chain):
    for i, name in enumerate(chain):
        target = chain[(i + 1) % len(chain)]
        (tmp_path / name).write_text(f"year: {2023 - i}\ndepartment: {{name: a}}\nlast_year: {{dataset: {target}}}\n",
                                     encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_dataset(tmp_path / chain[0])
    assert "数据集互相引用成环" in e.value.message
    assert " → ".join(str(tmp_path / n) for n in (*chain, chain[0])) in e.value.message


def test_a_unit_naming_its_department_is_a_cycle(tmp_path):
    (tmp_path / "dataset.yaml").write_text(
        "year: 2023\ndepartment:\n  name: d\n  units: [{name: u, accounts: dataset.yaml}]\n", encoding="utf-8")
    with pytest.raises(InputError, match="成环"):
        load_dataset(tmp_path)


def test_lines_are_read_from_the_tree_when_first_asked_and_survive_pickling(tmp_path):
    import pickle

    text = _HEAD + "income: {general_budget: 1_200.50}\nexpenditure:\n  - {code: '2010101', name: 行政运行, basic: 1}\n"
    _, prov = load_yaml(_write(tmp_path, text))
    again = pickle.loads(pickle.dumps(prov))  # a process pool's copy has the lines, not the tree
    for p in (prov, again):
        assert p.get("expenditure[0].basic").line == 5 and p.get("income.general_budget").line == 3
        assert p.get("expenditure[0].basic").file == str(tmp_path / "bad.yaml")
    assert "department.name" in again and len(again) == len(prov)


def test_a_location_set_before_the_lines_are_read_wins():
    from juesuan.model.findings import Location, Provenance

    prov = Provenance(Location(file="a.yaml"), pending=lambda: {"income": 3, "income.business": 4})
    prov.set("income.business", Location(file="b.xlsx", sheet="收入", cell="C5"))
    assert prov.get("income.business").cell == "C5" and prov.get("income.other").line == 3


def test_a_bad_figure_in_a_unit_is_reported_at_the_unit_file_and_line(tmp_path):
    (tmp_path / "u.yaml").write_text("year: 2023\ndepartment: {name: u}\nincome:\n  business: -5\n", encoding="utf-8")
    (tmp_path / "dataset.yaml").write_text(
        "year: 2023\ndepartment:\n  name: d\n  units: [{name: u, accounts: u.yaml}]\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_dataset(tmp_path)
    [(msg, loc)] = e.value.problems
    assert "income.business" in msg and "负数" in msg
    assert (loc.file, loc.line) == (str(tmp_path / "u.yaml"), 4)
