"""Compiled patterns and parsed profiles kept between runs (juesuan.runcache): same results, never a failure."""

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
    "from juesuan import patterns, runcache\n"
    "loaded = dict(runcache._REGEX.entries)\n"
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
    from juesuan import runcache

    body = patterns.compile(pattern).pattern
    fresh = re.compile(body)
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(runcache, "_REGEX", runcache._Store("test"))
    first = runcache.compile(body)
    again = runcache.compile(body)  # from the entry just made
    for rx in (first, again):
        assert rx.pattern == fresh.pattern and rx.groupindex == fresh.groupindex
        assert rx.groups == fresh.groups and rx.flags == fresh.flags
        for text in (TEXT, "普陀区3个", "截至2024年12月31日，", "无关的文字"):
            a, b = rx.search(text), fresh.search(text)
            assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


PROFILE_PROBE = (
    "from juesuan import runcache\n"
    "from juesuan.profiles import load_profile\n"
    "cached = ('profile', 'shanghai-2024') in runcache._PICKLED.entries\n"
    "p = load_profile('shanghai-2024')\n"
    "print(len(p.model_dump_json()), p.patterns['s1.total'][:12], cached)\n"
)


def test_a_shipped_profile_is_validated_once_for_all_runs(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(SRC), JUESUAN_CACHE_DIR=str(tmp_path))
    runs = [subprocess.run([sys.executable, "-c", PROFILE_PROBE], capture_output=True, encoding="utf-8",
                           env=env, timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    first, second = (r.stdout.split() for r in runs)
    assert first[-1] == "False" and second[-1] == "True"
    assert first[:-1] == second[:-1]  # the same profile, to the last field


def test_parsed_again_when_the_text_changes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from juesuan import runcache

    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(runcache, "_PARSED", runcache._Store("test-parsed"))
    calls: list[str] = []

    def parse(text: str) -> dict:
        calls.append(text)
        return {"text": text}

    assert runcache.parsed("k", "a", "one", parse) == {"text": "one"}
    assert runcache.parsed("k", "a", "one", parse) == {"text": "one"}
    assert runcache.parsed("k", "a", "two", parse) == {"text": "two"}
    assert calls == ["one", "two"]
    import datetime

    assert runcache.parsed("k", "d", "x", lambda _t: {"d": datetime.date(2024, 1, 1)})  # not kept, returned
    assert ("k", "d") not in runcache._PARSED.entries


def test_pickled_made_again_for_another_digest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from juesuan import runcache

    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(runcache, "_PICKLED", runcache._Store("test-pickled"))
    made: list[str] = []

    def make(tag: str):  # noqa: ANN202
        return lambda: made.append(tag) or {"made": tag}

    assert runcache.pickled("k", "a", "d1", make("one")) == {"made": "one"}
    assert runcache.pickled("k", "a", "d1", make("two")) == {"made": "one"}  # kept
    assert runcache.pickled("k", "a", "d2", make("three")) == {"made": "three"}  # the code changed
    runcache._PICKLED.entries[("k", "a")] = ("d2", b"not a pickle")
    assert runcache.pickled("k", "a", "d2", make("four")) == {"made": "four"}
    assert made == ["one", "three", "four"]
