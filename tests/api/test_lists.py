"""Lists over the demo county: filters, sorting, cursors, totals, limits."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Api

DEMANDS = """
query($filter: DemandFilter, $first: Int, $after: String, $sort: DemandSort, $descending: Boolean) {
  demands(filter: $filter, first: $first, after: $after, sort: $sort, descending: $descending) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    nodes { id title status urgency matterClass category collectedOn community { name code } }
  } }
"""


def gql(api: Api, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, timeout=30,
        headers=api.headers,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_paging_through_every_demand_of_a_street(demo_api: Api) -> None:
    seen: list[str] = []
    after = None
    total = None
    while True:
        body = gql(demo_api, DEMANDS, filter={"scope": "510522001000"}, first=7, after=after)
        page = body["data"]["demands"]
        total = page["totalCount"]
        seen += [n["id"] for n in page["nodes"]]
        assert all(n["community"]["code"].startswith("510522001") for n in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == total
    everything = gql(demo_api, DEMANDS, filter={"scope": "510522000000"}, first=100)
    assert total < everything["data"]["demands"]["totalCount"]


def test_filters_combine_and_sorting_orders(demo_api: Api) -> None:
    body = gql(
        demo_api, DEMANDS, filter={"urgencies": ["URGENT"], "statuses": ["OPEN"]}, first=100,
        sort="COLLECTED_ON", descending=False,
    )  # fmt: skip
    nodes = body["data"]["demands"]["nodes"]
    assert nodes and all(n["urgency"] == "URGENT" and n["status"] == "OPEN" for n in nodes)
    dates = [n["collectedOn"] for n in nodes]
    assert dates == sorted(dates)
    gas = gql(demo_api, DEMANDS, filter={"text": "天然气"}, first=10)["data"]["demands"]["nodes"]
    assert any(n["community"]["name"] == "桥凼社区" for n in gas)


def test_page_size_and_cursor_errors_say_what_to_fix(demo_api: Api) -> None:
    too_big = gql(demo_api, DEMANDS, first=1000)
    assert "first 改为 100 以内" in too_big["errors"][0]["message"]
    bad_cursor = gql(demo_api, DEMANDS, first=5, after="not-a-cursor")
    assert "endCursor" in bad_cursor["errors"][0]["message"]


def test_resources_units_and_projects_lists(demo_api: Api) -> None:
    resources = gql(
        demo_api,
        """{ resources(filter: {scope: "510522001006", minCapacityLeft: 1},
        first: 100) { totalCount nodes { name capacityLeft unit { name kind } availableIn { __typename } } } }""",
    )
    nodes = resources["data"]["resources"]["nodes"]
    assert nodes and all(n["capacityLeft"] >= 1 for n in nodes)
    units = gql(
        demo_api, "{ units(filter: {kinds: [UTILITY]}, first: 50) { nodes { name kindLabel } } }"
    )
    names = [n["name"] for n in units["data"]["units"]["nodes"]]
    assert "合江县天然气有限公司" in names
    assert all(n["kindLabel"] == "公共服务企业" for n in units["data"]["units"]["nodes"])
    projects = gql(
        demo_api,
        """{ projects(filter: {scope: "510522000000"}, first: 100, sort: NAME,
        descending: false) { totalCount nodes { name status projectClassLabel leadUnit { name }
        demands { nodes { title } } uses { quantity resource { name } } } } }""",
    )
    page = projects["data"]["projects"]
    assert page["totalCount"] == 21
    assert [n["name"] for n in page["nodes"]] == sorted(n["name"] for n in page["nodes"])
    assert all(n["uses"] and n["demands"]["nodes"] for n in page["nodes"])


def test_descending_lists_and_both_directions_of_projects(demo_api: Api) -> None:
    resources = gql(
        demo_api, "{ resources(first: 5, sort: NAME, descending: true) { nodes { name } } }"
    )
    names = [n["name"] for n in resources["data"]["resources"]["nodes"]]
    assert names == sorted(names, reverse=True)
    units = gql(
        demo_api,
        "{ units(first: 5, sort: NAME, descending: true) { nodes { name projectsLed(first: 10) { nodes { name units { name } demands(first: 10) { nodes { projects { name } } } uses { resource { projects(first: 10) { nodes { name } } } } } } } } }",
    )
    found = units["data"]["units"]["nodes"]
    assert [u["name"] for u in found] == sorted((u["name"] for u in found), reverse=True)
    for unit in found:
        for project in unit["projectsLed"]["nodes"]:
            assert all(
                project["name"] in [p["name"] for p in d["projects"]]
                for d in project["demands"]["nodes"]
            )
            assert all(
                project["name"] in [p["name"] for p in u["resource"]["projects"]["nodes"]]
                for u in project["uses"]
            )


def test_lean_and_full_demand_statements_agree(demo_api: Api) -> None:
    """A caller without units and no overdue test reads through ``demands.lean.list``
    (no per-row units or lateness); with an overdue test, through ``demands.list``: the
    two overdue halves make up the lean list, totals included (first: 3 counts)."""

    def ids_and_total(**extra: Any) -> tuple[set[str], int]:
        seen: set[str] = set()
        after, total = None, 0
        while True:
            f = {"scope": "510522000000", **extra}
            page = gql(demo_api, DEMANDS, filter=f, first=3, after=after)["data"]["demands"]
            seen |= {n["id"] for n in page["nodes"]}
            total = page["totalCount"]
            if not page["pageInfo"]["hasNextPage"]:
                return seen, total
            after = page["pageInfo"]["endCursor"]

    lean, lean_total = ids_and_total()
    late, late_total = ids_and_total(overdue=True)
    timely, timely_total = ids_and_total(overdue=False)
    assert lean and not late & timely
    assert lean == late | timely
    assert lean_total == len(lean) == late_total + timely_total
