"""The one exception readers raise: input that cannot be read, said in Chinese."""

from __future__ import annotations

from dataclasses import replace

from juesuan.model.findings import Location


def plain_reason(exc: BaseException) -> str:
    """What an unexpected exception says, for a user: its text without a class name or a program path."""
    import os

    text = str(exc).strip()
    if not text or "<class" in text or "Error" in text or os.sep in text or len(text) > 200:
        return "程序未能处理这一内容"
    return text


class InputError(Exception):
    """Input that cannot be used at all (exit code 2).

    ``problems`` lists every reason found (a reader collects them rather than
    stopping at the first), each with a location where one is known.
    """

    def __init__(self, message: str, location: Location | None = None,
                 problems: list[tuple[str, Location]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.problems = problems or []

    def describe(self, file: str | None = None) -> str:
        """The message with its places; ``file``: the file the reader already names, not repeated."""

        def place(loc: Location) -> str:
            return (replace(loc, file=None) if file is not None and loc.file == file else loc).describe()

        lines = [self.message]
        where = place(self.location)
        if where:
            lines[0] = f"{where}：{self.message}"
        for msg, loc in self.problems:
            w = place(loc)
            lines.append(f"  - {w}：{msg}" if w else f"  - {msg}")
        return "\n".join(lines)
