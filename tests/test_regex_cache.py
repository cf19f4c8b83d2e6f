"""Compiled patterns kept between runs (juesuan.regex_cache): same matches as ``re``, never a failure."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from juesuan import patterns

SRC = Path(__file__).resolve().parents[1] / "src"

SENTENCE = "{dept}{year:year}年度收入、支出决算总计{total:amount}万元，其中：{items:items}。"
TEXT = "上海市普陀区财政局2024 年度收入、支出决算总计 4,499.46万元，其中：基本工资315.82万元、津贴补贴262.08万元。"

# a run compiles the sentence pattern (through the cache) and prints what it reads and whether
# the pattern came from the cache file
PROBE = (
    "import sys\n"
    "from juesuan import patterns, regex_cache\n"
    "loaded = dict(regex_cache._load())\n"
    "got = patterns.match(sys.argv[1], sys.argv[2])\n"
    "body = patterns.compile(sys.argv[1]).pattern\n"
    "print(repr({k: v for k, (v, _) in got.items()}), (body, 0) in loaded)\n"
)


def _run(cache: str) -> tuple[str, bool]:
    env = dict(os.environ, PYTHONPATH=str(SRC), JUESUAN_CACHE_DIR=cache)
    run = subprocess.run([sys.executable, "-c", PROBE, SENTENCE, TEXT], capture_output=True,
                         encoding="utf-8", env=env, timeout=120)
    assert run.returncode == 0 and not run.stderr, run.stderr
    values, from_cache = run.stdout.rsplit(" ", 1)
    return values, from_cache.strip() == "True"


def test_the_second_run_reads_the_patterns_from_the_cache(tmp_path: Path) -> None:
    first, cached = _run(str(tmp_path))
    assert not cached
    files = list(tmp_path.glob("regex-*.marshal"))
    assert len(files) == 1
    second, cached = _run(str(tmp_path))
    assert cached and second == first
    assert "Decimal('4499.46')" in second and "('津贴补贴', Decimal('262.08'))" in second


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    want, _ = _run(str(tmp_path))
    cache_file = next(tmp_path.glob("regex-*.marshal"))
    cache_file.write_bytes(cache_file.read_bytes()[: cache_file.stat().st_size // 2])
    got, cached = _run(str(tmp_path))
    assert got == want and not cached
    cache_file.write_bytes(b"not marshal at all")
    assert _run(str(tmp_path)) == (want, False)


def test_no_cache_folder_no_file(tmp_path: Path) -> None:
    got, cached = _run("")
    assert not cached and "4499.46" in got


@pytest.mark.parametrize("pattern", [SENTENCE, "{name:name}{n:count}个", "截至{year:year}年12月31日"])
def test_cached_compile_is_re_compile(pattern: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The code handed back from the cache compiles to the very pattern ``re`` compiles."""
    from juesuan import regex_cache

    body = patterns.compile(pattern).pattern
    fresh = re.compile(body)
    monkeypatch.setattr(regex_cache, "_entries", {})
    first = regex_cache.compile(body)
    again = regex_cache.compile(body)  # from the entry just made
    for rx in (first, again):
        assert rx.pattern == fresh.pattern and rx.groupindex == fresh.groupindex
        assert rx.groups == fresh.groups and rx.flags == fresh.flags
        for text in (TEXT, "普陀区3个", "截至2024年12月31日，", "无关的文字"):
            a, b = rx.search(text), fresh.search(text)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))
