"""Shared fixtures: the bundled examples and the real documents in ../shared/."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


def shared_file(relative: str) -> Path:
    """A real document from ../shared/, or skip the test saying why."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"real document {relative} not found beside the repository (../shared/ is absent)")
    return path


@pytest.fixture
def mini_path() -> Path:
    return DATA / "mini.yaml"


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path: Path):  # noqa: ANN001, ANN201
    """A web site on SQLite and one on PostgreSQL (when JUESUAN_TEST_PG names a test server;
    skipped otherwise): the web tests that take ``site`` run on both stores."""
    from tests.web_helpers import STORES, site_on

    assert request.param in STORES
    yield from site_on(request.param, tmp_path)
