"""Every hostile case of issue 8, one process each: ``python benchmarks/hostile.py [NAME…]``.

The cases are ``tests/hostile_cases.py`` (the same as ``tests/test_hostile.py``
runs): each input is generated in a temporary folder, then ``juesuan`` runs on
it in a child process under a 3 GB address-space limit.  Prints a table: the
case, the limit or rule that ends it, the exit code, the wall seconds and CPU
seconds of the child, its peak memory (maximum resident set), the input's
size on disk, and whether the expected Chinese message was said.  A name
argument keeps the cases whose name contains it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.hostile_cases import CASES  # noqa: E402

MEMORY_LIMIT = 3 * 2**30
TIMEOUT = 300


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def size_on_disk(folder: Path) -> int:
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file())


def run(args: list[str], cwd: Path) -> tuple[int | None, float, float, float, str]:
    """Exit code, wall s, CPU s, peak MB and output of one child process (exit None: killed at the timeout)."""
    import threading

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    log = cwd / ".output.txt"
    t0 = time.perf_counter()
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "juesuan", *args], cwd=cwd, env=env,  # noqa: S603
                                stdout=fh, stderr=subprocess.STDOUT, preexec_fn=_limited)  # noqa: PLW1509
        timer = threading.Timer(TIMEOUT, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    code = None if proc.returncode < 0 else proc.returncode
    out = log.read_text(encoding="utf-8", errors="replace")
    log.unlink()
    return code, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def main() -> None:
    wanted = sys.argv[1:]
    cases = [c for c in CASES if not wanted or any(w in c.name for w in wanted)]
    print(f"{'case':32} {'limit':44} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'peak MB':>8} {'disk KB':>8} message")
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            args = case.make(folder)
            disk = size_on_disk(folder) // 1024
            code, wall, cpu, peak, out = run(args, folder)
            said = "ok" if case.needle in out and "Traceback" not in out else "MISSING: " + out[-200:]
            print(f"{case.name:32} {case.limit:44} {code if code is not None else 'hang':>4} {wall:>7.2f} "
                  f"{cpu:>6.2f} {peak:>8.0f} {disk:>8} {said}", flush=True)
    print("peak MB: the child's maximum resident set; CPU s: its user + system time; disk KB: the input's "
          "blocks on disk (sparse files count what is stored)")


if __name__ == "__main__":
    main()
