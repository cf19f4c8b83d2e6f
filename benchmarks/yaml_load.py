"""YAML loading speed (issue 9 item 4): ``python benchmarks/yaml_load.py [--units 300]``.

Generates a 部门汇总 dataset in a temporary folder: a department file naming N
budget units, each unit's own dataset a copy of an example under examples/
(its own name, no units of its own).  Prints

- the CPU seconds of parsing all N+1 files the old way (pure-Python compose,
  then pure-Python load: every file parsed twice) and the new way
  (``readers.yaml_io.parse_yaml``: one compose with libyaml's C composer, values
  built from the node tree with their lines), and their ratio;
- the CPU seconds of ``load_dataset`` in this process (parse, validate and
  consolidate every file: what this benchmark's target is about), and of
  ``juesuan check --help`` (the start-up every command pays, issue 9 item 1);
- the CPU seconds of the whole ``juesuan check`` process on the department
  (children's user+system time, best of ``--repeat``), against the target of
  1.5 s at 300 units.

A unit's file holds the example's accounts (what ``compute.consolidate`` sums:
income, spending rows, economic classes, 三公, assets, performance), not the
department's own texts, which consolidation ignores.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
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


def check_process(dept: Path | None, repeat: int) -> tuple[float, float, int]:
    """CPU seconds and wall seconds of the whole ``juesuan check`` process (best of ``repeat``), its exit code."""
    runs = [_check_once(dept) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2]


def _check_once(dept: Path | None) -> tuple[float, float, int]:
    """``dept`` None: ``juesuan check --help``, the start-up every check pays."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "juesuan", "check", str(dept) if dept else "--help"], env=env,
                       capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode not in (0, 1):
        print(r.stdout[-2000:], r.stderr[-2000:], file=sys.stderr)
    return used, wall, r.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, nargs="*", default=[10, 100, 300])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not EXAMPLE.is_file():
        sys.exit(f"missing {EXAMPLE}")
    startup = check_process(None, args.repeat)[0]
    print(f"start-up (juesuan check --help, CPU): {startup:.2f} s")
    print(f"{'units':>6} {'files':>6} {'parse old s':>12} {'parse new s':>12} {'ratio':>6} {'load s':>7} "
          f"{'check CPU s':>12} {'wall s':>7} {'exit':>5} {'target':>7}")
    for units in args.units:
        with tempfile.TemporaryDirectory() as tmp:
            dept = generate(Path(tmp), units)
            texts = [p.read_text(encoding="utf-8") for p in sorted(Path(tmp).glob("*.yaml"))]
            old = parse_old(texts)
            new = min(parse_new(texts) for _ in range(args.repeat))
            load = min(load_in_process(dept) for _ in range(args.repeat))
            used, wall, code = check_process(dept, args.repeat)
            ok = "ok" if used <= TARGET_CPU or units < 300 else "MISSED"
            print(f"{units:>6} {len(texts):>6} {old:>12.2f} {new:>12.2f} {old / max(new, 1e-9):>5.1f}× {load:>7.2f} "
                  f"{used:>12.2f} {wall:>7.2f} {code:>5} {ok:>7}")


if __name__ == "__main__":
    main()
