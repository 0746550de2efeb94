"""Nested relations as connections (``Community.demands(filter:, first:, after:)`` …), over
real HTTP on the demo graph: the same pages, totals, cursors and read scope as the
top-level lists, one round trip per level, and their cost counted."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_round_trips import round_trips
from tests.conftest import Api, bearer

HEJIANG = "510522000000"
ZHENLAI = "220821000000"

PAGE = "totalCount nodes { id } edges { cursor } pageInfo { hasNextPage endCursor }"


def gql(api: Api, query: str, token: str | None = None, **variables: Any) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else api.headers
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, headers=headers,
        timeout=60,
    )  # fmt: skip
    return response.json()


def data(api: Api, query: str, token: str | None = None, **variables: Any) -> Any:
    body = gql(api, query, token, **variables)
    assert "errors" not in body, body
    return body["data"]


def top(api: Api, field: str, kind: str, filter: dict[str, Any], after: str | None = None) -> Any:
    query = f"""query($f: {kind}Filter, $after: String) {{
      {field}(filter: $f, first: 2, after: $after) {{ {PAGE} }} }}"""
    return data(api, query, f=filter, after=after)[field]


def nested(
    api: Api,
    code: str,
    on: str,
    field: str,
    kind: str,
    filter: dict[str, Any] | None = None,
    after: str | None = None,
    token: str | None = None,
) -> Any:
    query = f"""query($code: String!, $f: {kind}Filter, $after: String) {{
      division(code: $code) {{ ... on {on} {{
        {field}(filter: $f, first: 2, after: $after) {{ {PAGE} }} }} }} }}"""
    return data(api, query, token, code=code, f=filter, after=after)["division"][field]


def assert_same_pages(nested_page: Any, top_page: Any) -> None:
    assert nested_page == top_page
    assert nested_page["totalCount"] > 0


def busiest(api: Api, level: str) -> str:
    """The code of the Hejiang community (or street) with the most demands."""
    found = data(api, "{ demands(first: 100) { nodes { community { code street { code } } } } }")
    codes = [
        n["community"]["code"] if level == "Community" else n["community"]["street"]["code"]
        for n in found["demands"]["nodes"]
    ]
    return max(set(codes), key=codes.count)


def test_a_community_s_demands_page_as_the_list_does(demo_api: Api) -> None:
    code = busiest(demo_api, "Community")
    first = nested(demo_api, code, "Community", "demands", "Demand")
    assert_same_pages(first, top(demo_api, "demands", "Demand", {"scope": code}))
    assert len(first["nodes"]) == 2 and first["pageInfo"]["hasNextPage"]
    after = first["pageInfo"]["endCursor"]
    second = nested(demo_api, code, "Community", "demands", "Demand", after=after)
    assert second == top(demo_api, "demands", "Demand", {"scope": code}, after)
    assert not {n["id"] for n in second["nodes"]} & {n["id"] for n in first["nodes"]}
    # a filter: the same input the top-level list takes
    status = data(
        demo_api, "query($c: String!) { demands(filter: {scope: $c}, first: 1) { nodes { status } } }",
        c=code,
    )["demands"]["nodes"][0]["status"]  # fmt: skip
    only = {"statuses": [status]}
    filtered = nested(demo_api, code, "Community", "demands", "Demand", only)
    assert_same_pages(filtered, top(demo_api, "demands", "Demand", {**only, "scope": code}))
    # another county's caller reads none of them (as the list reads none)
    other = bearer("COUNTY_ADMIN", ZHENLAI)
    hidden = nested(demo_api, code, "Community", "demands", "Demand", token=other)
    assert hidden["totalCount"] == 0 and hidden["nodes"] == []


def test_a_street_s_demands_page_as_the_list_does(demo_api: Api) -> None:
    code = busiest(demo_api, "Street")
    first = nested(demo_api, code, "Street", "demands", "Demand")
    assert_same_pages(first, top(demo_api, "demands", "Demand", {"scope": code}))
    after = first["pageInfo"]["endCursor"]
    second = nested(demo_api, code, "Street", "demands", "Demand", after=after)
    assert second == top(demo_api, "demands", "Demand", {"scope": code}, after)
    urgent = {"urgencies": ["URGENT"]}
    filtered = nested(demo_api, code, "Street", "demands", "Demand", urgent)
    assert filtered == top(demo_api, "demands", "Demand", {**urgent, "scope": code})
    other = bearer("COUNTY_ADMIN", ZHENLAI)
    hidden = nested(demo_api, code, "Street", "demands", "Demand", token=other)
    assert hidden["totalCount"] == 0 and hidden["nodes"] == []


def test_a_community_s_projects_page_as_the_list_does(demo_api: Api) -> None:
    found = data(demo_api, "{ projects(first: 100) { nodes { community { code } } } }")
    codes = [n["community"]["code"] for n in found["projects"]["nodes"]]
    code = max(set(codes), key=codes.count)
    first = nested(demo_api, code, "Community", "projects", "Project")
    assert_same_pages(first, top(demo_api, "projects", "Project", {"scope": code}))
    if first["pageInfo"]["hasNextPage"]:
        after = first["pageInfo"]["endCursor"]
        second = nested(demo_api, code, "Community", "projects", "Project", after=after)
        assert second == top(demo_api, "projects", "Project", {"scope": code}, after)
    text = {"text": "社区"}
    filtered = nested(demo_api, code, "Community", "projects", "Project", text)
    assert filtered == top(demo_api, "projects", "Project", {**text, "scope": code})
    other = bearer("COUNTY_ADMIN", ZHENLAI)
    hidden = nested(demo_api, code, "Community", "projects", "Project", token=other)
    assert hidden["totalCount"] == 0 and hidden["nodes"] == []


UNIT_RESOURCES = f"""query($id: ID!, $f: ResourceFilter, $after: String) {{
  node(id: $id) {{ ... on Unit {{
    resources(filter: $f, first: 2, after: $after) {{ {PAGE} }} }} }} }}"""


def test_a_unit_s_resources_page_as_the_list_does(demo_api: Api) -> None:
    found = data(demo_api, "{ resources(first: 100) { nodes { unit { id } } } }")
    ids = [n["unit"]["id"] for n in found["resources"]["nodes"]]
    unit = max(set(ids), key=ids.count)

    def of_unit(
        f: dict[str, Any] | None = None, after: str | None = None, token: str | None = None
    ) -> Any:
        node = data(demo_api, UNIT_RESOURCES, token, id=unit, f=f, after=after)["node"]
        return None if node is None else node["resources"]

    first = of_unit()
    assert_same_pages(first, top(demo_api, "resources", "Resource", {"unitId": unit}))
    assert first["pageInfo"]["hasNextPage"]
    after = first["pageInfo"]["endCursor"]
    assert of_unit(after=after) == top(demo_api, "resources", "Resource", {"unitId": unit}, after)
    available = {"statuses": ["AVAILABLE"]}
    assert of_unit(available) == top(
        demo_api, "resources", "Resource", {**available, "unitId": unit}
    )
    other = of_unit(token=bearer("COUNTY_ADMIN", ZHENLAI))
    assert other is None or (other["totalCount"] == 0 and other["nodes"] == [])


async def test_one_round_trip_per_level_for_every_parent(demo_api: Api) -> None:
    plain, _ = await round_trips(demo_api, "{ counties { streets { communities { id } } } }")
    paged, found = await round_trips(
        demo_api,
        """{ counties { streets { demands(first: 1) { totalCount }
             communities { id demands(first: 3) { totalCount nodes { id } }
               projects { totalCount } } } } }""",
    )
    streets = [s for c in found["counties"] for s in c["streets"]]
    communities = [m for s in streets for m in s["communities"]]
    assert len(streets) > 1 and len(communities) > 1
    assert sum(s["demands"]["totalCount"] for s in streets) > 0
    assert sum(m["demands"]["totalCount"] for m in communities) == sum(
        s["demands"]["totalCount"] for s in streets
    )
    # the streets' demands, then the communities' demands and projects: one trip each
    assert paged - plain == 3


def test_a_nested_page_counts_its_first_and_keeps_the_maximum(demo_api: Api) -> None:
    fan_out = """{ demands(first: 100) { nodes { community {
      demands(first: 100) { nodes { community {
        demands(first: 100) { nodes { id title } } } } } } } } }"""
    body = gql(demo_api, fan_out)
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "COST_LIMIT"
    too_big = gql(
        demo_api,
        "query($c: String!) { division(code: $c) { ... on Community {"
        " demands(first: 1000) { totalCount } } } }",
        c=busiest(demo_api, "Community"),
    )
    [error] = too_big["errors"]
    assert "100" in error["message"] and "first" in error["message"]


def all_pages(api: Api, query: str, field: str, token: str | None = None, **variables: Any) -> Any:
    """Every page of a node's nested connection (two at a time): (totals, ids in order)."""
    totals, ids, after = set(), [], None
    while True:
        node = data(api, query, token, after=after, **variables)["node"]
        if node is None:
            return None
        page = node[field]
        totals.add(page["totalCount"])
        ids += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            return totals, ids
        after = page["pageInfo"]["endCursor"]


PROJECT_DEMANDS = f"""query($id: ID!, $f: DemandFilter, $after: String) {{
  node(id: $id) {{ ... on Project {{
    demands(filter: $f, first: 2, after: $after) {{ {PAGE} }} }} }} }}"""
UNIT_PROJECTS = f"""query($id: ID!, $f: ProjectFilter, $after: String) {{
  node(id: $id) {{ ... on Unit {{
    projectsLed(filter: $f, first: 2, after: $after) {{ {PAGE} }} }} }} }}"""


def assert_pages_hold(
    api: Api, query: str, field: str, parent: str, listed: list[dict[str, Any]]
) -> None:
    """Every page of ``parent``'s ``field`` holds what one large page ``listed`` holds (ids
    and statuses), filtered by status as it is; another county reads none of it."""
    assert len(listed) > 0
    totals, ids = all_pages(api, query, field, id=parent)
    assert totals == {len(listed)} and sorted(ids) == sorted(x["id"] for x in listed)
    status = listed[0]["status"]
    _, ids = all_pages(api, query, field, id=parent, f={"statuses": [status]})
    assert sorted(ids) == sorted(x["id"] for x in listed if x["status"] == status)
    other = all_pages(api, query, field, bearer("COUNTY_ADMIN", ZHENLAI), id=parent)
    assert other is None or other == ({0}, [])


def busiest_node(api: Api, listing: str, field: str) -> tuple[str, list[dict[str, Any]]]:
    """The id of the ``listing`` node with the most ``field`` and all of them (ids, statuses)."""
    found = data(
        api, f"{{ {listing}(first: 100) {{ nodes {{ id {field}(first: 1) {{ totalCount }} }} }} }}"
    )
    parent = max(found[listing]["nodes"], key=lambda p: p[field]["totalCount"])["id"]
    query = f"""query($id: ID!) {{ node(id: $id) {{ ... on {listing[:-1].capitalize()} {{
      {field}(first: 100) {{ totalCount nodes {{ id status }} }} }} }} }}"""
    listed = data(api, query, id=parent)["node"][field]
    assert listed["totalCount"] == len(listed["nodes"])
    return parent, listed["nodes"]


def test_a_project_s_demands_page_as_one_page_holds_them(demo_api: Api) -> None:
    project, demands = busiest_node(demo_api, "projects", "demands")
    assert len(demands) > 2
    assert_pages_hold(demo_api, PROJECT_DEMANDS, "demands", project, demands)


def test_a_unit_s_projects_led_page_as_one_page_holds_them(demo_api: Api) -> None:
    unit, projects = busiest_node(demo_api, "units", "projectsLed")
    assert_pages_hold(demo_api, UNIT_PROJECTS, "projectsLed", unit, projects)
