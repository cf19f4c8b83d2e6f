"""Sessions end on the server: a cookie copied before logout is refused after it, a new
password or a disabled user ends every session of theirs (and a disabled user's API tokens),
on SQLite and on PostgreSQL (when JUESUAN_TEST_PG names a test server)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web application needs the [web] extra (FastAPI, uvicorn …)")
pytest.importorskip("sqlalchemy", reason="the web application needs the [store] extra")

from tests.web_helpers import PASSWORD, client  # noqa: E402


def _copy(site, c):  # noqa: ANN001, ANN202 - a second browser holding a copy of c's cookie
    from fastapi.testclient import TestClient

    thief = TestClient(site.app, raise_server_exceptions=False)
    thief.cookies.set("juesuan_session", c.cookies.get("juesuan_session"))
    return thief


def _refused(c) -> bool:  # noqa: ANN001
    r = c.get("/review", params={"format": "json"})
    return r.status_code == 401 and r.json() == {"error": "请先登录"}


def test_a_cookie_copied_before_logout_is_refused_after_it(site) -> None:  # noqa: ANN001
    c = client(site, "reviewer")
    copy = _copy(site, c)
    assert copy.get("/review").status_code == 200  # the copy works while the session lives
    r = c.post("/logout", data={"csrf_token": c.csrf}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert _refused(copy)
    page = copy.get("/review", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"
    assert _refused(c)
    # logging in again is a new session; the old cookie stays dead
    again = client(site, "reviewer")
    assert again.get("/review").status_code == 200 and _refused(copy)


def test_a_new_password_ends_the_users_sessions(site) -> None:  # noqa: ANN001
    from juesuan.web.users import add_user, authenticate

    c = client(site, "reader")
    other = client(site, "reviewer")
    add_user(site.store, "reader", "reader", "新的密码-2026-x", by="tests")
    assert c.get("/browse", params={"format": "json"}).status_code == 401
    assert other.get("/review").status_code == 200  # another user's session is not touched
    assert authenticate(site.store, "reader", PASSWORD) is None
    assert authenticate(site.store, "reader", "新的密码-2026-x") is not None


def test_a_disabled_user_is_refused_everywhere_until_enabled(site) -> None:  # noqa: ANN001
    from typer.testing import CliRunner

    from juesuan.cli import app as cli

    c = client(site, "filler")
    bearer = {"Authorization": f"Bearer {site.tokens['filler']}"}
    assert c.get("/api/whoami", headers=bearer).status_code == 200
    run = CliRunner().invoke(cli, ["user", "disable", "filler", "--db", site.store.url])
    assert run.exit_code == 0 and "已停用用户 filler（其会话和令牌已失效）" in run.stdout
    assert c.get("/", params={"format": "json"}).status_code == 401
    assert c.get("/api/whoami", headers=bearer).status_code == 401
    fresh = client(site)
    r = fresh.post("/login", data={"name": "filler", "password": PASSWORD, "csrf_token": fresh.csrf})
    assert r.status_code == 401 and "用户名或密码不正确" in r.text
    run = CliRunner().invoke(cli, ["user", "enable", "filler", "--db", site.store.url])
    assert run.exit_code == 0
    assert client(site, "filler").get("/", follow_redirects=False).status_code == 303
    log = client(site, "admin").get("/admin/log", params={"format": "json"}).json()["rows"]
    assert [e["action"] for e in log[:2]] == ["启用用户", "停用用户"]
    missing = CliRunner().invoke(cli, ["user", "disable", "nobody", "--db", site.store.url])
    assert missing.exit_code == 2 and "没有这个用户：nobody" in missing.stderr
