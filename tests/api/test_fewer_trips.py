"""Fewer database round trips, the same answers: a list's total comes from its last page
when it can, and nodes a statement returned anyway are not fetched again."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from resolvers.paging import encode_cursor
from tests.conftest import Api, bearer

DEMANDS = """
query($filter: DemandFilter, $first: Int, $after: String) {
  demands(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id community { name code } } } }
"""
LINKS = """
query($code: String!) { division(code: $code) { ... on Community { name
  liaisonUnits { lead unit { id name kind resources { nodes { id name } } } } } } }
"""


def gql(api: Api, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, timeout=30,
        headers=api.headers,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def trips(api: Api) -> tuple[float, float]:
    text = httpx.get(f"{api}/metrics", headers=api.headers, timeout=30).text
    total = re.search(r"^gongjian_request_round_trips_sum\{\} (\S+)$", text, re.M)
    count = re.search(r"^gongjian_request_round_trips_count\{\} (\S+)$", text, re.M)
    assert total and count, text[:2000]
    return float(total[1]), float(count[1])


def trips_of(api: Api, query: str, **variables: Any) -> float:
    before = trips(api)
    gql(api, query, **variables)
    after = trips(api)
    assert after[1] - before[1] == 1
    return after[0] - before[0]


def walk(api: Api, filter: dict[str, Any], first: int) -> tuple[list[str], set[int]]:
    """Every page of a list: the ids in order and the totals the pages reported."""
    ids: list[str] = []
    totals: set[int] = set()
    after = None
    while True:
        page = gql(api, DEMANDS, filter=filter, first=first, after=after)["demands"]
        ids += [n["id"] for n in page["nodes"]]
        totals.add(page["totalCount"])
        if not page["pageInfo"]["hasNextPage"]:
            return ids, totals
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(
    "filter",
    [
        {"scope": "510522000000"},  # a county
        {"scope": "510522002000", "statuses": ["OPEN"]},  # a small street
        {"scope": "220821001000"},  # a street of another county
        {"scope": "510522001006", "urgencies": ["URGENT"]},  # a community, a narrow filter
        {"text": "一个谁也不会写进需求的词"},  # nothing at all
    ],
)
def test_totals_agree_on_every_page_size(demo_api: Api, filter: dict[str, Any]) -> None:
    everything, [total] = walk(demo_api, filter, 100)
    assert len(everything) == total
    for first in sorted({1, 2, max(total - 1, 1), max(total, 1), total + 1}):
        ids, totals = walk(demo_api, filter, first)
        assert ids == everything and totals == {total}, (first, totals)
    # a cursor past the end: no rows, and still the true total
    past = gql(demo_api, DEMANDS, filter=filter, first=5, after=encode_cursor(total + 10))
    assert past["demands"]["nodes"] == [] and past["demands"]["totalCount"] == total


def test_a_short_list_with_its_total_and_communities_is_one_round_trip(demo_api: Api) -> None:
    filter = {"scope": "510522001000", "statuses": ["OPEN"]}
    assert trips_of(demo_api, DEMANDS, filter=filter, first=100) == 1
    # a truncated page needs the count statement too
    assert trips_of(demo_api, DEMANDS, filter=filter, first=3) == 2
    page = gql(demo_api, DEMANDS, filter=filter, first=100)["demands"]
    assert all(n["community"]["code"].startswith("510522001") for n in page["nodes"])


def test_liaison_links_bring_their_units(demo_api: Api) -> None:
    # the community, its links with their units, the units' resources
    assert trips_of(demo_api, LINKS, code="510522001006") == 3
    zhenlai = Api.at(str(demo_api), bearer("VIEWER", "220821000000"))  # its own county
    community = gql(zhenlai, LINKS, code="220821001001")["division"]
    assert community["liaisonUnits"], "庆生社区 has liaison units"
    assert all(link["unit"]["id"] and link["unit"]["kind"] for link in community["liaisonUnits"])
