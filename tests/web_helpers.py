"""What the web tests share: a store with one user per role, a logged-in TestClient, datasets as
workbooks, and the server run on a free loopback port for the browser tests."""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WUHAI = ROOT / "examples" / "wuhai-gxj-2023"
PUTUO = ROOT / "examples" / "putuo-czj-2024"
WUHAI_NAME = "乌海市工业和信息化局"
PUTUO_NAME = "上海市普陀区财政局"
PASSWORD = "密码-for-tests-1"
USERS = {  # name → (role, department)
    "admin": ("admin", None),
    "filler": ("filler", PUTUO_NAME),
    "filler2": ("filler", WUHAI_NAME),
    "reviewer": ("reviewer", None),
    "reader": ("reader", None),
}


@dataclass
class Site:
    store: object
    app: object
    uploads: Path
    tokens: dict[str, str]


def make_site(tmp: Path, url: str | None = None) -> Site:
    """The application over a new store (a SQLite file in ``tmp``, or the database ``url``)."""
    from juesuan.store import open_store
    from juesuan.web.app import create_app
    from juesuan.web.users import add_user, new_token

    store = open_store(url or f"sqlite:///{tmp / 'web.db'}")
    tokens = {}
    for name, (role, dept) in USERS.items():
        add_user(store, name, role, PASSWORD, dept, by="tests")
        tokens[name] = new_token(store, name, by="tests")
    return Site(store, create_app(store, tmp / "uploads"), tmp / "uploads", tokens)


STORES = ["sqlite", "postgresql"]


def site_on(kind: str, tmp: Path):  # noqa: ANN201 - generator of a Site
    """A site on SQLite, or on a new database of the PostgreSQL test server (``JUESUAN_TEST_PG``,
    skipped saying why when there is none, as the store's tests do), dropped afterwards."""
    if kind == "sqlite":
        yield make_site(tmp)
        return
    from tests.test_store import _postgres_database

    gen = _postgres_database()
    site = make_site(tmp, next(gen))
    try:
        yield site
    finally:
        site.store.engine.dispose()
        next(gen, None)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def client(site: Site, user: str | None = None):  # noqa: ANN201 - TestClient
    """A TestClient logged in as ``user`` (None: not logged in); ``.csrf`` is its form token."""
    from fastapi.testclient import TestClient

    c = TestClient(site.app, raise_server_exceptions=False)
    c.csrf = csrf_of(c.get("/login").text)
    if user is not None:
        r = c.post("/login", data={"name": user, "password": PASSWORD, "csrf_token": c.csrf}, follow_redirects=False)
        assert r.status_code == 303, r.text
        c.csrf = csrf_of(c.get("/browse").text)
    return c


def workbook_bytes(example: Path, tmp: Path, blank_reasons: int = 0, **department) -> bytes:
    """The example's dataset as a workbook (the first ``blank_reasons`` variance reasons emptied,
    department fields replaced by ``department``)."""
    from juesuan.readers.loader import load_dataset
    from juesuan.readers.workbook_write import build_workbook

    ds, _ = load_dataset(example)
    if blank_reasons or department:
        rows, left = [], blank_reasons
        for r in ds.expenditure:
            if left and r.budget is not None and len(r.code) == 7 and r.reason:
                r, left = r.model_copy(update={"reason": ""}), left - 1
            rows.append(r)
        ds = ds.model_copy(update={"expenditure": rows,
                                   "department": ds.department.model_copy(update=department)})
    out = tmp / f"{example.name}-{blank_reasons}.xlsx"
    build_workbook(ds).save(out)
    return out.read_bytes()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn serving ``app`` in a thread on a free loopback port, stopped by ``stop()``."""

    def __init__(self, app) -> None:  # noqa: ANN001
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        for _ in range(600):  # up to a minute on a busy machine
            if self._server.started:
                return
            time.sleep(0.1)
        raise RuntimeError("the test server did not start")

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
