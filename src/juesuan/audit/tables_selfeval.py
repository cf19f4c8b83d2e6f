"""Project self-evaluation tables (项目支出绩效自评表): placeholder, completed next."""

from __future__ import annotations

from typing import Any

from juesuan.audit.document import SourceDoc
from juesuan.audit.model import RecoveredTable
from juesuan.model.findings import Location


def recover_self_evaluations(doc: SourceDoc) -> list[RecoveredTable]:
    return []


def self_evaluation_entry(table: RecoveredTable) -> tuple[dict[str, Any], dict[str, Location]]:
    return {}, {}
