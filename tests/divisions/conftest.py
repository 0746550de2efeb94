"""Make the repository root importable when pytest is run without an installed package."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from divisions import DivisionIndex  # noqa: E402


@pytest.fixture(scope="session")
def idx() -> DivisionIndex:
    return DivisionIndex.default()
