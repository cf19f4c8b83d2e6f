"""What a run derives the same way every time, kept between runs: compiled patterns, parsed profiles.

Python's ``re`` compiles a pattern in pure Python (parse, then code
generation) and keeps the result only for the process.  The audit reads the
narrative with a few hundred long patterns (every sentence of a profile, with
its whitespace and punctuation variants): compiling them costs more than
reading a 25-page PDF.  ``compile(pattern)`` keeps what the compiler produced
(the SRE code, flags and groups) and on the next run hands it straight to
``_sre.compile``, which checks the code before it runs it.  Likewise
``parsed(kind, name, text, parse)`` keeps what ``parse(text)`` gave for a
file's text (the shipped profiles' YAML), found again only for the very same
text (its SHA-256), and ``pickled(kind, name, digest, make)`` an object whose
making costs far more than unpickling (a validated profile), found again only
for the same digest of what it is made from.

Each kind of entry is one file of the user's cache folder, keyed by the
Python build and the SRE version (another Python starts afresh); anything
unexpected (no cache folder, an unreadable or foreign file, a value marshal
cannot write, an interpreter whose ``re`` internals differ) falls back to
doing the work: the cache changes how long a start takes, never a result.

The folder: ``JUESUAN_CACHE_DIR`` when set (empty: no cache), else
``%LOCALAPPDATA%\\juesuan\\cache`` on Windows and ``$XDG_CACHE_HOME/juesuan``
(``~/.cache/juesuan``) elsewhere.  New entries are written at exit, atomically
(a temporary file renamed over the old one); a file holds at most
``MAX_ENTRIES`` entries.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["MAX_ENTRIES", "cache_file", "compile", "parsed", "pickled"]

MAX_ENTRIES = 5000


def _version() -> str:
    import _sre

    return f"{sys.implementation.cache_tag} {sys.version} {_sre.MAGIC} {_sre.CODESIZE}"


def cache_file(kind: str) -> Path | None:
    """The cache file of entries of ``kind`` for this Python, or None when caching is off."""
    env = os.environ.get("JUESUAN_CACHE_DIR")
    if env is not None:
        if not env.strip():
            return None
        folder = Path(env)
    elif os.name == "nt":
        folder = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "juesuan" / "cache"
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "juesuan"
    return folder / f"{kind}-{sys.implementation.cache_tag}.marshal"


class _Store:
    """The entries of one kind: read from the file at first use, written at exit when changed."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[Any, Any] | None = None
        self.path: Path | None = None  # the file read, and written back at exit
        self.dirty = False

    @property
    def entries(self) -> dict[Any, Any]:
        if self._entries is None:
            self._entries = {}
            path = self.path = cache_file(self.kind)
            if path is not None:
                import marshal

                try:
                    version, entries = marshal.loads(path.read_bytes())
                    if version == _version() and isinstance(entries, dict):
                        self._entries = entries
                except (OSError, EOFError, ValueError, TypeError):  # absent, foreign or damaged: afresh
                    pass
                atexit.register(self.save)
        return self._entries

    def put(self, key: Any, value: Any) -> None:
        entries = self.entries
        if len(entries) < MAX_ENTRIES:
            entries[key] = value
            self.dirty = True

    def save(self) -> None:
        """Write the entries to the cache file (nothing new: nothing written)."""
        path = self.path
        if not self.dirty or self._entries is None or path is None:
            return
        import marshal
        import tempfile

        try:
            data = marshal.dumps((_version(), self._entries))
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, ValueError):  # a read-only or full disk, a value marshal cannot write
            pass
        self.dirty = False


_REGEX = _Store("regex")
_PARSED = _Store("parsed")
_PICKLED = _Store("pickled")


def _fresh(pattern: str, flags: int) -> tuple[re.Pattern[str], tuple]:
    """Compile as ``re`` does, keeping what ``_sre.compile`` is given."""
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    tree = _parser.parse(pattern, flags)
    code = _compiler._code(tree, flags)
    groupindex = dict(tree.state.groupdict)
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    # plain ints: the code holds int subclasses (the opcodes), which marshal does not write
    entry = (int(flags | tree.state.flags), [int(c) for c in code], tree.state.groups - 1,
             groupindex, tuple(indexgroup))
    return _sre.compile(pattern, *entry), entry


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - as re.compile
    """``re.compile(pattern, flags)``, from the cache when this Python compiled it before."""
    flags = int(flags)  # a RegexFlag is no plain int to marshal
    key = (pattern, flags)
    got = _REGEX.entries.get(key)
    if got is not None:
        import _sre

        try:
            return _sre.compile(pattern, *got)
        except (RuntimeError, TypeError, ValueError, OverflowError):  # not this SRE's code
            del _REGEX.entries[key]
    try:
        regex, entry = _fresh(pattern, flags)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - re's internals are not what this module knows
        return re.compile(pattern, flags)
    _REGEX.put(key, entry)
    return regex


def parsed(kind: str, name: str, text: str, parse: Callable[[str], Any]) -> Any:
    """``parse(text)``, kept for the same ``kind``, ``name`` and text (plain data only: dicts,
    lists, strings, numbers; a result marshal cannot write is not kept)."""
    key = (kind, name)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    got = _PARSED.entries.get(key)
    if got is not None and got[0] == digest:
        return got[1]
    value = parse(text)
    try:
        import marshal

        marshal.dumps(value)
    except ValueError:  # dates, Decimals …: parsed again next time
        return value
    _PARSED.put(key, (digest, value))
    return value


def pickled(kind: str, name: str, digest: str, make: Callable[[], Any]) -> Any:
    """``make()``, kept pickled for the same ``kind``, ``name`` and ``digest`` (which must change
    with everything the object is made from, its classes' code included).  For objects whose
    making costs far more than unpickling: a validated profile (pydantic builds its validators
    at the first validation, a few tenths of a second).  The file is the user's own, as the
    installed code is; a pickle that does not load is made again."""
    import pickle

    key = (kind, name)
    got = _PICKLED.entries.get(key)
    if got is not None and got[0] == digest:
        try:
            return pickle.loads(got[1])
        except Exception:  # noqa: BLE001 - from another version of a class: made again
            pass
    value = make()
    try:
        _PICKLED.put(key, (digest, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))
    except Exception:  # noqa: BLE001 - not picklable: made every time
        pass
    return value
