"""The filler's forms for what a workbook export lacks (政府采购, 国有资产占用, 绩效自评): shown with the
dataset's figures, validated on the server with each message naming its field, saved through the
same path as the other forms, laid over the disclosure, and last year's texts offered."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web application needs the [web] extra (FastAPI, uvicorn …)")
pytest.importorskip("sqlalchemy", reason="the web application needs the [store] extra")

from tests.web_helpers import (  # noqa: E402
    PUTUO,
    PUTUO_NAME,
    WUHAI,
    WUHAI_NAME,
    client,
    workbook_bytes,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _uploaded(site, tmp_path: Path, user: str, example: Path, name: str):  # noqa: ANN001, ANN202
    c = client(site, user)
    r = c.post(f"/dept/{name}/upload", data={"csrf_token": c.csrf},
               files={"file": ("数据.xlsx", workbook_bytes(example, tmp_path), XLSX)}, follow_redirects=True)
    assert r.status_code == 200, r.text
    return c


def test_the_forms_show_the_datasets_procurement_assets_and_self_evaluations(site, tmp_path: Path) -> None:  # noqa: ANN001
    c = _uploaded(site, tmp_path, "filler2", WUHAI, WUHAI_NAME)
    ctx = c.get(f"/dept/{WUHAI_NAME}/2023", params={"format": "json"}).json()
    values = {k: v for sec in ctx["sections"] for k, v in sec["values"].items()}
    titles = [sec["title"] for sec in ctx["sections"]]
    assert titles[:3] == ["政府采购支出", "国有资产占用情况", "预算绩效管理情况（部门整体）"]
    assert "项目支出绩效自评：国防动员经费" in titles
    # figures as the example gives them (wuhai-gxj-2023/dataset.yaml), in its unit
    assert ctx["unit"] == "万元"
    assert values["proc:goods"] == "5.50" and values["proc:services"] == "3.42"
    assert values["assets:vehicles_total"] == "4" and values["assets:vehicles.law_enforcement"] == "2"
    assert values["perf:key_evaluation"] == "我部门2023年未开展重点项目绩效评价。"
    assert values["eval:problems:国防动员经费"] == "存在未结清的办公费。"
    assert values["ind:actual:0:国防动员经费"] == "6"
    page = c.get(f"/dept/{WUHAI_NAME}/2023").text
    assert 'name="proc:goods" value="5.50"' in page and "单价100万元（含）以上设备（不含车辆）台（套）" in page


def test_a_refused_value_names_its_field_and_saves_nothing(site, tmp_path: Path) -> None:  # noqa: ANN001
    c = _uploaded(site, tmp_path, "filler2", WUHAI, WUHAI_NAME)
    url = f"/dept/{WUHAI_NAME}/2023/form"
    r = c.post(url, data={"csrf_token": c.csrf, "proc:goods": "五元", "assets:vehicles.other": "-1",
                          "eval:total_score:国防动员经费": "1e99", "dept:functions": "新的职能文字"})
    assert r.status_code == 400
    assert "政府采购货物支出：“五元”不是金额" in r.text
    assert "车辆：其他用车：“-1”不是个数" in r.text
    assert "国防动员经费：总分：“1e99”不是有效金额" in r.text
    assert 'value="五元"' in r.text  # what was typed is shown again, to correct
    ctx = c.get(f"/dept/{WUHAI_NAME}/2023", params={"format": "json"}).json()
    assert ctx["texts"]["functions"] != "新的职能文字"  # nothing of a refused form was kept
    # the same through the htmx save: the messages come back in the page's fragment
    r = c.post(url, data={"csrf_token": c.csrf, "proc:works": "x"}, headers={"HX-Request": "true"})
    assert "政府采购工程支出：“x”不是金额" in r.text and "未保存" in r.text


def test_saved_figures_and_texts_reach_the_disclosure_and_are_logged(site, tmp_path: Path) -> None:  # noqa: ANN001
    c = _uploaded(site, tmp_path, "filler2", WUHAI, WUHAI_NAME)
    url = f"/dept/{WUHAI_NAME}/2023/form"
    form = {"csrf_token": c.csrf, "assets:vehicles.other": "1", "assets:vehicles_total": "5",
            "perf:mechanism": "建立“预算编制有目标、执行有监控、完成有评价”的机制。",
            "ind:deviation:1:国防动员经费": "评审次数与目标一致。"}
    r = c.post(url, data=form, headers={"HX-Request": "true"})
    assert r.text == "<span class='saved'>已保存 4 处修改</span>"
    ctx = c.get(f"/dept/{WUHAI_NAME}/2023", params={"format": "json"}).json()
    values = {k: v for sec in ctx["sections"] for k, v in sec["values"].items()}
    assert values["assets:vehicles.other"] == "1" and values["assets:vehicles_total"] == "5"
    preview = c.get(f"/dept/{WUHAI_NAME}/2023/preview").text
    assert "共有车辆5辆" in preview and "其他用车1辆" in preview
    # unchanged figures posted again are not changes: nothing new is logged
    again = c.post(url, data={**form, "proc:goods": "5.50"}, headers={"HX-Request": "true"})
    assert again.text == "<span class='saved'>已保存 0 处修改</span>"
    log = client(site, "admin").get("/admin/log", params={"format": "json"}).json()
    targets = [e["target"] for e in log["rows"] if e["action"] == "填写"]
    assert f"{WUHAI_NAME} 2023 assets:vehicles.other" in targets
    assert not any(t.endswith("proc:goods") for t in targets)


def test_last_years_self_evaluation_texts_are_offered(site, tmp_path: Path) -> None:  # noqa: ANN001
    from juesuan.readers.loader import load_dataset
    from juesuan.store.importing import import_paths

    ds, _ = load_dataset(PUTUO)
    perf = ds.performance.model_copy(update={"key_evaluation": "2023年对重点项目开展了绩效评价，结果为优。"})
    before = tmp_path / "putuo-2023.json"
    before.write_text(ds.model_copy(update={"year": 2023, "performance": perf}).model_dump_json(by_alias=True),
                      encoding="utf-8")
    assert import_paths(site.store, [before], who="tests")[0].status == "新增"
    c = _uploaded(site, tmp_path, "filler", PUTUO, PUTUO_NAME)
    ctx = c.get(f"/dept/{PUTUO_NAME}/2024", params={"format": "json"}).json()
    assert ctx["offered"] == ["perf:key_evaluation"]  # the only one this year leaves empty
    values = {k: v for sec in ctx["sections"] for k, v in sec["values"].items()}
    assert values["perf:key_evaluation"] == "2023年对重点项目开展了绩效评价，结果为优。"
    assert "上年</span>" in c.get(f"/dept/{PUTUO_NAME}/2024").text
