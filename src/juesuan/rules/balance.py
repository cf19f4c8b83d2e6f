"""The build's 舍位平衡 reported as findings: which printed figures moved, and what still does not add up.

The balancing itself is ``juesuan.compute.balance`` (pure); this module only
declares its two rules and turns its result into findings located at the
dataset's file line or workbook cell.
"""

from __future__ import annotations

from juesuan.compute.balance import Balanced
from juesuan.model.findings import Finding, Location, Provenance, Severity
from juesuan.rules.registry import declare

ADJUSTED = declare(
    "balance.adjusted",
    Severity.INFO,
    "舍位平衡调整",
    "舍位平衡：{what}",
    "生成文档时，以万元列示的数字按舍位平衡调整：合计保留其四舍五入值，差额由明细中舍入差最大"
    "（万元数据为金额最大）的数字承担，每个数字最多调整 0.01 万元，使每张表都能相加、"
    "同一个数字在各表和文字中只有一个值。每个调整过的数字列为一条提示。",
    ("balance", "build"),
)
UNBALANCED = declare(
    "balance.unbalanced",
    Severity.WARNING,
    "舍位平衡未能完成",
    "舍位平衡后仍不相等：{what}",
    "在舍入误差范围内、但调整明细也无法相加一致的合计（例如两个填写的合计互相矛盾）。",
    ("balance", "build"),
)


def balance_findings(balanced: Balanced, provenance: Provenance | None = None) -> list[Finding]:
    prov = provenance or Provenance()
    out = [Finding(ADJUSTED.id, ADJUSTED.severity, ADJUSTED.message.format(what=a.describe()),
                   prov.get(a.path), expected=f"{a.after:.2f}", found=f"{a.before:.2f}")
           for a in balanced.adjustments]
    out += [Finding(UNBALANCED.id, UNBALANCED.severity, UNBALANCED.message.format(what=text), Location())
            for text in balanced.unbalanced]
    return out


def balance_note(balanced: Balanced) -> list[str]:
    """One line for the build summary."""
    if not balanced.adjustments and not balanced.unbalanced:
        return []
    line = f"舍位平衡：调整了 {len(balanced.adjustments)} 个数字，使各表相加一致（详见 findings.json 的 balance.adjusted）"
    if balanced.unbalanced:
        line += f"；仍有 {len(balanced.unbalanced)} 处不相等（balance.unbalanced）"
    return [line]
