"""The store: every department and year in a database (SQLite by default, PostgreSQL by URL).

``open_store(url)`` creates the database when it does not exist and brings its
schema to the newest Alembic revision, then returns a ``Store`` (an engine and
a session factory: one session per unit of work).  Where the store lives:
``--db URL``, else the ``JUESUAN_DB`` environment variable, else a SQLite file
in the user's data folder (``default_url``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["Store", "StoreError", "default_url", "open_store"]


class StoreError(Exception):
    """The store cannot be opened or written: said in Chinese, for exit code 2."""


def data_folder() -> Path:
    """The user's data folder: %LOCALAPPDATA%\\juesuan on Windows, $XDG_DATA_HOME/juesuan elsewhere."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "juesuan"


def default_url() -> str:
    """``JUESUAN_DB`` when set, else the SQLite file in the user's data folder."""
    env = os.environ.get("JUESUAN_DB")
    if env:
        return env
    return f"sqlite:///{data_folder() / 'juesuan.db'}"


@dataclass
class Store:
    url: str
    engine: object  # sqlalchemy Engine
    session: object  # sessionmaker

    def describe(self) -> str:
        """The URL without its password."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)


def _migrate(engine, revision: str = "head") -> None:  # noqa: ANN001 - sqlalchemy Engine
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("juesuan.store") / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


_BAD_URL = "数据库地址无法识别：{url}（例如 sqlite:///路径/juesuan.db 或 postgresql://用户@主机/库名）"


def open_store(url: str | None = None) -> Store:
    """Open (create, migrate) the store at ``url`` (default: ``default_url()``)."""
    try:
        from sqlalchemy import create_engine, event
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, SQLAlchemyError
        from sqlalchemy.orm import sessionmaker
    except ImportError:
        raise StoreError("数据库功能需要 SQLAlchemy 和 Alembic：pip install 'juesuan[store]'") from None
    url = url or default_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(_BAD_URL.format(url=url)) from None
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建数据库文件夹：{Path(parsed.database).parent}：{exc.strerror}") from None
    try:
        engine = create_engine(parsed)
    except ArgumentError:
        raise StoreError(_BAD_URL.format(url=url)) from None
    try:
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        _migrate(engine)
    except SQLAlchemyError as exc:
        raise StoreError(f"无法打开数据库 {parsed.render_as_string(hide_password=True)}："
                         f"{str(exc.orig if getattr(exc, 'orig', None) else exc).splitlines()[0]}") from None
    return Store(url, engine, sessionmaker(engine, expire_on_commit=False))


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI connection
    """Foreign keys on (cascading deletes), and writers wait for each other instead of failing."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
