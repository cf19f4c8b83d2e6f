"""The command line as a user meets it: exit codes, JSON shape, Chinese messages, no tracebacks."""

import json

from typer.testing import CliRunner

from juesuan.cli import app
from juesuan.rules.registry import all_rules

runner = CliRunner()


def test_check_clean_dataset_exits_0(mini_path):
    result = runner.invoke(app, ["check", str(mini_path)])
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


def test_check_json_shape_and_exit_1(tmp_path, mini_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(mini_path.read_text(encoding="utf-8").replace("closing: 15.00", "closing: 25.00"),
                   encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"]["error"] >= 1
    f = next(f for f in data["findings"] if f["rule"] == "identity.balance")
    assert set(f) >= {"rule", "severity", "message", "location", "expected", "found"}
    assert f["location"]["line"] > 0 and f["location"]["file"].endswith("bad.yaml")
    assert f["expected"] == "315.00万元" and f["found"] == "325.00万元"


def test_unreadable_input_exits_2_without_traceback(tmp_path):
    for name, content in (("x.yaml", b"year: [\n"), ("x.xlsx", b"not a zip"), ("x.yaml", b"\xff\xfe\x00")):
        p = tmp_path / name
        p.write_bytes(content)
        result = runner.invoke(app, ["check", str(p)])
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_bad_user_code_list_exits_2(tmp_path, mini_path):
    bad = tmp_path / "codes.csv"
    bad.write_text("code,name\nabc,坏\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(mini_path), "--code-list", str(bad)])
    assert result.exit_code == 2
    assert "第 2 行" in result.output


def test_rules_lists_every_rule():
    result = runner.invoke(app, ["rules", "--format", "json"])
    assert result.exit_code == 0
    listed = {r["id"] for r in json.loads(result.stdout)}
    assert listed == {r.id for r in all_rules()}
    text = runner.invoke(app, ["rules"]).output
    assert "identity.balance" in text and "收入总计与支出总计不等" in text


def test_help_is_chinese():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "部门决算" in result.output
    result = runner.invoke(app, ["check", "--help"])
    assert "退出码" in result.output
    assert "显示本帮助并退出" in result.output and "Show this message" not in result.output
