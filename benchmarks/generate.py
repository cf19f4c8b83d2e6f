"""Random but consistent datasets of a given size, for growth benchmarks and round-trip tests.

    python benchmarks/generate.py OUT --rows N [--seed S]

writes the dataset folder OUT (``dataset.yaml``, and ``codes.csv`` when the
rows need more 项 codes than the built-in list has).  From Python:
``dataset(rows, seed)`` returns the ``Dataset``, ``write(folder, rows, seed)``
writes the folder and returns the path of ``dataset.yaml``.

The same (rows, seed) always gives the same dataset.  ``rows`` is the number of
项 rows of the function classification (支出功能分类); their 类 and 款 rows are
added as exact stated subtotals, as a pasted official table has them.  Every
identity the checks know holds: income = spending, the 类/款 subtotals, the
basic and project economic classification (06/07表) against the 项 rows, the
“三公” figures against their economic items, the initial budget against the
项 budgets, so that ``juesuan check`` reports no error.

Codes: the rows use real 项 codes of the 2024 built-in list (568 of them),
picked at random and printed in code order.  Beyond 568 rows there are no
more real codes, so the generator adds local 项 codes (地方增设科目) under the
real 款, with the unused two-digit suffixes 01–98 of each 款, named after
their 款; a real department may use such codes when it declares them in a
custom code list.  ``write`` puts that list in ``codes.csv`` beside the
dataset (``juesuan check OUT --code-list OUT/codes.csv``); without it the
checks warn ``codes.unknown`` on those rows, never an error.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from decimal import Decimal
from pathlib import Path

from juesuan.model.accounts import Dataset

YEAR = 2024
CENT = Decimal("0.01")
PROFILE = "shanghai-2024"

# 基本支出 economic items (06表): (code, name, share of the basic total); 301/303 = 人员经费
_PERSONNEL = (
    ("30101", "基本工资", 18), ("30102", "津贴补贴", 30), ("30103", "奖金", 6),
    ("30110", "职工基本医疗保险缴费", 4), ("30199", "其他工资福利支出", 4),
    ("30302", "退休费", 4), ("30309", "奖励金", 1),
)
_PUBLIC = (
    ("30201", "办公费", 3), ("30202", "印刷费", 1), ("30207", "邮电费", 1), ("30211", "差旅费", 1),
    ("30213", "维修（护）费", 1), ("30216", "培训费", 1), ("30228", "工会经费", 2),
    ("30229", "福利费", 2), ("30239", "其他交通费用", 1), ("30299", "其他商品和服务支出", 1),
)
_PROJECT = (
    ("30202", "印刷费", 2), ("30205", "水费", 1), ("30206", "电费", 2), ("30209", "物业管理费", 4),
    ("30213", "维修（护）费", 3), ("30215", "会议费", 1), ("30226", "劳务费", 4),
    ("30227", "委托业务费", 8), ("30299", "其他商品和服务支出", 3), ("31002", "办公设备购置", 2),
    ("31007", "信息网络及软件购置更新", 2),
)
_ECON_CLASSES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助",
                 "310": "资本性支出"}
# 项 whose basic spending the economic classification mirrors (养老保险, 职业年金, 住房公积金):
# always among the rows (from 4 rows on), and their 款 in basic_econ equal to them
MIRRORS = {"2080505": ("30108", "机关事业单位基本养老保险缴费"), "2080506": ("30109", "职业年金缴费"),
           "2210201": ("30113", "住房公积金")}
# the “三公” items paid from basic spending, and their economic 款
_RECEPTION, _VEHICLE_OPERATION = Decimal("1.20"), Decimal("15.60")
_REASONS = ("决算数与预算数基本持平。", "人员变动，人员经费相应增加。", "项目按进度支付，部分资金结转下年。",
            "年中追加预算，支出相应增加。", "厉行节约，压减一般性支出。")
_USAGE = ("在职人员经费及日常公用经费。", "业务工作开展的相关支出。", "信息系统运行维护支出。",
          "委托第三方开展专项工作。", "离退休人员相关支出。")


def _cents(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) * CENT


def _split(total: Decimal, weights: list[int]) -> list[Decimal]:
    """``total`` in parts proportional to ``weights``, to the cent, summing exactly."""
    whole = sum(weights)
    parts = [(total * w / whole).quantize(CENT, rounding="ROUND_DOWN") for w in weights]
    parts[0] += total - sum(parts, Decimal(0))
    return parts


def function_codes(rows: int, seed: int = 0) -> list[tuple[str, str, str, str]]:
    """``rows`` 项 codes in code order: (code, name, 款 code, 类 code); local codes beyond the real ones."""
    from juesuan.refdata.codelists import load_code_list

    codes = load_code_list("func", YEAR)
    items = [e for e in codes if e.level == "项"]
    rng = random.Random(seed)
    if rows <= len(items):
        mirrors = [e for e in items if e.code in MIRRORS] if rows > len(MIRRORS) else []
        rest = [e for e in items if e.code not in MIRRORS]
        picked = sorted(mirrors + rng.sample(rest, rows - len(mirrors)), key=lambda e: e.code)
        return [(e.code, e.name, e.parent, e.parent[:3]) for e in picked]
    out = [(e.code, e.name, e.parent, e.parent[:3]) for e in items]
    kuan = [e for e in codes if e.level == "款"]
    rng.shuffle(kuan)
    need = rows - len(items)
    for suffix in range(1, 99):  # one new 项 per 款 per round, so they spread over the 类
        for k in kuan:
            code = f"{k.code}{suffix:02d}"
            if code in codes:
                continue
            out.append((code, f"{k.name}地方增设科目{suffix:02d}", k.code, k.code[:3]))
            need -= 1
            if need == 0:
                return sorted(out)
    raise ValueError(f"最多可生成 {rows - need} 行")


def local_codes(rows: int, seed: int = 0) -> list[tuple[str, str]]:
    """The (code, name) of the generated rows that the built-in code list lacks."""
    from juesuan.refdata.codelists import load_code_list

    codes = load_code_list("func", YEAR)
    return [(c, n) for c, n, _, _ in function_codes(rows, seed) if c not in codes]


def _econ(table: list[tuple[str, str, Decimal]]) -> list[dict]:
    """Economic lines with their 类 subtotals first, as the official table prints them."""
    out: list[dict] = []
    for cls in sorted({c[:3] for c, _, _ in table}):
        lines = [(c, n, a) for c, n, a in table if c[:3] == cls]
        out.append({"code": cls, "name": _ECON_CLASSES[cls], "amount": sum((a for *_, a in lines), Decimal(0))})
        out += [{"code": c, "name": n, "amount": a} for c, n, a in lines]
    return out


def dataset(rows: int, seed: int = 0) -> Dataset:
    """A consistent dataset with ``rows`` 项 rows (deterministic in ``rows`` and ``seed``)."""
    from juesuan.refdata.codelists import load_code_list

    if rows < 1:
        raise ValueError("rows 至少为 1")
    rng = random.Random(f"{rows}/{seed}")
    names = {e.code: e.name for e in load_code_list("func", YEAR)}
    items = []
    for code, name, _, _ in function_codes(rows, seed):
        basic = _cents(rng, 0, 50_000) if rng.random() < 0.7 else Decimal("0.00")
        project = _cents(rng, 0, 80_000) if rng.random() < 0.6 else Decimal("0.00")
        if code in MIRRORS:  # basic spending only, mirrored by its economic 款
            basic, project = _cents(rng, 1, 50_000), Decimal("0.00")
        elif basic == project == 0:
            basic = _cents(rng, 1, 10_000)
        spent = basic + project
        budget = (spent * Decimal(rng.randint(90, 110)) / 100).quantize(CENT)
        items.append({"code": code, "name": name, "basic": basic, "project": project,
                      "budget": budget, "reason": rng.choice(_REASONS)})
    basic_total = sum((x["basic"] for x in items), Decimal(0))
    project_total = sum((x["project"] for x in items), Decimal(0))
    fixed_lines = [("30217", "公务接待费", _RECEPTION), ("30231", "公务用车运行维护费", _VEHICLE_OPERATION)]
    fixed_lines += [(*MIRRORS[x["code"]], x["basic"]) for x in items if x["code"] in MIRRORS]
    fixed = sum((a for *_, a in fixed_lines), Decimal(0))
    if basic_total < 100 + fixed:  # room for the fixed items and the other economic lines
        free = next(x for x in items if x["code"] not in MIRRORS)
        free["basic"] += 100 + fixed - basic_total
        basic_total = 100 + fixed
    total = basic_total + project_total

    expenditure: list[dict] = []
    for level in (3, 5):  # stated 类 and 款 subtotals, exact
        for prefix in sorted({x["code"][:level] for x in items}):
            under = [x for x in items if x["code"].startswith(prefix)]
            expenditure.append({
                "code": prefix, "name": names.get(prefix, prefix),
                "basic": sum((x["basic"] for x in under), Decimal(0)),
                "project": sum((x["project"] for x in under), Decimal(0)),
            })
    expenditure += items
    expenditure.sort(key=lambda x: x["code"])
    other = Decimal("12.50")  # 其他收入, all of it on the first 项 (and so on its 款 and 类)
    first = items[0]["code"]
    for x in expenditure:
        if first.startswith(x["code"]):
            x["income"] = {"general_budget": x["basic"] + x["project"], "other": other}

    weights = [w for *_, w in _PERSONNEL + _PUBLIC]
    basic_lines = [(c, n, a) for (c, n, _), a in zip(_PERSONNEL + _PUBLIC,
                                                    _split(basic_total - fixed, weights), strict=True)]
    basic_lines += fixed_lines
    basic_lines.sort()
    project_lines = []
    if project_total:
        parts = _split(project_total, [w for *_, w in _PROJECT])
        project_lines = [(c, n, a) for (c, n, _), a in zip(_PROJECT, parts, strict=True) if a]
    opening, closing = Decimal("50.00"), Decimal("50.00") + other  # the other income is not spent
    appr_open = appr_close = Decimal("20.00")
    raw = {
        "schema": "juesuan/1", "profile": PROFILE, "year": YEAR, "unit": "万元",
        "department": {
            "name": f"上海市示例区测试局{rows}",
            "functions": "上海市示例区测试局是负责本区相关工作的区政府工作部门（本数据由 benchmarks/generate.py 生成）。",
            "duties": ["（一）贯彻执行有关法律、法规和政策。", "（二）完成区委、区政府交办的其他任务。"],
            "scope": f"纳入上海市示例区测试局{rows} {YEAR} 年度部门决算编制范围的单位包括：",
            "units": [{"name": f"上海市示例区测试局{rows}（本级）"}],
        },
        "income": {"general_budget": total, "other": other},
        "balances": {"opening": opening, "closing": closing},
        "appropriation_balances": {"general": {"opening": appr_open, "closing": appr_close}},
        "budget": {"total": sum((x["budget"] for x in items), Decimal(0))},
        "expenditure": expenditure,
        "basic_econ": _econ(basic_lines),
        "project_econ": _econ(project_lines),
        "three_public": {
            "budget": {"vehicle_operation": Decimal("18.00"), "reception": Decimal("2.00")},
            "actual": {"vehicle_operation": _VEHICLE_OPERATION, "reception": _RECEPTION},
            "last_year": {"vehicle_operation": Decimal("16.40"), "reception": Decimal("1.50")},
            "counts": {"vehicles_held": 2, "receptions": 4, "reception_people": 20},
        },
        "operating_cost": {"last_year": Decimal("180.00")},
        "procurement": {"goods": Decimal("10.00"), "services": Decimal("5.00"), "sme": Decimal("12.00"),
                        "small_micro": Decimal("8.00"), "goods_sme": Decimal("8.00"),
                        "services_sme": Decimal("4.00")},
        "assets": {"vehicles_total": 2, "vehicles": {"law_enforcement": 2}, "equipment_1m": 1,
                   "as_of": f"{YEAR}年12月31日"},
        "last_year": {"total": (total * Decimal("0.95")).quantize(CENT),
                      "general_expenditure": (total * Decimal("0.96")).quantize(CENT)},
        "reasons": {"total_vs_last_year": "业务量增加，项目支出相应增加。",
                    "general_vs_budget": "年中追加预算，支出相应增加。"},
        "texts": {f"usage.{x['code']}": rng.choice(_USAGE) for x in items},
    }
    raw["budget"]["appropriation_total"] = raw["budget"]["general"] = raw["budget"]["total"]
    return Dataset.model_validate(raw)


def write(folder: Path | str, rows: int, seed: int = 0) -> Path:
    """Write the dataset folder (``dataset.yaml``, ``codes.csv`` if needed); the path of dataset.yaml."""
    from juesuan.cli.common import write_atomic
    from juesuan.readers.yaml_io import dump_yaml

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    header = f"# generated by benchmarks/generate.py --rows {rows} --seed {seed}\n"
    path = folder / "dataset.yaml"
    text = header + dump_yaml(dataset(rows, seed))
    write_atomic(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    local = local_codes(rows, seed)
    if local:
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")
        out.writerow(("code", "name", "kind"))
        out.writerows((c, n, "func") for c, n in local)
        write_atomic(folder / "codes.csv", lambda tmp: Path(tmp).write_text(buf.getvalue(), encoding="utf-8"))
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path, help="dataset folder to write")
    ap.add_argument("--rows", type=int, default=100, help="项 rows of the function classification")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    try:
        path = write(args.out, args.rows, args.seed)
    except (ValueError, OSError) as exc:
        print(f"生成失败：{exc}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
