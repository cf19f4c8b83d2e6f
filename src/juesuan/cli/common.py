"""What every command shares: reading a dataset with Chinese errors, exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:  # the model and Rich cost more to import than the whole --help
    from juesuan.model.accounts import Dataset
    from juesuan.model.findings import Provenance
    from juesuan.readers.errors import InputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2


def esc(text: object) -> str:
    """User text (a path, a cell, a YAML value) for a console string with markup: never read as markup."""
    from rich.markup import escape

    return escape(str(text))


class _LazyConsole:
    """A Rich ``Console`` made on first use, so that a command which prints nothing (``--help``)
    does not import Rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


console: Any = _LazyConsole(highlight=False, soft_wrap=True)
err_console: Any = _LazyConsole(stderr=True, highlight=False, soft_wrap=True)


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (or ``a`` is inside the folder ``b``)."""
    try:
        ra, rb = Path(a).resolve(), Path(b).resolve()
        if ra == rb or (rb.is_dir() and ra.is_relative_to(rb)):
            return True
        return Path(a).exists() and Path(b).exists() and Path(a).samefile(b)
    except (OSError, ValueError):
        return False


def write_atomic(out: Path, write) -> None:  # noqa: ANN001 - callable taking the temp path
    """Write to a temporary file beside ``out`` and rename it: no half-written file, normal permissions."""
    import os
    import tempfile

    folder = Path(out).resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=f".{Path(out).name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fail_input(exc: InputError) -> NoReturn:
    err_console.print(f"[bold red]无法读取输入[/]：{esc(exc.describe())}", markup=True)
    sys.exit(EXIT_INPUT)


def read_dataset(path: Path, db: str | None = None) -> tuple[Dataset, Provenance]:
    """The dataset; with a store (``--db`` or ``JUESUAN_DB``), last year's figures and the reusable
    texts it does not give are taken from the store, and what was taken is said."""
    import os

    from juesuan.readers.errors import InputError
    from juesuan.readers.loader import load_dataset

    try:
        ds, prov = load_dataset(path)
    except InputError as exc:
        fail_input(exc)
    url = db or os.environ.get("JUESUAN_DB")
    if not url:
        return ds, prov
    from juesuan.store import StoreError, open_store
    from juesuan.store.reuse import fill_from_store

    try:
        ds, notes = fill_from_store(open_store(url), ds)
    except StoreError as exc:
        err_console.print(f"[bold red]{esc(exc)}[/]", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    for note in notes:
        err_console.print(f"[dim]{esc(note)}[/]", markup=True)
    return ds, prov


# the pip package that provides each importable module juesuan needs (module → package)
PIP_PACKAGES = {
    "docx": "python-docx", "xlsxwriter": "XlsxWriter", "matplotlib": "matplotlib",
    "weasyprint": "weasyprint", "jinja2": "Jinja2", "typst": "typst", "pdfplumber": "pdfplumber",
    "pypdfium2": "pypdfium2", "openpyxl": "openpyxl", "yaml": "PyYAML", "pydantic": "pydantic",
    "sqlalchemy": "SQLAlchemy", "alembic": "alembic", "psycopg": "psycopg[binary]",
    "fastapi": "juesuan[web]", "uvicorn": "juesuan[web]",
}
OPTIONAL_EXTRAS = {"sqlalchemy": "store", "alembic": "store", "psycopg": "store"}


def missing_module_message(exc: ModuleNotFoundError) -> str:
    """What to install, in Chinese, for a module this installation lacks."""
    top = (exc.name or "").split(".")[0]
    package = PIP_PACKAGES.get(top, top)
    extra = OPTIONAL_EXTRAS.get(top)
    if extra:
        how = f"pip install \"juesuan[{extra}]\"（或 pip install \"{package}\"）"
    else:
        how = f"pip install --upgrade juesuan（或只装缺少的包：pip install \"{package}\"）"
    return f"缺少 Python 包“{package}”（模块 {top}），此功能无法运行。请在 juesuan 所在的 Python 环境中运行：{how}"
