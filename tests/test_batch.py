"""Batch runs: audit/extract/build of many documents, jsonl streaming, resume by content hash,
failures and hangs with --timeout, Ctrl-C then resume, a Dask LocalCluster, district builds
and scorecards — on the real documents of ../shared/ (skipped when absent) and generated ones."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from juesuan.cli import app
from tests.conftest import DATA, ROOT, shared_file

SEED = "seed/000_1d4d631d9d557d27.txt"
PUTUO = "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf"
CENTRAL = "corpus/central-petition-bureau-2024-final.pdf"
BUDGET = "corpus/jiangsu-wuxi-stats-bureau-2026-budget.pdf"
NOTICE = "corpus/not-a-disclosure-ningbo-inspection-notice.pdf"
runner = CliRunner()


def _run(*args: str):  # noqa: ANN202
    return runner.invoke(app, list(args))


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _variant(src: Path, dst: Path, n: int) -> Path:
    """A generated document: the seed's text with a note appended (other content, same findings)."""
    dst.write_text(src.read_text(encoding="utf-8") + f"\n（第 {n} 份生成的副本）\n", encoding="utf-8")
    return dst


def _cli(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:  # noqa: ANN003
    full = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    # Ctrl-C as at a terminal: a test run started in the background inherits SIGINT ignored
    return subprocess.Popen([sys.executable, "-m", "juesuan", *args], env=full, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=_sigint_default, **kw)


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_lines(p: subprocess.Popen, out: Path, n: int) -> None:
    """Until the run has written ``n`` lines (or has ended): a signal then finds it working."""
    for _ in range(600):
        if out.exists() and len(out.read_text(encoding="utf-8").splitlines()) >= n or p.poll() is not None:
            return
        time.sleep(0.5)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Real documents: the seed, Putuo, the central 决算, a budget, a notice that is not a disclosure,
    and a renamed copy of the seed."""
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    shutil.copy(shared_file(SEED), docs / "seed.txt")
    shutil.copy(shared_file(PUTUO), docs / "sub" / "putuo.pdf")
    shutil.copy(shared_file(CENTRAL), docs / "central.pdf")
    shutil.copy(shared_file(BUDGET), docs / "sub" / "budget.pdf")
    shutil.copy(shared_file(NOTICE), docs / "notice.pdf")
    shutil.copy(docs / "seed.txt", docs / "sub" / "seed-renamed.txt")
    return docs


def test_audit_folder_streams_one_line_per_document(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    r = _run("audit", str(folder), "--jobs", "2", "--format", "jsonl", "-o", str(out))
    assert r.exit_code == 2, r.output  # the notice is not a disclosure
    recs = {Path(x["path"]).name: x for x in _lines(out)}
    assert len(recs) == 5  # the renamed copy of the seed is the same content: done once
    assert "seed-renamed.txt" not in recs and "重复内容 1 个" in r.output
    seed = recs["seed.txt"]
    assert seed["sha256"] == _sha(folder / "seed.txt") and seed["status"] == "ok"
    assert seed["department"] == "乌海市工业和信息化局" and seed["year"] == 2023
    assert seed["profile"] == "neimenggu-2023" and seed["counts"]["error"] >= 1
    assert any(f["rule"] == "narrative.budget_diff" and f["location"]["line"] == 254 for f in seed["findings"])
    putuo = recs["putuo.pdf"]
    assert putuo["department"] == "上海市普陀区财政局" and putuo["pages"] == 24 and putuo["figures"] > 100
    assert recs["central.pdf"]["department"] == "国家信访局" and recs["central.pdf"]["pages"] == 50
    budget = recs["budget.pdf"]
    assert budget["status"] == "ok" and budget["kind"] == "部门预算" and budget["department"] == "无锡市统计局"
    assert budget["profile"] == "budget/jiangsu-2026"
    notice = recs["notice.pdf"]
    assert notice["status"] == "refused" and notice["kind"] == "其他" and "不是" in notice["reason"]
    # the report of each document is the one `juesuan audit -f json` gives
    single = tmp_path / "one.json"
    _run("audit", str(folder / "seed.txt"), "-f", "json", "-o", str(single))
    doc = json.loads(single.read_text(encoding="utf-8"))["documents"][0]
    assert [f["rule"] for f in doc["findings"]] == [f["rule"] for f in seed["findings"]]
    assert "审核完成：5 个" in r.output


def test_resume_skips_what_is_done_by_content_hash(tmp_path: Path) -> None:
    seed = shared_file(SEED)
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(2):
        _variant(seed, docs / f"gen-{n}.txt", n)
    out = tmp_path / "r.jsonl"
    assert _run("audit", str(docs), "-f", "jsonl", "-o", str(out), "--jobs", "2").exit_code == 1
    first = _lines(out)
    assert len(first) == 2
    (docs / "gen-0.txt").rename(docs / "renamed.txt")  # the same content under another name
    _variant(seed, docs / "gen-2.txt", 2)
    with open(out, "a", encoding="utf-8") as f:
        f.write('{"sha256": "torn')  # a line cut off by a crash is dropped on resume
    r = _run("audit", str(docs), "-f", "jsonl", "-o", str(out), "--resume", "--jobs", "2")
    assert "输出中已有 2 个" in r.output, r.output
    recs = _lines(out)
    assert len(recs) == 3 and len({x["sha256"] for x in recs}) == 3
    assert Path(recs[-1]["path"]).name == "gen-2.txt"


def test_a_failing_and_a_hanging_document_are_recorded_while_the_rest_go_on(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(shared_file(SEED), docs / "a-seed.txt")
    (docs / "b-broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    _variant(shared_file(SEED), docs / "c-hang.txt", 1)
    out = tmp_path / "r.jsonl"
    # the timeout is far above any real document's time, so that a busy machine does not matter
    p = _cli("audit", str(docs), "-f", "jsonl", "-o", str(out), "--jobs", "2", "--timeout", "90",
             env={"JUESUAN_BATCH_TEST_HANG": "hang"})
    stdout, stderr = p.communicate(timeout=300)
    assert p.returncode == 2, stderr
    assert "Traceback" not in stderr
    recs = {Path(x["path"]).name: x for x in _lines(out)}
    assert recs["a-seed.txt"]["status"] == "ok"
    assert recs["b-broken.pdf"]["status"] == "failed" and "PDF 文件已损坏" in recs["b-broken.pdf"]["reason"]
    assert recs["c-hang.txt"]["status"] == "failed" and recs["c-hang.txt"]["reason"].startswith("超时")
    assert "其中超时 1" in stdout


def test_ctrl_c_leaves_a_resumable_output(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(3):
        _variant(shared_file(SEED), docs / f"a{n}.txt", n)
    _variant(shared_file(SEED), docs / "z-hang.txt", 9)  # still running when Ctrl-C comes
    out = tmp_path / "r.jsonl"
    env = {"JUESUAN_BATCH_TEST_HANG": "hang"}
    p = _cli("audit", str(docs), "-f", "jsonl", "-o", str(out), "--jobs", "1", env=env)
    wait_lines(p, out, 3)
    p.send_signal(signal.SIGINT)
    _, stderr = p.communicate(timeout=120)
    assert p.returncode == 130, stderr
    assert "已中断" in stderr and "--resume" in stderr and "Traceback" not in stderr
    done = _lines(out)
    assert len(done) == 3
    p = _cli("audit", str(docs), "-f", "jsonl", "-o", str(out), "--jobs", "2", "--resume", "--timeout", "5", env=env)
    stdout, stderr = p.communicate(timeout=300)
    assert p.returncode == 2, stderr  # the hanging one is recorded as timed out
    recs = _lines(out)
    assert len(recs) == 4 and len({x["sha256"] for x in recs}) == 4
    assert sorted(Path(x["path"]).name for x in recs) == ["a0.txt", "a1.txt", "a2.txt", "z-hang.txt"]


def test_dask_local_cluster_gives_the_same_records(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install .[batch])")
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(shared_file(SEED), docs / "seed.txt")
    shutil.copy(shared_file(PUTUO), docs / "putuo.pdf")
    shutil.copy(shared_file(BUDGET), docs / "budget.pdf")
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    _run("audit", str(docs), "-f", "jsonl", "-o", str(local), "--jobs", "2")
    monkeypatch.setenv("JUESUAN_BATCH_TEST_HANG", "hang")  # the cluster's workers inherit it
    hang = _variant(docs / "seed.txt", docs / "hang.txt", 1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        r = _run("audit", str(docs), "-f", "jsonl", "-o", str(remote), "--executor", address, "--timeout", "90")
    assert r.exit_code == 2, r.output
    assert "Dask 集群" in r.output
    a = {x["sha256"]: x for x in _lines(local)}
    b = {x["sha256"]: x for x in _lines(remote)}
    assert set(b) == set(a) | {_sha(hang)} and len(b) == 4
    for key, rec in a.items():
        assert b[key]["status"] == rec["status"] and b[key].get("counts") == rec.get("counts")
        assert b[key]["findings"] == rec["findings"] or rec["status"] != "ok"
        assert b[key]["path"] == rec["path"]  # the name as given, not the worker's temporary file
    assert b[_sha(hang)]["reason"].startswith("超时")
    assert b[_sha(docs / "putuo.pdf")]["pages"] == 24


def test_extract_folder_writes_one_dataset_per_line(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(shared_file(SEED), docs / "seed.txt")
    shutil.copy(shared_file(BUDGET), docs / "budget.pdf")
    shutil.copy(shared_file(NOTICE), docs / "notice.pdf")
    out = tmp_path / "x.jsonl"
    r = _run("extract", str(docs), "-f", "jsonl", "-o", str(out), "--jobs", "2")
    assert r.exit_code == 2, r.output  # the notice
    recs = {Path(x["path"]).name: x for x in _lines(out)}
    assert recs["seed.txt"]["status"] == "ok" and recs["seed.txt"]["dataset"]["year"] == 2023
    assert recs["seed.txt"]["dataset"]["department"]["name"] == "乌海市工业和信息化局"
    budget = recs["budget.pdf"]
    assert budget["status"] == "ok" and budget["kind"] == "部门预算" and budget["dataset"]["kind"] == "预算"
    assert recs["notice.pdf"]["status"] == "refused"


def test_district_build_every_unit_and_the_department(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = _run("build", str(DATA / "dept"), "-o", str(out), "--jobs", "2", "-f", "html,xlsx", "--draft")
    assert r.exit_code == 1, r.output  # the units' own datasets lack the department's texts: drafts
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == sorted(["示例市统计信息中心", "示例市统计局（本级）", "示例市统计局（汇总）"])
    total = next(p for p in out.iterdir() if p.name.endswith("（汇总）"))
    assert (total / "示例市统计局_2023_部门决算.html").is_file()
    rows = list(csv.DictReader((out / "findings-summary.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 3
    by = {Path(r["输出文件夹"]).name: r for r in rows}
    assert by["示例市统计局（汇总）"]["错误"] == "0" and by["示例市统计局（汇总）"]["结果"] == "已生成"
    assert all(r["年度"] == "2023" for r in rows)
    again = _run("build", str(DATA / "dept"), "-o", str(out), "--resume", "-f", "html,xlsx", "--draft")
    assert "输出中已有 3 个" in again.output, again.output
    assert len((out / "build-results.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_scorecard_of_real_audits(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "r.jsonl"
    _run("audit", str(folder), "-f", "jsonl", "-o", str(out), "--jobs", "2")
    card = tmp_path / "card"
    r = _run("scorecard", str(out), "-o", str(card))
    assert r.exit_code == 0, r.output
    docs = {row["部门"]: row for row in csv.DictReader(
        (card / "documents.csv").read_text(encoding="utf-8-sig").splitlines())}
    # the budget is scored beside the 决算 documents; the notice, not a disclosure, is not
    assert set(docs) == {"乌海市工业和信息化局", "上海市普陀区财政局", "国家信访局", "无锡市统计局"}
    putuo, seed = docs["上海市普陀区财政局"], docs["乌海市工业和信息化局"]
    assert putuo["地区"] == "上海市普陀区" and seed["地区"] == "乌海市" and docs["国家信访局"]["地区"] == "中央"
    assert putuo["公开表（有）"] == "9" and putuo["公开表（应有）"] == "9" and putuo["完整性"] == "100.0"
    assert seed["公开表（有）"] == "0" and float(seed["完整性"]) < 100  # the seed prints no tables
    assert docs["无锡市统计局"]["地区"] == "无锡市"
    assert sorted(int(d["排名"]) for d in docs.values()) == [1, 2, 3, 4]
    for d in docs.values():
        assert float(d["总分"]) == pytest.approx((float(d["完整性"]) + float(d["一致性"])) / 2, abs=0.11)
    regions = list(csv.DictReader((card / "regions.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert {x["名称"] for x in regions} == {"上海市普陀区", "乌海市", "中央", "无锡市"}
    wb = load_workbook(card / "scorecard.xlsx")
    assert wb.sheetnames == ["文档", "部门", "地区"] and wb["文档"].max_row == 5
    page = (card / "scorecard.html").read_text(encoding="utf-8")
    assert "<svg" in page and "<script" not in page and "http://" not in page.split("<svg", 1)[0]
    assert "上海市普陀区财政局" in page and "未评分（不是决算公开文档、无法读取或失败）1 个" in page


def test_scorecard_from_the_store(tmp_path: Path) -> None:
    pytest.importorskip("sqlalchemy", reason="the store needs SQLAlchemy (pip install .[store])")
    url = f"sqlite:///{tmp_path / 's.db'}"
    assert _run("db", "import", str(shared_file(SEED)), "--db", url).exit_code == 0
    card = tmp_path / "card"
    r = _run("scorecard", "--db", url, "-o", str(card))
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader((card / "documents.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 1 and rows[0]["部门"] == "乌海市工业和信息化局" and rows[0]["年度"] == "2023"
    assert int(rows[0]["核对数字"]) > 100 and rows[0]["公开表（有）"] == "0"


def test_region_of_department_names() -> None:
    from juesuan.batch.scorecard import region_of

    assert region_of("上海市普陀区财政局") == "上海市普陀区"
    assert region_of("乌海市工业和信息化局") == "乌海市"
    assert region_of("内蒙古自治区乌海市海勃湾区教育局") == "内蒙古自治区乌海市海勃湾区"
    assert region_of("江苏省人民检察院") == "江苏省"
    assert region_of("国家信访局") == "中央"
    assert region_of("西南大学") == "未识别"


def test_batch_options_need_jsonl_and_resume_needs_an_output(tmp_path: Path) -> None:
    seed = str(shared_file(SEED))
    r = _run("audit", seed, "--jobs", "2", "-f", "html")
    assert r.exit_code == 2 and "jsonl" in r.output
    r = _run("audit", seed, "--resume", "-f", "jsonl")
    assert r.exit_code == 2 and "-o" in r.output
    r = _run("audit", seed, "-f", "jsonl", "--executor", "ftp://x")
    assert r.exit_code == 2 and "无法识别的执行方式" in r.output


def _notices(folder: Path) -> list:
    """Three short texts that are not disclosures, as batch tasks."""
    from juesuan.batch.executors import Task

    docs = []
    for n in range(3):
        p = folder / f"note-{n}.txt"
        p.write_text(f"会议通知\n第 {n} 号：请各单位按时参会。\n", encoding="utf-8")
        docs.append(Task(str(n), str(p), str(p)))
    return docs


def test_workers_are_recycled_and_each_record_names_its_document(tmp_path: Path) -> None:
    from juesuan.batch.executors import LocalExecutor

    docs = _notices(tmp_path)
    got = {t.key: r for t, r in LocalExecutor("audit", 2, max_tasks=1).run(docs)}
    assert sorted(Path(r["path"]).name for r in got.values()) == ["note-0.txt", "note-1.txt", "note-2.txt"]
    assert {r["status"] for r in got.values()} == {"refused"}  # not a disclosure, said why
    assert all(r["reason"] and r["worker_peak_mb"] > 0 for r in got.values())


def test_plan_of_a_folder_of_datasets(tmp_path: Path) -> None:
    from juesuan.batch.district import plan_builds

    shutil.copytree(ROOT / "examples" / "putuo-czj-2024", tmp_path / "a" / "putuo")
    shutil.copytree(DATA / "dept", tmp_path / "a" / "dept")
    plan = {p.label: p for p in plan_builds([tmp_path / "a"])}
    assert set(plan) == {"putuo", "示例市统计局（本级）", "示例市统计信息中心", "示例市统计局（汇总）"}
    assert plan["示例市统计局（汇总）"].role == "汇总" and plan["示例市统计局（本级）"].source.name == "unit-a.yaml"


def _worker_pids(executor, docs: list) -> list[int]:  # noqa: ANN001
    """The pid of the worker holding each task's record, read as each record comes back."""
    pids = []
    for _task, _record in executor.run(docs):
        pids.append(executor.workers[0].proc.pid)
    return pids


def test_a_worker_past_its_memory_limit_is_replaced(tmp_path: Path) -> None:
    from juesuan.batch.executors import LocalExecutor

    docs = _notices(tmp_path)
    # every worker's peak (tens of MB) is past a limit of 1 MB: a new worker for every task
    replaced = _worker_pids(LocalExecutor("audit", 1, max_mb=1.0), docs)
    assert len(set(replaced)) == 3
    # far under a limit of 100 GB: one worker does all three
    kept = _worker_pids(LocalExecutor("audit", 1, max_mb=100_000.0), docs)
    assert len(set(kept)) == 1
