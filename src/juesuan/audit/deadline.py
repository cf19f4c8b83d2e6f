"""A per-document time limit for the audit: a cooperative deadline its main loops check.

``time_limit(seconds)`` sets the deadline for what runs inside it;
``deadline_check()`` (per PDF page, per check, per table page, per claim line)
raises ``TimeLimitExceeded`` once it has passed.  It derives from
BaseException, like KeyboardInterrupt, so that no "one check must not stop the
audit" handler swallows it: the document is given up as a whole, exit 2, and
no partial result is written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from juesuan.readers.limits import env_limit

DEFAULT_SECONDS = float(env_limit("JUESUAN_AUDIT_TIME_LIMIT", 120))

_deadline: float | None = None
_seconds: float = 0.0


class TimeLimitExceeded(BaseException):  # noqa: N818 - a signal like KeyboardInterrupt, not an error class
    """The document's time limit passed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.message = (f"审核超过时间上限（{seconds:g} 秒），已停止，未输出部分结果"
                        "（可用 --time-limit 或环境变量 JUESUAN_AUDIT_TIME_LIMIT 调整）")


@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Run the body under a deadline of ``seconds`` (default ``JUESUAN_AUDIT_TIME_LIMIT`` or 120 s; 0: none)."""
    global _deadline, _seconds  # noqa: PLW0603 - one audit at a time per process
    seconds = DEFAULT_SECONDS if seconds is None else seconds
    before = _deadline, _seconds
    if seconds > 0:
        _deadline, _seconds = time.monotonic() + seconds, seconds
    try:
        yield
    finally:
        _deadline, _seconds = before


def deadline_check() -> None:
    if _deadline is not None and time.monotonic() > _deadline:
        raise TimeLimitExceeded(_seconds)
