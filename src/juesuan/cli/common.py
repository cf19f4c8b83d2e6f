"""What every command shares: reading a dataset with Chinese errors, exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from juesuan.model.accounts import Dataset
from juesuan.model.findings import Provenance
from juesuan.readers.errors import InputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def fail_input(exc: InputError) -> NoReturn:
    err_console.print(f"[bold red]无法读取输入[/]：{exc.describe()}", markup=True)
    sys.exit(EXIT_INPUT)


def read_dataset(path: Path, db: str | None = None) -> tuple[Dataset, Provenance]:
    """The dataset; with a store (``--db`` or ``JUESUAN_DB``), last year's figures and the reusable
    texts it does not give are taken from the store, and what was taken is said."""
    import os

    from juesuan.readers.loader import load_dataset

    try:
        ds, prov = load_dataset(path)
    except InputError as exc:
        fail_input(exc)
    url = db or os.environ.get("JUESUAN_DB")
    if not url:
        return ds, prov
    from rich.markup import escape

    from juesuan.store import StoreError, open_store
    from juesuan.store.reuse import fill_from_store

    try:
        ds, notes = fill_from_store(open_store(url), ds)
    except StoreError as exc:
        err_console.print(f"[bold red]{escape(str(exc))}[/]", markup=True)
        raise typer.Exit(EXIT_INPUT) from None
    for note in notes:
        err_console.print(f"[dim]{escape(note)}[/]", markup=True)
    return ds, prov
