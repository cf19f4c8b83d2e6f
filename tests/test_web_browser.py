"""The three paths end to end in a real browser: Playwright driving Debian's Chromium
(``/usr/bin/chromium``, installed by scripts/setup.sh; never a browser download) against
``juesuan serve``'s app on a free loopback port with a temporary SQLite store.

Every step leaves a screenshot in ``$JUESUAN_ARTIFACTS`` (default ``tests/artifacts/web``, git-ignored).
Without Chromium or Playwright the tests skip saying why — except under CI, where they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.web_helpers import (
    PASSWORD,
    PUTUO,
    PUTUO_NAME,
    WUHAI_NAME,
    Server,
    make_site,
    workbook_bytes,
)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(os.environ.get("JUESUAN_ARTIFACTS") or Path(__file__).parent / "artifacts" / "web")
WAIT = 180_000  # ms: an audit of a 40-page PDF on a busy two-core machine


def _missing(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI installs it with scripts/setup.sh)")
    pytest.skip(why)


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install 'juesuan[web]')")
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    pytest.importorskip("fastapi", reason="the web application needs the [web] extra")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):  # noqa: ANN201
    site = make_site(tmp_path_factory.mktemp("web-e2e"))
    srv = Server(site.app)
    srv.site = site
    yield srv
    srv.stop()


@pytest.fixture
def page(browser, request):  # noqa: ANN001, ANN201
    """A fresh browser context (no cookies); a dialog (an injected alert) fails the test."""
    context = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.shots = []  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not dialogs, f"a script ran in the page: {dialogs}"


def shot(page, name: str) -> Path:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, server, name: str) -> None:  # noqa: ANN001
    page.goto(server.url + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_filler_path(page, server, tmp_path: Path) -> None:  # noqa: ANN001
    login(page, server, "filler")
    assert page.url.endswith("/dept/%E4%B8%8A%E6%B5%B7%E5%B8%82%E6%99%AE%E9%99%80%E5%8C%BA%E8%B4%A2%E6%94%BF%E5%B1%80")
    shot(page, "filler-01-department")
    with page.expect_download() as dl:
        page.click("#blank-template")
    assert dl.value.suggested_filename == "空白_决算数据工作簿.xlsx"
    book = tmp_path / "普陀.xlsx"
    book.write_bytes(workbook_bytes(PUTUO, tmp_path, blank_reasons=3))
    page.set_input_files("#upload-form input[type=file]", str(book))
    page.click("#upload-form button")
    page.wait_for_selector("#missing")
    assert page.inner_text("#summary") == "错误 0 条，共 1 条"
    assert page.inner_text("#missing") == "尚缺 2 条"
    assert "普陀.xlsx，工作表“其他数据”，单元格 B32" in page.inner_text("#findings")
    shot(page, "filler-02-findings-and-forms")
    page.fill("textarea[name='reason:2010601']", "人员退休，工资福利支出减少")
    page.click("#forms button[type=submit]")
    page.wait_for_selector("#missing")
    assert page.inner_text("#missing") == "尚缺 1 条"
    assert page.input_value("textarea[name='reason:2010601']") == "人员退休，工资福利支出减少"
    shot(page, "filler-03-reason-saved")
    # the forms of what the export lacks: a refused value is named by its field, nothing is saved
    page.fill("input[name='assets:vehicles.other']", "两辆")
    page.fill("input[name='assets:vehicles_total']", "1")
    page.click("#forms button[type=submit]")
    page.wait_for_selector("#form-errors")
    assert "车辆：其他用车：“两辆”不是个数（填 0 或正整数）" in page.inner_text("#form-errors")
    assert page.input_value("input[name='assets:vehicles.other']") == "两辆"  # kept as typed, to correct
    page.locator("#sec-assets").scroll_into_view_if_needed()
    shot(page, "filler-04-assets-refused")
    page.fill("input[name='assets:vehicles.other']", "1")
    page.fill("textarea[name='perf:key_evaluation']", "本年未开展重点项目绩效评价。")
    page.click("#forms button[type=submit]")
    page.wait_for_selector("#missing")
    assert not page.locator("#form-errors").count()
    assert page.input_value("input[name='assets:vehicles.other']") == "1"
    assert page.input_value("input[name='assets:vehicles_total']") == "1"
    assert page.input_value("input[name='proc:services']") == "246.47"  # the workbook's own figure
    shot(page, "filler-05-assets-and-performance-saved")
    with page.context.expect_page() as new:
        page.click("#preview")
    preview = new.value
    preview.wait_for_load_state()
    assert "人员退休，工资福利支出减少" in preview.content()
    assert "共有车辆1辆" in preview.content() and "其他用车1辆" in preview.content()
    assert PUTUO_NAME in preview.title() or PUTUO_NAME in preview.content()
    shot(preview, "filler-06-preview")
    preview.close()
    for fmt, suffix in (("docx", "部门决算.docx"), ("xlsx", "部门决算表.xlsx"), ("pdf", "部门决算.pdf")):
        with page.expect_download(timeout=WAIT) as dl:
            page.click(f"#download-{fmt}")
        assert dl.value.suggested_filename == f"{PUTUO_NAME}_2024_{suffix}"
        assert Path(dl.value.path()).stat().st_size > 5000
    page.click("#submit")
    page.wait_for_selector("#status")
    assert page.inner_text("#status") == "已提交"
    shot(page, "filler-07-submitted")
    # another department's page, by URL: refused on the server
    page.goto(server.url + f"/dept/{WUHAI_NAME}/2023")
    assert "填报人只能访问本部门" in page.inner_text("#error-message")
    shot(page, "filler-08-other-department-refused")


def _documents() -> list[Path]:
    wanted = ["seed/000_1d4d631d9d557d27.txt", "samples/shanghai-putuo-finance-bureau-2024-juesuan.pdf",
              "corpus/central-petition-bureau-2024-final.pdf", "corpus/jiangsu-wuxi-stats-bureau-2026-budget.pdf",
              "corpus/beijing-data-bureau-2026-budget-scanned.pdf"]
    docs = [SHARED / w for w in wanted]
    if not all(d.exists() for d in docs):
        pytest.skip("the real documents of ../shared/ are absent")
    return docs


def test_reviewer_path(page, server, tmp_path: Path) -> None:  # noqa: ANN001
    docs = _documents()
    login(page, server, "reviewer")
    assert page.url.endswith("/review")
    shot(page, "reviewer-01-dashboard")
    with page.expect_download() as dl:
        page.click("#export")
    assert dl.value.suggested_filename == "报送情况.xlsx"
    page.goto(server.url + "/audits")
    page.set_input_files("#audit-upload input[type=file]", [str(d) for d in docs])
    page.click("#audit-upload button")
    page.wait_for_selector("#job")
    shot(page, "reviewer-02-progress")
    page.wait_for_selector("#finished", timeout=WAIT * 2)
    assert page.inner_text("#state") == "已完成" and page.inner_text("#failed") == "失败 1 份"
    outcomes = page.inner_text("#outcomes")
    assert "部门预算 无锡市统计局 2026" in outcomes, outcomes  # a budget is audited as a budget
    assert "beijing-data-bureau-2026-budget-scanned.pdf" in outcomes and "没有文字层" in outcomes
    assert outcomes.count("成功") == 4, outcomes
    shot(page, "reviewer-03-jobs-done")
    page.click("text=shanghai-putuo-finance-bureau-2024-juesuan.pdf")
    page.wait_for_selector("#finding-detail")
    assert PUTUO_NAME in page.inner_text("main")
    counts = page.inner_text("#counts")
    first = page.locator(".show-finding").first
    first.click()
    page.wait_for_selector("#finding-detail")
    if page.locator("#page-image").count():
        page.wait_for_function("document.querySelector('#page-image').naturalWidth > 0")
    shot(page, "reviewer-04-finding-beside-page")
    page.fill("#dismiss-form input[name=why]", "表格跨页，合计行读取有误")
    with page.expect_navigation():
        page.click("#dismiss-form button")
    errors_before = int(counts.split("，")[0].removeprefix("错误 "))
    assert page.inner_text("#counts").startswith(f"错误 {errors_before - 1}，")  # the first finding is an error
    assert "另有 1 条已判为误报，不计入" in page.inner_text("#counts")
    assert "表格跨页，合计行读取有误" in page.inner_text("#finding-list")
    shot(page, "reviewer-05-dismissed")
    page.goto(server.url + "/review")
    text = page.inner_text("#dashboard")
    assert PUTUO_NAME in text and "国家信访局" in text
    shot(page, "reviewer-06-dashboard-after")
    # logging out ends the session on the server: a browser holding a copy of the cookie is refused
    copied = page.context.cookies()
    with page.expect_navigation():
        page.click("form[action='/logout'] button")
    assert page.url.endswith("/login")
    other = page.context.browser.new_context(locale="zh-CN")
    try:
        other.add_cookies(copied)
        thief = other.new_page()
        thief.goto(server.url + "/review")
        assert thief.url.endswith("/login")
        shot(thief, "reviewer-07-copied-cookie-after-logout")
    finally:
        other.close()


def test_reader_path(page, server) -> None:  # noqa: ANN001
    from juesuan.store.importing import import_paths

    import_paths(server.site.store, [PUTUO, PUTUO.parent / "wuhai-gxj-2023"])
    login(page, server, "reader")
    assert page.url.endswith("/browse")
    assert PUTUO_NAME in page.inner_text("#browse") and WUHAI_NAME in page.inner_text("#browse")
    shot(page, "reader-01-browse")
    page.click(f"text={PUTUO_NAME}")
    page.wait_for_selector("#chart-三公 svg")
    numbers = page.inner_text("#chart-三公 table")
    assert "2024 年" in numbers and "三公经费" in numbers
    shot(page, "reader-02-charts")
    page.goto(server.url + "/compare?figure=三公经费")
    assert PUTUO_NAME in page.inner_text("#compare") and WUHAI_NAME in page.inner_text("#compare")
    shot(page, "reader-03-compare")
    with page.expect_download() as dl:
        page.click("#csv")
    csv = Path(dl.value.path()).read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].startswith("单位,数字") and PUTUO_NAME in csv
    page.goto(server.url + "/review")
    assert "无权访问" in page.inner_text("h1")


def test_hostile_text_stays_text_in_the_browser(page, server, tmp_path: Path) -> None:  # noqa: ANN001
    from juesuan.store.importing import import_paths

    seed = SHARED / "seed" / "000_1d4d631d9d557d27.txt"
    if not seed.exists():
        pytest.skip("the seed document of ../shared/ is absent")
    doc = tmp_path / "hostile.txt"
    payload = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
    doc.write_text(seed.read_text(encoding="utf-8").replace("乌海市工业和信息化局", "乌海市工业和信息化局" + payload, 2),
                   encoding="utf-8")
    import_paths(server.site.store, [doc])
    login(page, server, "reviewer")
    page.goto(server.url + "/audits")
    page.click("text=hostile.txt")
    page.wait_for_load_state()
    shot(page, "hostile-01-report")
    page.goto(server.url + "/review")
    assert "<script>alert('x')</script>" in page.inner_text("#dashboard")
    shot(page, "hostile-02-dashboard")


def teardown_module() -> None:
    if os.environ.get("JUESUAN_ARTIFACTS_CLEAN"):
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
