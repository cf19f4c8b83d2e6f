"""Every route tried as every role (and as nobody): the server refuses what the role may not do,
whatever department is put in the URL; a route missing from the table below fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web application needs the [web] extra (FastAPI, uvicorn …)")
pytest.importorskip("sqlalchemy", reason="the web application needs the [store] extra")

from tests.web_helpers import (  # noqa: E402
    PASSWORD,
    PUTUO,
    PUTUO_NAME,
    USERS,
    WUHAI,
    WUHAI_NAME,
    client,
    make_site,
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


@pytest.fixture(scope="module")
def site(tmp_path_factory):  # noqa: ANN001, ANN201
    from juesuan.store.importing import import_paths

    tmp = tmp_path_factory.mktemp("access")
    s = make_site(tmp)
    import_paths(s.store, [WUHAI, PUTUO])
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_1d4d631d9d557d27.txt"
    if seed.exists():
        import_paths(s.store, [seed])  # audit 1: the Wuhai department's published document
    return s


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
