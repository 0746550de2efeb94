"""Fixtures of the package tests.

``neo4j_uri`` here is provisional: it reads NEO4J_URI and skips when it is unset. The
session-wide Neo4j fixture of tests/conftest.py replaces it (delete this one then).
"""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("NEO4J_URI is not set: no Neo4j 5 server to test")
    return uri
