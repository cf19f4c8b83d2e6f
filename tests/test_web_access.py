"""Every route tried as every role (and as nobody): the server refuses what the role may not do,
whatever department is put in the URL; a route missing from the table below fails the test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web application needs the [web] extra (FastAPI, uvicorn …)")
pytest.importorskip("sqlalchemy", reason="the web application needs the [store] extra")

from tests.web_helpers import (  # noqa: E402
    PASSWORD,
    PUTUO,
    PUTUO_NAME,
    STORES,
    USERS,
    WUHAI,
    WUHAI_NAME,
    client,
    site_on,
)

ALL = ("admin", "filler", "reviewer", "reader")
FILL = ("admin", "filler")
REVIEW = ("admin", "reviewer")
OWN, OTHER = PUTUO_NAME, WUHAI_NAME  # the filler's department and another one

# (method, route path, concrete path, who may) — "filler" means the filler of OWN
ROUTES = [
    ("GET", "/", "/", ALL),
    ("GET", "/login", "/login", ALL + (None,)),
    ("POST", "/login", "/login", ALL),  # nobody: no such user
    ("POST", "/logout", "/logout", ALL + (None,)),
    ("GET", "/admin/users", "/admin/users", ("admin",)),
    ("POST", "/admin/users", "/admin/users", ("admin",)),
    ("GET", "/admin/log", "/admin/log", ("admin",)),
    ("GET", "/dept/{name}", f"/dept/{OWN}", FILL),
    ("GET", "/dept/{name}", f"/dept/{OTHER}", ("admin",)),
    ("GET", "/dept/{name}/template.xlsx", f"/dept/{OWN}/template.xlsx", FILL),
    ("GET", "/dept/{name}/template.xlsx", f"/dept/{OTHER}/template.xlsx?year=2024", ("admin",)),
    ("POST", "/dept/{name}/upload", f"/dept/{OTHER}/upload", ("admin",)),
    ("POST", "/dept/{name}/upload", f"/dept/{OWN}/upload", FILL),
    ("GET", "/dept/{name}/{year}", f"/dept/{OWN}/2024", FILL),
    ("GET", "/dept/{name}/{year}", f"/dept/{OTHER}/2023", ("admin",)),
    ("POST", "/dept/{name}/{year}/form", f"/dept/{OTHER}/2023/form", ("admin",)),
    ("POST", "/dept/{name}/{year}/form", f"/dept/{OWN}/2024/form", FILL),
    ("GET", "/dept/{name}/{year}/preview", f"/dept/{OTHER}/2023/preview", ("admin",)),
    ("GET", "/dept/{name}/{year}/download/{fmt}", f"/dept/{OTHER}/2023/download/zip?draft=1", ("admin",)),
    ("GET", "/dept/{name}/{year}/download/{fmt}", f"/dept/{OWN}/2024/download/xlsx", FILL),
    ("POST", "/dept/{name}/{year}/submit", f"/dept/{OTHER}/2023/submit", ("admin",)),
    ("GET", "/review", "/review", REVIEW),
    ("GET", "/review/export.xlsx", "/review/export.xlsx", REVIEW),
    ("POST", "/review/{name}/{year}/status", f"/review/{OTHER}/2023/status", REVIEW),
    ("GET", "/audits", "/audits", REVIEW),
    ("POST", "/audits/upload", "/audits/upload", REVIEW),
    ("POST", "/audits/reaudit", "/audits/reaudit", REVIEW),
    ("GET", "/jobs/{job_id}", "/jobs/none", REVIEW),
    ("GET", "/audits/{audit_id}", "/audits/1", REVIEW),
    ("GET", "/audits/{audit_id}/finding/{finding_id}", "/audits/1/finding/1", REVIEW),
    ("GET", "/audits/{audit_id}/page/{page}.png", "/audits/1/page/1.png", REVIEW),
    ("POST", "/audits/{audit_id}/dismiss/{finding_id}", "/audits/1/dismiss/1", REVIEW),
    ("GET", "/browse", "/browse", ALL),
    ("GET", "/browse/{name}", f"/browse/{OWN}", ALL),
    ("GET", "/browse/{name}", f"/browse/{OTHER}", ("admin", "reviewer", "reader")),
    ("GET", "/compare", "/compare", ALL),
    ("GET", "/compare", f"/compare?org={OTHER}", ("admin", "reviewer", "reader")),
    ("GET", "/data.csv", f"/data.csv?org={OTHER}", ("admin", "reviewer", "reader")),
    ("GET", "/data.xlsx", f"/data.xlsx?org={OTHER}", ("admin", "reviewer", "reader")),
    ("GET", "/data.csv", f"/data.csv?org={OWN}", ALL),
    ("GET", "/api/whoami", "/api/whoami", ALL),
    ("POST", "/api/check", "/api/check", ("admin", "reviewer", "filler")),
    ("POST", "/api/audit", "/api/audit", REVIEW),
    ("POST", "/api/build", "/api/build", FILL),
]
PUBLIC = {"/openapi.json", "/static"}  # the API's description and the bundled scripts and styles


@pytest.fixture(scope="module", params=STORES)
def site(request, tmp_path_factory):  # noqa: ANN001, ANN201
    """One site per store (SQLite, and PostgreSQL when JUESUAN_TEST_PG names a test server)."""
    from juesuan.store.importing import import_paths

    for s in site_on(request.param, tmp_path_factory.mktemp("access")):
        import_paths(s.store, [WUHAI, PUTUO])
        seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_1d4d631d9d557d27.txt"
        if seed.exists():
            import_paths(s.store, [seed])  # audit 1: the Wuhai department's published document
        yield s


def test_every_route_is_in_the_table(site) -> None:  # noqa: ANN001
    listed = {(m, p) for m, p, _, _ in ROUTES}
    for route in site.app.routes:
        path = getattr(route, "path", "")
        if path in PUBLIC or path.startswith("/static"):
            continue
        for method in getattr(route, "methods", set()) - {"HEAD"}:
            assert (method, path) in listed, f"route {method} {path} is not in the authorisation table"


def _request(c, site, method: str, path: str, role: str | None):  # noqa: ANN001, ANN202
    """The request as the role makes it: pages with the session's CSRF token, the API with a token."""
    if path.startswith("/api/"):
        user = next((n for n, (r, d) in USERS.items() if r == role and (role != "filler" or d == OWN)), None)
        headers = {"Authorization": f"Bearer {site.tokens[user]}"} if user else {}
        files = {"file": ("dataset.yaml", (PUTUO / "dataset.yaml").read_bytes())}
        return c.request(method, path, headers=headers, files=files if method == "POST" else None)
    if method == "POST":
        data = {"csrf_token": c.csrf, "why": "测试", "status": "已通过", "name": role or "nobody",
                "password": PASSWORD}
        return c.post(path, data=data, follow_redirects=False)
    return c.get(path, follow_redirects=False)


@pytest.mark.parametrize("role", ["admin", "filler", "reviewer", "reader", None])
def test_every_route_as_every_role(site, role) -> None:  # noqa: ANN001
    name = {None: None, "admin": "admin", "filler": "filler", "reviewer": "reviewer", "reader": "reader"}[role]
    refused, allowed_but_refused = [], []
    for method, _route, path, who in ROUTES:
        c = client(site, name)
        r = _request(c, site, method, path, role)
        denied = r.status_code in (401, 403) or (r.status_code == 303 and r.headers["location"] == "/login"
                                                 and path not in ("/logout",))
        if role in who and denied:
            allowed_but_refused.append(f"{method} {path}: {r.status_code}")
        if role not in who and not denied:
            refused.append(f"{method} {path}: {r.status_code}")
        assert r.status_code < 500, f"{method} {path} as {role}: {r.status_code}"
    assert not refused, f"{role} was let through: {refused}"
    assert not allowed_but_refused, f"{role} was refused: {allowed_but_refused}"


# a reference that makes the browser fetch: src/href/action… attributes, CSS url() and @import
_FETCHES = re.compile(r"""(?:\b(?:src|href|action|srcset|poster|data|formaction)\s*=\s*["']?\s*|url\(\s*["']?|"""
                      r"""@import\s+["']?)((?:https?:)?//[^"'\s>)]*)""", re.I)
_ANY_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}""")


def _foreign(refs: list[str]) -> list[str]:
    """The references that leave the application (its own absolute URLs, http://testserver/…, are fine)."""
    return [u for u in refs if not re.match(r"(?:https?:)?//testserver(?:[:/]|$)", u)]


def test_no_page_or_static_file_asks_the_network(site) -> None:  # noqa: ANN001
    """Every page each role can open, the preview, a report, every bundled script and style:
    nothing fetched from elsewhere (fonts are the system's, named in app.css; no CDN)."""
    from importlib import resources

    seen, offending = 0, []
    for role in ("admin", "filler", "reviewer", "reader"):
        c = client(site, role)
        for method, _route, path, who in ROUTES:
            if method != "GET" or role not in who or path.startswith("/api/"):
                continue
            r = c.get(path)
            if "html" not in r.headers.get("content-type", ""):
                continue
            seen += 1
            offending += [f"{role} {path}: {u}" for u in _foreign(_FETCHES.findall(r.text))]
    static = resources.files("juesuan.web") / "static"
    files = [f for f in static.iterdir() if f.is_file()]
    assert {f.name for f in files} >= {"app.css", "hx.js"}
    for f in files:
        text = f.read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # comments name places, they fetch nothing
        if f.name.endswith(".js"):
            code = re.sub(r"(?m)^\s*//.*$", "", code)
        offending += [f"static/{f.name}: {u}" for u in _FETCHES.findall(code) + _ANY_URL.findall(code)]
        assert client(site).get(f"/static/{f.name}").status_code == 200
    assert seen >= 20, seen  # the pages were really looked at
    assert not offending, offending
    css = (static / "app.css").read_text(encoding="utf-8")
    for font in ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun"):
        assert f'"{font}"' in css, font
    assert "@font-face" not in css  # no font file is shipped or fetched: see README
