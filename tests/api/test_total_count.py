"""totalCount is counted however it is selected: directly, through ``...F``, through
``... on DemandConnection``, and inside fragments of fragments."""

from __future__ import annotations

import pytest

from tests.api.test_lists import gql
from tests.conftest import Api

DIRECT = "{ demands(first: 2) { totalCount nodes { id } } }"
SPREAD = """
{ demands(first: 2) { ...Counted nodes { id } } }
fragment Counted on DemandConnection { totalCount }
"""
INLINE = "{ demands(first: 2) { ... on DemandConnection { totalCount } nodes { id } } }"
NESTED = """
{ demands(first: 2) { ...Outer } }
fragment Outer on DemandConnection { nodes { id } ... on DemandConnection { ...Inner } }
fragment Inner on DemandConnection { totalCount }
"""
ALIASED = """
{ a: demands(first: 1) { ...Counted } b: people(first: 1) { ... on PersonConnection { totalCount } } }
fragment Counted on DemandConnection { totalCount }
"""


@pytest.mark.parametrize("query", [SPREAD, INLINE, NESTED], ids=["spread", "inline", "nested"])
def test_total_count_through_fragments(demo_api: Api, query: str) -> None:
    expected = gql(demo_api, DIRECT)["data"]["demands"]["totalCount"]
    assert isinstance(expected, int) and expected > 2
    body = gql(demo_api, query)
    assert "errors" not in body, body
    assert body["data"]["demands"]["totalCount"] == expected


def test_total_count_per_aliased_field(demo_api: Api) -> None:
    body = gql(demo_api, ALIASED)
    assert "errors" not in body, body
    assert isinstance(body["data"]["a"]["totalCount"], int)
    assert isinstance(body["data"]["b"]["totalCount"], int)


def test_total_count_null_when_not_asked(demo_api: Api) -> None:
    body = gql(demo_api, "{ demands(first: 1) { nodes { id } pageInfo { hasNextPage } } }")
    assert body["data"]["demands"] == {
        "nodes": body["data"]["demands"]["nodes"], "pageInfo": {"hasNextPage": True},
    }  # fmt: skip
