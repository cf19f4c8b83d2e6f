"""Document kind, department and year on the openings real disclosures print.

Every opening here is synthetic — the names and figures are invented — but each is written in a
shape found in published documents: a title over one, two or three lines, a title with the date
of publication under it, a year in Chinese numerals or full-width digits, a web page's header
and breadcrumbs before the title, a PDF flattened to one line, a file of tables alone, a
government's own report, and pages that merely speak of 决算 (news, notices, guides).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from juesuan.audit.document import read_document
from juesuan.audit.kind import classify
from juesuan.audit.recognize import recognize

UNCHECKED = ...  # a page that is no disclosure: who and which year are not asked

FINAL_BODY = """目录
第一部分 部门概况
一、部门职责
二、机构设置
第二部分 {y}年度部门决算表
一、收入支出决算总表
二、收入决算表
三、支出决算表
四、财政拨款收入支出决算总表
五、一般公共预算财政拨款支出决算表
第三部分 {y}年度部门决算情况说明
一、收入支出决算总体情况说明
二、收入决算情况说明
第四部分 名词解释
第一部分 部门概况
一、部门职责
负责本行政区域内的有关工作。
"""

UNIT_FINAL_BODY = FINAL_BODY.replace("部门决算", "单位决算").replace("部门概况", "单位概况")

BUDGET_BODY = """目录
第一部分 部门概况
一、主要职能
二、机构设置
第二部分 {y}年部门预算表
一、收支总表
二、收入总表
三、支出总表
四、财政拨款收支总表
五、一般公共预算支出表
第三部分 {y}年部门预算情况说明
第四部分 名词解释
第一部分 部门概况
一、主要职能
负责本行政区域内的有关工作。
"""

UNIT_BUDGET_BODY = BUDGET_BODY.replace("部门预算", "单位预算").replace("部门概况", "单位概况")

CASES = [
    # one line, two lines, three lines
    ("2023年青石县农业农村局部门决算\n" + FINAL_BODY, "部门决算", "青石县农业农村局", 2023),
    ("白沙镇人民政府\n2022年度部门决算\n" + FINAL_BODY, "部门决算", "白沙镇人民政府", 2022),
    ("相关文件:\n溪桥乡人民政府\n2022年度部门决算\n" + FINAL_BODY, "部门决算", "溪桥乡人民政府", 2022),
    ("2024年度\n远山市人民政府外事办公室\n部门决算\n" + FINAL_BODY, "部门决算", "远山市人民政府外事办公室", 2024),
    ("2023年度柳岸市江滨区河畔街道办事处\n部门决算\n" + FINAL_BODY, "部门决算", "柳岸市江滨区河畔街道办事处", 2023),
    ("2022年度\n清河市国资委部门决算\n" + FINAL_BODY, "部门决算", "清河市国资委", 2022),
    # the date of publication under the title is not the accounts' year
    ("云岭县水利局\n2023年度部门决算\n二〇二四年九月\n" + FINAL_BODY, "部门决算", "云岭县水利局", 2023),
    ("东湖区图书馆2023年度部门决算\n2024年8月\n" + FINAL_BODY, "部门决算", "东湖区图书馆", 2023),
    ("2025年度平原县交通运输局部门预算\n二〇二五年三月\n" + BUDGET_BODY, "部门预算", "平原县交通运输局", 2025),
    # the year in Chinese numerals, in full-width digits, 年 or 年度
    ("南川市档案馆\n二〇二三年度部门决算\n" + FINAL_BODY, "部门决算", "南川市档案馆", 2023),
    ("２０２２年度清河县统计局部门决算\n" + FINAL_BODY, "部门决算", "清河县统计局", 2022),
    ("临风县卫生健康局２０２３年部门决算公开说明\n" + FINAL_BODY, "部门决算", "临风县卫生健康局", 2023),
    # 关于…的说明, a template's “XX部门” and a label line left before the name
    ("关于枫林乡人民政府2022年度部门决算的说明\n" + FINAL_BODY, "部门决算", "枫林乡人民政府", 2022),
    ("附件2:\nXX部门桃源县实验小学\n2020年度部门决算公开\n" + FINAL_BODY, "部门决算", "桃源县实验小学", 2020),
    ("更新时间:\n白鹤市城市管理局\n2022年度部门决算公开报告\n" + FINAL_BODY, "部门决算", "白鹤市城市管理局", 2022),
    # a name holding 预算 or 决算 does not make a 决算 a 预算 or the other way round
    ("2023年度东江市财政预算评审中心部门决算\n" + FINAL_BODY, "部门决算", "东江市财政预算评审中心", 2023),
    ("东江市预算评审中心2023年度部门决算\n" + FINAL_BODY, "部门决算", "东江市预算评审中心", 2023),
    ("2025年度桐乡市预算编审中心部门预算\n" + BUDGET_BODY, "部门预算", "桐乡市预算编审中心", 2025),
    ("2023年北塘区决算审核中心决算\n" + FINAL_BODY, "部门决算", "北塘区决算审核中心", 2023),
    # schools, a school district, a hospital behind its web page's header
    ("2022年度石门县第三中学单位决算\n" + UNIT_FINAL_BODY, "单位决算", "石门县第三中学", 2022),
    ("2022年度江口镇明德中心校单位决算\n来源:县教育局\n发布日期:2023-11-08\n" + UNIT_FINAL_BODY,
     "单位决算", "江口镇明德中心校", 2022),
    ("2018年河西市第四小学决算\n" + FINAL_BODY, "部门决算", "河西市第四小学", 2018),
    ("2022年度清泉县东镇学区部门决算\n" + FINAL_BODY, "部门决算", "清泉县东镇学区", 2022),
    ("欢迎访问临江市人民医院\n咨询电话:0000-1234567(工作日8:00-17:00)\n国家三级综合医院\n"
     "2023年度临江市人民医院单位决算\n来源:临江市人民医院 发布时间:2024-09-20 10:00:00\n" + UNIT_FINAL_BODY,
     "单位决算", "临江市人民医院", 2023),
    # breadcrumbs and a page's metadata table before the title
    ("当前位置:首页 > 财政预决算 > 部门预算\n白鹭县第二小学2024年预算公开情况说明\n发布机构\n白鹭县教育局\n"
     "第一部分 部门(单位)基本概况\n一、部门(单位)职责\n第二部分 2024年部门(单位)预算情况说明\n",
     "部门预算", "白鹭县第二小学", 2024),
    ("索引号 | 000000/2024-00001 | 发文字号 | |\n标题 | 东坡区高桥镇中心小学2024年单位预算情况说明 | ||\n"
     "成文日期 | 2024-02-20 | 发布日期 | 2024-02-20 |\n一、单位基本情况\n(一)职能职责\n实施小学义务教育。\n",
     "单位预算", "东坡区高桥镇中心小学", 2024),
    ("标题: 2024年沂水县王庄镇中心小学单位预算\n发文日期: 2024-11-20\n" + UNIT_BUDGET_BODY,
     "单位预算", "沂水县王庄镇中心小学", 2024),
    # a budget's title without 年 before 部门预算, over two lines
    ("1\n中共东川市委党校 2024\n部门预算及三公经费预算情况说明\n" + BUDGET_BODY, "部门预算", "中共东川市委党校", 2024),
    # a PDF flattened to one line: the title runs into the contents
    ("2021年度部门决算公开说明-水务站.pdf\n河湾区水务服务站 2021 年度决算公开说明 (目录) 第一部分:基本情况 "
     "一、部门主要职能 第二部分:2021 年度部门决算情况说明 一、收入支出决算总体情况 表 1:收入支出决算总表 "
     "表 2:收入决算表 表 3:支出决算表 第一部分:基本情况 一、部门主要职能 负责全区水务设施的管理。\n",
     "部门决算", "河湾区水务服务站", 2021),
    ("青山镇中心小学2022年度决算公开.pdf\n青山镇中心小学 2022 年度决算 目 第一部分 录 青山镇中心小学概况 "
     "第二部分 2022 年度单位决算表 一、收入支出决算总表 二、收入决算表 第三部分 2022 年度单位决算情况说明\n",
     "单位决算", "青山镇中心小学", 2022),
    # no title: the parts' headings name the department
    ("目 录\n第一部分:南山市妇幼保健院概况\n一、本部门职责\n第二部分:南山市妇幼保健院2023年度部门决算报表\n"
     "表一:收入支出决算总表\n表二:收入决算表\n表三:支出决算表\n表四:财政拨款收入支出决算总表\n"
     "第三部分:南山市妇幼保健院2023年度部门决算情况说明\n第四部分:名词解释\n", "部门决算", "南山市妇幼保健院", 2023),
    ("目 录\n第一部分 城西街道办事处部门概况\n一、部门主要职责..........................3\n"
     "第二部分 城西街道办事处2022年度部门决算表\n一、收入支出决算总表..............................5\n"
     "二、收入决算表...................................6\n三、支出决算表..................................7\n"
     "第三部分 城西街道办事处2022年度部门决算情况说明\n一、收入支出决算总体情况说明..............14\n",
     "部门决算", "城西街道办事处", 2022),
    # a fragment that begins with a part: its headings say it is a unit's
    ("第二部分 2022年度单位决算情况说明\n一、收入支出决算总体情况说明\n2022年度收、支总计各是812.40万元。\n"
     "二、收入决算情况说明\n本年收入合计812.40万元。\n三、支出决算情况说明\n本年支出合计812.40万元。\n"
     "四、财政拨款收入支出决算总体情况说明\n", "单位决算", None, 2022),
    # a file of tables alone: the table header names the department
    ("公开01表\n收入支出决算总表\n编制单位:南湖区民政局 2023年度 金额单位:万元\n项目 | 金额\n"
     "公开02表\n收入决算表\n编制单位:南湖区民政局 2023年度 金额单位:万元\n公开03表\n支出决算表\n"
     "公开04表\n财政拨款收入支出决算总表\n公开05表\n一般公共预算财政拨款支出决算表\n"
     "公开06表\n一般公共预算财政拨款基本支出决算明细表\n", "部门决算", "南湖区民政局", 2023),
    ("目 录\n第一部分 部门概况\n第二部分 2024年度部门决算表\n一、收入支出决算总表\n二、收入决算表\n"
     "三、支出决算表\n第三部分 2024年度部门决算情况说明\n第一部分 部门概况\n一、部门职责\n"
     "龙山镇四方中学是一所九年一贯制学校。\n第二部分 2024年度部门决算表\n一、收入支出决算总表\n公开01表 | ||\n"
     "单位:宁远县龙山镇四方中学 | 2024年度 | 金额单位:万元 |\n", "部门决算", "宁远县龙山镇四方中学", 2024),
    ("2025年部门预算信息公开目录\n部门预算公开表\n部门预算信息公开情况说明\n531石岭镇财政所 |\n预算年度:2025 |\n"
     "单位:万元 | ||\n一、一般公共预算拨款收入 |\n本年收入合计 |\n", "部门预算", "石岭镇财政所", 2025),
    ("公开表一\n部门收支总表\n单位:北岭县文化馆 金额单位:万元\n公开表二\n部门收入总表\n公开表三\n部门支出总表\n"
     "公开表四\n财政拨款收支总表\n公开表五\n一般公共预算支出表\n公开表六\n部门支出总表(按经济分类)\n公开表七\n收支预算总表\n",
     "部门预算", "北岭县文化馆", None),
    # a government's own report, not a department's
    ("关于清溪市2023年市级决算草案的报告\n——2024年7月在清溪市人民代表大会常务委员会会议上\n主任、各位副主任:\n",
     "政府决算", UNCHECKED, UNCHECKED),
    ("2023年桐湾县决算(草案)的报告\n主任、副主任、各位委员:\n受县人民政府委托,报告2023年决算草案。\n",
     "政府决算", UNCHECKED, UNCHECKED),
    ("2023年青湾区人民政府决算公开\n目 录\n第一部分 决算报告\n第二部分 决算报表\n1、一般公共预算收入表\n",
     "政府决算", UNCHECKED, UNCHECKED),
    ("清溪县2024年财政预算执行情况和2025年财政预算草案的报告\n各位代表:\n", "政府预算", UNCHECKED, UNCHECKED),
    ("松林镇人民政府\n2023年决算报告\n一、预算收支决算情况\n全镇本级一般公共预算收入实现85.20万元,加上动用"
     "预算稳定调节基金等1,020.00万元。\n全镇一般公共预算支出1,105.20万元,加上上解上级支出等0万元。\n",
     "政府决算", UNCHECKED, UNCHECKED),
    # pages that merely speak of 决算 or 预算
    ("发布时间:2024-07-26 来源:新闻网\n记者报道,各中央部门25日相继公开2023年度部门决算。今年的部门决算公开表包括"
     "收入支出决算总表、收入决算表、支出决算表、财政拨款收入支出决算总表、一般公共预算财政拨款支出决算表、"
     "一般公共预算财政拨款基本支出决算明细表等9张报表。\n财政部介绍,部门决算公开范围逐步扩大。\n",
     "其他", UNCHECKED, UNCHECKED),
    ("江北省120个省级部门集中公开决算信息,公众可上网查询\n2024-08-20 09:00 来源:江北日报\n"
     "8月19日,江北省省级部门集中向社会公开了2023年度部门决算和“三公”经费决算。\n", "其他", UNCHECKED, UNCHECKED),
    ("按照区政府关于政府信息公开的要求,严格控制“三公”经费支出预算。经汇总,2024年区级部门一般公共预算"
     "“三公”经费支出预算为1234.50万元。\n", "其他", UNCHECKED, UNCHECKED),
    ("部门决算填报说明\n2024-10-13 版权声明\n部门决算填报说明(精选3篇)\n二○一二年,我县财政工作全面完成了全年"
     "各项任务。现将2012年部门决算汇编情况说明如下:\n", "其他", UNCHECKED, UNCHECKED),
    ("日前,《关于南溪县2024年预算执行情况和2025年预算草案的报告》公布。\n预算安排基本原则\n"
     "2025年收支预算总体安排\n1、一般公共预算。初步安排一般公共预算收入24350万元。\n", "其他", UNCHECKED, UNCHECKED),
    ("某市财政局2023年政府信息公开工作年度报告\n发布时间:2024年01月20日\n一、总体情况\n"
     "全年主动公开财政信息;指导市直部门公开预决算信息。\n", "其他", UNCHECKED, UNCHECKED),
]


@pytest.mark.parametrize(("text", "kind", "dept", "year"), CASES, ids=[c[0].split("\n")[0][:24] for c in CASES])
def test_an_opening_gives_its_kind_department_and_year(tmp_path: Path, text: str, kind: str, dept: str | None,
                                                       year: int | None) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(text.replace("{y}", str(year if isinstance(year, int) else 2023)), encoding="utf-8")
    doc = read_document(path)
    k = classify(doc)
    assert k.kind == kind, k.reason
    if dept is UNCHECKED:
        return
    rec = recognize(doc)
    assert (rec.department, rec.year) == (dept, year)
    assert (k.department, k.year) == (dept, year)


SWAP = str.maketrans({"决": "预", "预": "决"})


# the disclosures whose title names their kind (a file of tables is told by its tables' own titles)
TITLED = [c for c in CASES if c[1][:2] in ("部门", "单位") and not c[0].startswith(("公开", "目 录", "第二部分"))]


@pytest.mark.parametrize(("text", "kind"), [(c[0], c[1]) for c in TITLED], ids=[c[0].split("\n")[0][:24] for c in TITLED])
def test_a_budget_is_never_taken_for_final_accounts_nor_the_reverse(tmp_path: Path, text: str, kind: str) -> None:
    """The same opening with 决算 and 预算 exchanged everywhere is of the other side."""
    path = tmp_path / "doc.txt"
    path.write_text(text.replace("{y}", "2023").translate(SWAP), encoding="utf-8")
    other = kind[:2] + ("预算" if kind.endswith("决算") else "决算")
    assert classify(read_document(path)).kind == other
