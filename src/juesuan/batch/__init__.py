"""Many documents at once: the per-document jobs (pure functions of a name, its bytes or
path and the options, returning a small JSON-able record), the executors that run them
(a local process pool, a Dask cluster) behind one interface, the runner that streams
the records to a JSON-lines file and resumes it by content hash, and the scorecards
computed from those records.

Nothing here schedules work itself: the local pool is a set of worker processes fed
one document at a time, Dask does its own scheduling.
"""

from __future__ import annotations

__all__ = ["JOBS"]

JOBS = ("audit", "extract", "build")
