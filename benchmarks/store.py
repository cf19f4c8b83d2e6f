"""Store benchmark: import many department-years and audited documents, then the comparisons.

Generated department-years are the bundled examples with other department names and
years (the figures are the examples' own, so every import goes through the real
reader and the real line items); the documents are the real ones of ../shared
(each imported once: the same content twice changes nothing).  Prints the time per
import, the comparison query times and the database size, on SQLite and — when
``JUESUAN_TEST_PG`` names a server (``scripts/postgres.sh`` starts one) — on PostgreSQL.

    python benchmarks/store.py [--years N] [--documents N]
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def generated(folder: Path, n: int) -> list[Path]:
    """``n`` datasets: the examples renamed (…局1, …局2 …) over the years 2019–2026."""
    sources = [ROOT / "examples" / "wuhai-gxj-2023" / "dataset.yaml", ROOT / "examples" / "putuo-czj-2024" / "dataset.yaml"]
    texts = [p.read_text(encoding="utf-8") for p in sources]
    out = []
    for i in range(n):
        text = texts[i % 2]
        name = re.search(r"^  name: (.+)$", text, re.M).group(1)  # type: ignore[union-attr]
        year = 2019 + (i // 2) % 8
        body = re.sub(r"^year: \d+", f"year: {year}", text, count=1, flags=re.M)
        body = body.replace(f"  name: {name}", f"  name: {name}{i // 16}", 1)
        path = folder / f"d{i:04d}.yaml"
        path.write_text(body, encoding="utf-8")
        out.append(path)
    return out


def run(url: str, datasets: list[Path], documents: list[Path], label: str) -> None:
    from juesuan.store import open_store
    from juesuan.store.importing import import_paths
    from juesuan.store.queries import compare

    store = open_store(url)
    t0 = time.perf_counter()
    results = import_paths(store, datasets, who="bench")
    t_ds = time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = import_paths(store, documents, who="bench")
    t_doc = time.perf_counter() - t0
    failed = sum(1 for r in results + docs if r.status == "失败")
    print(f"\n== {label}")
    print(f"  {len(datasets)} 个数据集：{t_ds:.1f} 秒，每个 {1000 * t_ds / max(len(datasets), 1):.0f} 毫秒；"
          f"{len(documents)} 份文档（导入时审核）：{t_doc:.1f} 秒；失败 {failed}")
    for figures in (["三公经费"], ["基本支出", "项目支出"], ["expenditure.basic@208"]):
        t0 = time.perf_counter()
        result = compare(store, figures)
        dt = time.perf_counter() - t0
        print(f"  比较 {'、'.join(figures)}：{len(result.rows)} 行 × {len(result.years)} 年，{1000 * dt:.0f} 毫秒")
    if url.startswith("sqlite:///"):
        size = os.path.getsize(url.removeprefix("sqlite:///"))
    else:
        from sqlalchemy import text

        with store.engine.connect() as conn:  # type: ignore[attr-defined]
            size = conn.execute(text("select pg_database_size(current_database())")).scalar()
    print(f"  数据库大小：{size / 2**20:.1f} MB")
    store.engine.dispose()  # type: ignore[attr-defined]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=1000, help="generated department-years (default 1000)")
    ap.add_argument("--documents", type=int, default=100, help="real documents at most (default 100)")
    args = ap.parse_args()
    documents = sorted(Path(p) for p in glob.glob(str(SHARED / "corpus" / "*.pdf")) + glob.glob(str(SHARED / "samples" / "*.pdf"))
                       + glob.glob(str(SHARED / "seed" / "*.txt")))[: args.documents]
    with tempfile.TemporaryDirectory() as tmp:
        datasets = generated(Path(tmp), args.years)
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", datasets, documents, "SQLite")
        base = os.environ.get("JUESUAN_TEST_PG")
        if base:
            import psycopg

            name = f"juesuan_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                run(base.rsplit("/", 1)[0] + f"/{name}", datasets, documents, "PostgreSQL")
            finally:
                with psycopg.connect(base, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        else:
            print("\n（PostgreSQL：未设置 JUESUAN_TEST_PG，未测。scripts/postgres.sh 可启动一个临时服务器。）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
