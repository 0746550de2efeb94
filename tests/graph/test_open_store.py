"""One setting chooses the backend."""

from __future__ import annotations

import pytest

from domain.errors import ConfigError
from graph.backends.falkordb import FalkorBackend
from graph.backends.neo4j import Neo4jBackend, parse_neo4j_url
from graph.store import open_store


def test_urls_choose_the_backend() -> None:
    embedded = open_store("embedded:/tmp/x").backend
    assert isinstance(embedded, FalkorBackend) and embedded.server is not None
    external = open_store("falkordb://:pw@db.example:6380/other").backend
    assert isinstance(external, FalkorBackend) and external.server is None
    assert external.graph_name == "other"
    assert isinstance(open_store("neo4j://neo4j:s%40cret@db:7687/gj").backend, Neo4jBackend)


def test_neo4j_urls_keep_credentials_out_of_the_uri() -> None:
    assert parse_neo4j_url("neo4j://neo4j:s%40cret@db:7687/gj") == (
        "neo4j://db:7687",
        ("neo4j", "s@cret"),
        "gj",
    )
    assert parse_neo4j_url("bolt+s://db") == ("bolt+s://db", None, None)


@pytest.mark.parametrize("url", ["mysql://x", "falkordb://", "neo4j://", "falkordb+unix://"])
def test_a_wrong_url_says_what_is_expected(url: str) -> None:
    with pytest.raises(ConfigError):
        open_store(url)
