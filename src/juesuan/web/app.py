"""The web application: ``create_app(store)`` returns the FastAPI app of ``juesuan serve``.

Each page builds one context dictionary and one Jinja2 template renders it (the same
dictionary is the page's JSON with ``?format=json``).  Who may do what is decided in
one place, ``access.guard``, that every route passes through.  Every error is a
Chinese page (or JSON under ``/api``), never a traceback.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from juesuan.store import Store

__all__ = ["create_app"]


def _templates():  # noqa: ANN202 - Jinja2Templates
    from fastapi.templating import Jinja2Templates
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("juesuan.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    from juesuan.web.work import amount

    env.filters["amount"] = amount
    return Jinja2Templates(env=env)


def create_app(store: Store, upload_dir: Path | None = None, workers: int = 2):  # noqa: ANN201 - FastAPI
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from juesuan.store import data_folder
    from juesuan.web import (
        access,
        routes_api,
        routes_fill,
        routes_read,
        routes_review,
        routes_users,
    )
    from juesuan.web.jobs import ProcessJobRunner
    from juesuan.web.users import secret_key

    app = FastAPI(title="juesuan 部门决算公开", description="检查、生成、审核部门决算公开文档的接口。",
                  version="0.1.0", docs_url=None, redoc_url=None)
    app.state.store = store
    app.state.uploads = Path(upload_dir) if upload_dir else data_folder() / "uploads"
    app.state.secret = secret_key(store)
    app.state.templates = _templates()
    app.state.jobs = ProcessJobRunner(workers)
    app.mount("/static", StaticFiles(directory=str(resources.files("juesuan.web") / "static")), name="static")
    access.install(app)
    for module in (routes_users, routes_fill, routes_review, routes_read, routes_api):
        app.include_router(module.router)
    return app
