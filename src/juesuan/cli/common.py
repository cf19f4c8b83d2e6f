"""What every command shares: reading a dataset with Chinese errors, exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

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


def read_dataset(path: Path) -> tuple[Dataset, Provenance]:
    from juesuan.readers.loader import load_dataset

    try:
        return load_dataset(path)
    except InputError as exc:
        fail_input(exc)
