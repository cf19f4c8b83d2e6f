"""Reference data: the classification code lists (支出功能分类, 经济分类) by year.

Pure apart from reading the package's own data files; see ``data/SOURCES.md``
for what every row rests on.
"""

from juesuan.refdata.codelists import (
    KIND_LABELS,
    KINDS,
    CodeChange,
    CodeEntry,
    CodeList,
    Kind,
    available_years,
    changes,
    load_code_list,
    nearest_year,
    parent_code,
)
from juesuan.refdata.names import normalise_name, same_name

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "CodeChange",
    "CodeEntry",
    "CodeList",
    "Kind",
    "available_years",
    "changes",
    "load_code_list",
    "nearest_year",
    "normalise_name",
    "parent_code",
    "same_name",
]
