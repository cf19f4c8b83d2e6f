"""The audit's rules: stable ids, severity, Chinese message templates, descriptions.

Declared with ``declare()`` (they are reported by ``juesuan.audit.checks``,
not run by the dataset engine) so ``juesuan rules`` lists them.  Importing
this module is cheap: it only registers.
"""

from __future__ import annotations

from juesuan.model.findings import Severity
from juesuan.rules.registry import Rule, all_rules, declare

E, W = Severity.ERROR, Severity.WARNING

_SPECS: list[tuple[str, Severity, str, str, str]] = [
    ("narrative.amount", E, "说明中的数字前后不一致",
     "{what}：此处为 {found}，而{other}为 {expected}",
     "同一个数（如收支总计、基本支出、“三公”经费支出）在说明的不同位置或与公开表中的对应数不一致（按打印精度的区间比较）。"),
    ("narrative.sum", E, "说明中的合计与明细不符",
     "{what}为 {found}，按说明中列出的明细合计应为 {expected}",
     "合计数（收支总计、各类合计、人员经费、公用经费、“三公”经费、政府采购总额、车辆总数等）与所列明细之和超出舍入误差。"),
    ("narrative.share", E, "占比与数字不符",
     "{what}占比写为 {found}，按 {part} ÷ {whole} 应为 {expected}{hint}",
     "占比 = 部分 ÷ 整体；按打印数字所代表的真实值区间计算，区间外才报告。"),
    ("narrative.rate", E, "完成率与数字不符",
     "{what}完成预算的比例写为 {found}，按 {actual} ÷ {budget} 应为 {expected}",
     "完成率 = 决算数 ÷ 预算数（区间计算）。"),
    ("narrative.rate_zero_budget", W, "预算为零却写了完成率",
     "{what}预算为 0，完成率无从计算，却写为 {found}",
     "预算数为 0 时完成率不存在，应写“无预算”或不写完成率。"),
    ("narrative.pct_missing", W, "百分比缺少数字",
     "{what}的占比只写了“%”，缺少数字",
     "“占…%”中百分号前没有数字（如“占基本支出预算%”）：数字漏填。"),
    ("narrative.change_pct", E, "增减幅度与增减额不符",
     "{what}的增减幅度写为 {found}，按增减额 {diff} ÷ 上年数 {last} 应为 {expected}",
     "增减幅度 = 增减额 ÷ 上年数，上年数 = 本年数 ∓ 增减额（区间计算）。"),
    ("narrative.vs_budget_pct", E, "与预算相比的增减幅度与数字不符",
     "{what}与预算相比的增减幅度写为 {found}，按增减额 {diff} ÷ 预算数 {last} 应为 {expected}",
     "与预算相比的增减幅度 = 增减额 ÷ 预算数，预算数 = 决算数 ∓ 增减额（区间计算）。"),
    ("narrative.budget_diff", E, "与年初预算的差额与各项预算不符",
     "{what}与年初预算相比{word} {found}，按各项年初预算合计 {budget} 应为{exp_word} {expected}",
     "类的决算数与年初预算之差应等于该类决算数减去其各项年初预算之和。"),
    ("narrative.direction", E, "增减用词与数字方向相反",
     "{what}：{message}",
     "“增加/增长/大于”与“减少/下降/小于”必须与数字的正负一致，增减额与增减幅度的用词也须一致。"),
    ("narrative.flat_with_reason", E, "写“持平”却给出变动原因或其他部分显示有变动",
     "{what}写为“持平”，{message}",
     "“持平”表示没有变动；同时给出减少或增加的原因、或其他说明显示有变动，前后矛盾。"),
    ("narrative.appropriation_total", E, "财政拨款收支总计小于其中的支出",
     "财政拨款收入支出总计写为 {found}，小于其中的{what} {expected}",
     "财政拨款收支总计 ≥ 本年财政拨款支出 ≥ 一般公共预算财政拨款支出。"),
    ("narrative.year", W, "年度与本决算年度不符",
     "此处写的是 {found} 年，而本决算为 {expected} 年度（是否沿用了往年的文字？）",
     "说明中套用句式的年度（“2023年度…”“截至2023年12月31日”“与2022年度相比”）必须与决算年度（或上年）一致。"),
    ("narrative.department", W, "部门名称前后不一致",
     "此处的部门名称为“{found}”，而文档其他位置为“{expected}”",
     "套用句式中的部门名称必须全文一致。"),
    ("narrative.count", E, "个数前后不符",
     "{what}：写为 {found}，应为 {expected}",
     "项目个数、车辆数等计数与所列明细或其他位置的计数一致。"),
    ("narrative.truncated", W, "句子不完整",
     "{what}的句子不完整：{missing}",
     "套用句式缺了结尾部分（例如绩效自评综述缺“完成预算的…%”）。"),
    ("narrative.items_vs_table", W, "说明列举的明细与表中不符",
     "{what}：{message}",
     "说明中“主要包括”列举的经济分类科目与公开表中有数的科目不一致。"),
    ("audit.row_total", E, "表中一行的合计与各列之和不符",
     "{table}“{row}”行：合计列为 {found}，各列之和为 {expected}",
     "收入决算表、支出决算表、财政拨款收入支出决算总表、一般公共预算财政拨款支出决算表中，每一行的合计列"
     "等于其后各列之和（按打印精度的区间比较）。"),
    ("audit.missing_section", E, "缺少说明部分",
     "缺少“{title}”（{number}）",
     "公开样式要求的每一节说明都必须出现；无内容时也应写明“本部门无…”。"),
    ("audit.missing_part", E, "缺少部分",
     "缺少“{title}”",
     "公开样式要求的每个部分（概况、情况说明、名词解释、联系方式、公开表）都必须出现。"),
    ("audit.tables_absent", W, "公开表不在文档中",
     "文档中没有公开表（{found}）：表中的数字无法与说明核对",
     "部门决算表应随文档一并公开；只写“见附件”时，审核只能核对说明本身。"),
    ("audit.missing_table", E, "缺少公开表",
     "缺少公开表“{title}”",
     "公开样式要求的每一张表都必须出现；空表应附“本部门无…，故本表为空表”的说明。"),
    ("audit.empty_table_statement", W, "空表缺少说明",
     "“{title}”为空表，但没有“本部门无…故本表为空表”的说明",
     "空表须说明原因。"),
    ("audit.missing_counts", W, "“三公”经费说明缺少数量",
     "“三公”经费说明缺少{what}",
     "“三公”经费说明须写明出国团组数和人次、购置和保有的公务用车数、接待批次和人次。"),
    ("audit.topic_absent", W, "说明中没有提到该项内容",
     "说明中找不到“{title}”的内容（既无该节，也未在其他部分提及）",
     "按全国基准样式审核（未能确认省级样式）时，只要求每项标准说明的内容在文档中出现，不论其节号、顺序、"
     "标题或是否与其他节合并；完全没有提及才报告。"),
    ("audit.table_not_found", W, "未找到公开表",
     "未找到公开表“{title}”（按全国基准样式，部门决算应公开九张表）",
     "按全国基准样式审核时，文档印有公开表而九张表中的某一张没有找到（含各地常用的别名）；空表也应列出并说明。"),
    ("audit.table_uncertain", W, "公开表读取不确定",
     "“{table}”读出的数字不能自洽（{reason}）：可能是读取有误，此表的数字未用于任何检查",
     "每张读取的公开表先自行核对（各行之和等于合计，类、款、项逐级相加）；不能自洽的表只报告一次，"
     "依赖它的检查改为未检查，以免把读取错误报成文档错误。行的读取顺序有误的表，以及纯文本（不标出空白单元格）"
     "中有空白单元格的表，不能自洽时归为读取问题，只列入未检查并说明原因。"),
    ("narrative.pct_truncated", W, "百分比是截断而非四舍五入",
     "{what}写为 {found}，按数字应为 {expected}：写的是截去尾数的值，应四舍五入",
     "百分比保留两位小数应四舍五入；截去第三位小数（99.868% 写成 99.86%）不算计算错误，但不规范。"),
    ("narrative.share_adjusted", W, "占比经尾差调整",
     "{what}占比写为 {found}，按 {part} ÷ {whole} 应为 {expected}：各项占比四舍五入后合计不是 100%，此项多半是为凑足 100% 作了尾差调整",
     "所列各项占比按各自数字四舍五入后合计不等于 100%，公开的占比合计恰为 100%，其中一项与计算值差最后一位的一个单位：多为尾差调整，"
     "不按计算错误报告，但应核实。"),
    ("audit.check_crashed", W, "检查程序出错",
     "检查“{check}”运行出错（{error}）：相关内容未能检查",
     "某项检查因程序错误未能完成。这不是文档的问题，但相关内容未经检查，应报告给开发者。"),
    ("audit.bad_bytes", W, "文件中有无效字节",
     "{what}",
     "文本文件中有少数字节不是有效的 UTF-8 或 GB18030 编码：这些字节标为“\ufffd”，其余内容照常审核；"
     "标记处的文字可能缺字，请核对原文件。"),
    ("audit.missing_contact", E, "缺少联系方式",
     "缺少{what}",
     "第四部分须写明联系人和完整的联系电话。"),
]

RULES: dict[str, Rule] = {}


def _declare() -> None:
    known = {r.id for r in all_rules()}
    for rid, sev, title, msg, desc in _SPECS:
        if rid in known:
            from juesuan.rules.registry import get_rule

            RULES[rid] = get_rule(rid)
            continue
        RULES[rid] = declare(rid, sev, title, msg, desc, ("audit",))


_declare()
