"""Compiled regular expressions kept between runs: the audit's sentence patterns compile once.

Python's ``re`` compiles a pattern in pure Python (parse, then code
generation) and keeps the result only for the process.  The audit reads the
narrative with a few hundred long patterns (every sentence of a profile, with
its whitespace and punctuation variants): compiling them costs more than
reading a 25-page PDF.  ``compile(pattern)`` keeps what the compiler produced
(the SRE code, flags and groups) in one file of the user's cache folder, and
on the next run hands it straight to ``_sre.compile``, which checks the code
before it runs it.  The file is keyed by the Python build and the SRE version
(another Python starts afresh); anything unexpected (no cache folder, an
unreadable or foreign file, an interpreter whose ``re`` internals differ) falls
back to ``re.compile``: the cache changes how long a start takes, never what a
pattern matches.

The folder: ``JUESUAN_CACHE_DIR`` when set (empty: no cache), else
``%LOCALAPPDATA%\\juesuan\\cache`` on Windows and ``$XDG_CACHE_HOME/juesuan``
(``~/.cache/juesuan``) elsewhere.  New patterns are written at exit, atomically
(a temporary file renamed over the old one); the file holds at most
``MAX_ENTRIES`` patterns.
"""

from __future__ import annotations

import atexit
import os
import re
import sys
from pathlib import Path

__all__ = ["MAX_ENTRIES", "cache_file", "compile"]

MAX_ENTRIES = 5000

_Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
_entries: dict[tuple[str, int], _Entry] | None = None
_dirty = False


def _version() -> str:
    import _sre

    return f"{sys.implementation.cache_tag} {sys.version} {_sre.MAGIC} {_sre.CODESIZE}"


def cache_file() -> Path | None:
    """The cache file of this Python, or None when caching is off."""
    env = os.environ.get("JUESUAN_CACHE_DIR")
    if env is not None:
        if not env.strip():
            return None
        folder = Path(env)
    elif os.name == "nt":
        folder = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "juesuan" / "cache"
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "juesuan"
    return folder / f"regex-{sys.implementation.cache_tag}.marshal"


def _load() -> dict[tuple[str, int], _Entry]:
    global _entries
    if _entries is None:
        _entries = {}
        path = cache_file()
        if path is not None:
            import marshal

            try:
                version, entries = marshal.loads(path.read_bytes())
                if version == _version() and isinstance(entries, dict):
                    _entries = entries
            except (OSError, EOFError, ValueError, TypeError):  # absent, foreign or damaged: start afresh
                pass
            atexit.register(_save)
    return _entries


def _save() -> None:
    """Write the patterns compiled in this run to the cache file (nothing new: nothing written)."""
    path = cache_file()
    if not _dirty or _entries is None or path is None:
        return
    import marshal
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps((_version(), _entries)))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):  # a read-only or full disk: the next run compiles again
        pass


def _fresh(pattern: str, flags: int) -> tuple[re.Pattern[str], _Entry]:
    """Compile as ``re`` does, keeping what ``_sre.compile`` is given."""
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    # plain ints: the code holds int subclasses (the opcodes), which marshal does not write
    entry: _Entry = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1,
                     groupindex, tuple(indexgroup))
    return _sre.compile(pattern, *entry), entry


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - as re.compile
    """``re.compile(pattern, flags)``, from the cache when this Python compiled it before."""
    global _dirty
    entries = _load()
    key = (pattern, flags)
    got = entries.get(key)
    if got is not None:
        import _sre

        try:
            return _sre.compile(pattern, *got)
        except (RuntimeError, TypeError, ValueError, OverflowError):  # not this SRE's code
            del entries[key]
    try:
        regex, entry = _fresh(pattern, flags)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - re's internals are not what this module knows
        return re.compile(pattern, flags)
    if len(entries) < MAX_ENTRIES:
        entries[key] = entry
        _dirty = True
    return regex
