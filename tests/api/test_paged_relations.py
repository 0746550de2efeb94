"""Relations served as connections (``Unit.members(first:, after:)`` …, ``relation.paged``)
over real HTTP on the demo graph: pages that add up to the whole, a total, cursors, the
read scope, and one round trip per level for every parent."""

from __future__ import annotations

from typing import Any

from tests.api.test_nested_connections import data, gql
from tests.api.test_round_trips import round_trips
from tests.conftest import Api, bearer

ZHENLAI = "220821000000"

MEMBERS = """query($id: ID!, $after: String) { node(id: $id) { ... on Unit {
  members(first: 2, after: $after) { totalCount nodes { id }
    pageInfo { hasNextPage hasPreviousPage endCursor } } } } }"""


def busiest_unit(api: Api) -> tuple[str, int]:
    """The demo unit with the most members, and how many."""
    found = data(api, "{ units(first: 100) { nodes { id members(first: 1) { totalCount } } } }")
    counts = {n["id"]: n["members"]["totalCount"] for n in found["units"]["nodes"]}
    unit = max(counts, key=lambda k: counts[k])
    return unit, counts[unit]


def test_a_unit_s_members_page_through_the_whole_list(demo_api: Api) -> None:
    unit, total = busiest_unit(demo_api)
    assert total > 2
    whole = data(
        demo_api, "query($id: ID!) { node(id: $id) { ... on Unit { members(first: 50) {"
        " totalCount nodes { id } pageInfo { hasNextPage } } } } }", id=unit,
    )["node"]["members"]  # fmt: skip
    assert (whole["totalCount"], whole["pageInfo"]["hasNextPage"]) == (total, False)
    ids: list[str] = []
    after: str | None = None
    while True:
        page = data(demo_api, MEMBERS, id=unit, after=after)["node"]["members"]
        assert page["totalCount"] == total
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        ids += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert ids == [n["id"] for n in whole["nodes"]]
    other = data(demo_api, MEMBERS, bearer("COUNTY_ADMIN", ZHENLAI), id=unit)["node"]
    assert other is None or (other["members"]["totalCount"] == 0 and not other["members"]["nodes"])


def test_a_bad_cursor_or_page_fails_the_field_with_a_code(demo_api: Api) -> None:
    unit, _ = busiest_unit(demo_api)
    bad = gql(demo_api, MEMBERS, id=unit, after="not-a-cursor")
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    too_big = gql(
        demo_api,
        "query($id: ID!) { node(id: $id) { ... on Unit { members(first: 1000) { totalCount } } } }",
        id=unit,
    )
    assert too_big["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


def test_a_member_s_service_logs_page(demo_api: Api) -> None:
    found = data(
        demo_api, '{ members(communityCode: "510522001006", first: 50) { nodes { id'
        " serviceLogs(first: 1) { totalCount nodes { hours } pageInfo { hasNextPage } } } } }",
    )["members"]["nodes"]  # fmt: skip
    logged: list[dict[str, Any]] = [m["serviceLogs"] for m in found if m["serviceLogs"]["nodes"]]
    assert logged
    for logs in logged:
        assert len(logs["nodes"]) == 1
        assert logs["pageInfo"]["hasNextPage"] == (logs["totalCount"] > 1)


async def test_one_round_trip_per_level_for_every_parent(demo_api: Api) -> None:
    plain, _ = await round_trips(demo_api, "{ units(first: 50) { nodes { id } } }")
    paged, found = await round_trips(
        demo_api,
        """{ units(first: 50) { nodes { id members(first: 2) { totalCount nodes { id } }
             agreements { totalCount } assignments(first: 1) { totalCount } } } }""",
    )
    units = found["units"]["nodes"]
    assert len(units) > 1 and sum(u["members"]["totalCount"] for u in units) > 0
    # the units' members, agreements and open assignments: one trip each
    assert paged - plain == 3


RESOURCE_PROJECTS = """query($id: ID!, $after: String) { node(id: $id) { ... on Resource {
  projects(first: 1, after: $after) { totalCount nodes { id name }
    pageInfo { hasNextPage endCursor } } } } }"""


def test_a_resource_s_projects_page_by_name(demo_api: Api) -> None:
    found = data(
        demo_api, "{ resources(first: 100) { nodes { id projects(first: 1) { totalCount } } } }"
    )["resources"]["nodes"]  # fmt: skip
    resource = max(found, key=lambda r: r["projects"]["totalCount"])
    total = resource["projects"]["totalCount"]
    assert total > 1
    names: list[str] = []
    after: str | None = None
    while True:
        page = data(demo_api, RESOURCE_PROJECTS, id=resource["id"], after=after)["node"]
        page = page["projects"]
        assert page["totalCount"] == total and len(page["nodes"]) == 1
        names += [n["name"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(names) == total and names == sorted(names)
