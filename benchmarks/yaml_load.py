"""YAML loading and the many-unit growth curve (issue 9 items 4 and 5).

    python benchmarks/yaml_load.py [--units 10 100 300] [--repeat N] [--src SRC]

Generates a 部门汇总 dataset in a temporary folder: a department file naming N
budget units, each unit's own dataset a copy of an example under examples/
(its own name, no units of its own).  For each N it prints

- the CPU seconds of parsing all N+1 files the old way (pure-Python compose,
  then pure-Python load: every file parsed twice) and the new way
  (``readers.yaml_io.parse_yaml``: one compose with libyaml's C composer, values
  built from the node tree, lines read from it only when asked), and their ratio;
- the CPU seconds of ``load_dataset`` in this process (parse, validate and
  consolidate every file);
- the CPU seconds and peak memory (RSS) of the whole ``juesuan check`` process
  (``os.wait4``, best of ``--repeat``; bytecode compiled once into a temporary
  ``PYTHONPYCACHEPREFIX``, as an installed package has it), and that CPU as a
  ratio to the target of 1.5 s, which holds at 300 units;

then the growth: CPU seconds and megabytes per added unit between the
smallest and each larger N (a straight line has the same slope everywhere).
``--src`` names the ``src`` folder whose juesuan is measured (``--src
../main/src`` gives the “before”), in this process and in the child processes.

A unit's file holds the example's accounts (what ``compute.consolidate`` sums:
income, spending rows, economic classes, 三公, assets, performance), not the
department's own texts, which consolidation ignores.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "putuo-czj-2024" / "dataset.yaml"
TARGET_CPU = 1.5


def generate(folder: Path, units: int) -> Path:
    """A department dataset naming ``units`` unit datasets; returns the department file."""
    import yaml

    from juesuan.compute.consolidate import _PARENT_ONLY

    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for key in _PARENT_ONLY - {"year", "unit", "department"}:  # the department's own texts, not a unit's
        base.pop(key, None)
    names = []
    for i in range(units):
        unit = dict(base)
        unit["department"] = {**base["department"], "name": f"示例单位{i + 1:03d}"}
        unit["department"].pop("units", None)
        name = f"unit-{i + 1:03d}.yaml"
        (folder / name).write_text(yaml.safe_dump(unit, allow_unicode=True, sort_keys=False), encoding="utf-8")
        names.append((unit["department"]["name"], name))
    dept = {k: base[k] for k in ("year", "unit") if k in base}
    dept["department"] = {"name": "示例部门（汇总）",
                          "units": [{"name": n, "accounts": f} for n, f in names]}
    out = folder / "dataset.yaml"
    out.write_text(yaml.safe_dump(dept, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def parse_old(texts: list[str]) -> float:
    """The loader before: pure-Python compose for the lines, then pure-Python load for the values."""
    import yaml

    start = cpu()
    for text in texts:
        yaml.compose(text, Loader=yaml.SafeLoader)
        yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the safe loader
    return cpu() - start


def parse_new(texts: list[str]) -> float:
    from juesuan.readers.yaml_io import parse_yaml

    start = cpu()
    for i, text in enumerate(texts):
        parse_yaml(text, f"unit-{i}.yaml")
    return cpu() - start


def load_in_process(dept: Path) -> float:
    """CPU seconds of ``load_dataset`` on the department (parse, validate, consolidate), in this process."""
    from juesuan.readers.loader import load_dataset

    start = cpu()
    load_dataset(dept)
    return cpu() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, nargs="*", default=[10, 100, 300])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the src folder whose juesuan to measure")
    args = ap.parse_args()
    if not EXAMPLE.is_file():
        sys.exit(f"missing {EXAMPLE}")
    src = args.src.resolve()
    sys.path.insert(0, str(src))
    sys.path.insert(0, str(Path(__file__).parent))
    from speed import Runner  # whole processes: CPU and peak RSS from os.wait4

    print(f"juesuan from {src}; CPU = user + system, best of {args.repeat}")
    with tempfile.TemporaryDirectory(prefix="juesuan-units-") as t:
        tmp = Path(t)
        r = Runner(src, args.repeat, tmp / "pycache")
        r.juesuan("check", "--help", repeat=1)  # warm the bytecode cache
        base = r.run([sys.executable, "-c", "pass"], max(args.repeat, 5))[0]
        startup = r.juesuan("check", "--help")
        print(f"yardstick python -c pass: {base:.3f} s; juesuan check --help: {startup[0]:.3f} s "
              f"({startup[0] / base:.1f}×), {startup[1]:.0f} MB")
        print(f"{'units':>6} {'files':>6} {'parse old s':>12} {'parse new s':>12} {'ratio':>6} {'load s':>7} "
              f"{'check s':>8} {'MB':>6} {'exit':>5} {'÷ 1.5 s':>8}")
        rows = []
        for units in args.units:
            folder = tmp / f"units{units}"
            folder.mkdir()
            dept = generate(folder, units)
            texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))]
            old = parse_old(texts)
            new = min(parse_new(texts) for _ in range(args.repeat))
            load = min(load_in_process(dept) for _ in range(args.repeat))
            r.juesuan("check", str(dept), repeat=1)
            used, mb, code = r.juesuan("check", str(dept))
            mark = "ok" if used <= TARGET_CPU else ("over" if units >= 300 else "")
            print(f"{units:>6} {len(texts):>6} {old:>12.2f} {new:>12.2f} {old / max(new, 1e-9):>5.1f}× {load:>7.2f} "
                  f"{used:>8.2f} {mb:>6.0f} {code:>5} {used / TARGET_CPU:>7.2f}× {mark}")
            rows.append((units, used, mb))
        if len(rows) > 1:
            print("growth of the whole check, per added unit (from the smallest):")
            first = rows[0]
            for units, used, mb in rows[1:]:
                n = units - first[0]
                print(f"  {first[0]:>4} → {units:<4} {1000 * (used - first[1]) / n:6.2f} ms CPU, "
                      f"{1024 * (mb - first[2]) / n:6.0f} KB peak per unit")


if __name__ == "__main__":
    main()
