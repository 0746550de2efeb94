"""Richer querying over the demo county: filters composed with AND / OR / NOT equal a
Python oracle over the same rows, several sort keys, last/before, the Date scalar."""

from __future__ import annotations

import functools
import itertools
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolvers.paging import encode_cursor
from tests.conftest import Api

FIELDS = "id title description status urgency matterClass category categoryInferred collectedOn"
DEMANDS = f"""
query($filter: DemandFilter, $first: Int, $after: String, $last: Int, $before: String,
      $sortBy: [DemandSortInput!]) {{
  demands(filter: $filter, first: $first, after: $after, last: $last, before: $before,
          sortBy: $sortBy) {{
    totalCount
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
    nodes {{ {FIELDS} collectedDate }}
  }} }}
"""


def gql(api: Api, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, timeout=30,
        headers=api.headers,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return dict(response.json())


def demands(api: Api, **variables: Any) -> dict[str, Any]:
    body = gql(api, DEMANDS, **variables)
    assert "errors" not in body, body["errors"]
    return dict(body["data"]["demands"])


def every_demand(api: Api) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        page = demands(api, first=100, after=after)
        rows += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return rows
        after = page["pageInfo"]["endCursor"]


# -- the oracle ---------------------------------------------------------------------------


def holds(f: dict[str, Any], d: dict[str, Any]) -> bool:
    """What a DemandFilter means, in Python."""
    tests = {
        "statuses": lambda v: d["status"] in v,
        "urgencies": lambda v: d["urgency"] in v,
        "classes": lambda v: d["matterClass"] in v,
        "categoryInferred": lambda v: bool(d["categoryInferred"]) == v,
        "text": lambda v: v in d["title"] or v in d["description"],
        "collectedOn_GTE": lambda v: d["collectedOn"] is not None and d["collectedOn"] >= v,
        "dateTo": lambda v: d["collectedOn"] is not None and d["collectedOn"] <= v,
    }
    for key, value in f.items():
        if key == "AND" and not all(holds(g, d) for g in value):
            return False
        if key == "OR" and value and not any(holds(g, d) for g in value):
            return False
        if key == "NOT" and holds(value, d):
            return False
        if key in tests and not tests[key](value):
            return False
    return True


ATOMS = st.one_of(
    st.fixed_dictionaries({"statuses": st.lists(st.sampled_from(["OPEN", "MATCHED", "RESOLVED"]), min_size=1, max_size=2)}),
    st.fixed_dictionaries({"urgencies": st.just(["URGENT"])}),
    st.fixed_dictionaries({"classes": st.lists(st.sampled_from(["MAJOR", "PRACTICAL", "DIFFICULT", "PRESSING", "IMPORTANT"]), min_size=1, max_size=2)}),
    st.fixed_dictionaries({"categoryInferred": st.booleans()}),
    st.fixed_dictionaries({"text": st.sampled_from(["社区", "老", "路", "水", "活动"])}),
    st.fixed_dictionaries({"collectedOn_GTE": st.sampled_from(["2024-01-01", "2024-06-15", "2025-01-01"])}),
    st.fixed_dictionaries({"dateTo": st.sampled_from(["2024-03-31", "2024-12-31"])}),
)  # fmt: skip


def _combine(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.builds(lambda a, b: {**a, **b}, ATOMS, ATOMS),
        st.lists(children, min_size=1, max_size=3).map(lambda fs: {"AND": fs}),
        st.lists(children, min_size=1, max_size=3).map(lambda fs: {"OR": fs}),
        children.map(lambda f: {"NOT": f}),
        st.builds(lambda a, f: {**a, "OR": [f, {"NOT": f}]}, ATOMS, children),
    )


FILTERS = st.recursive(ATOMS, _combine, max_leaves=6)


@settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(tree=FILTERS)
def test_composed_filters_equal_the_oracle(demo_api: Api, tree: dict[str, Any]) -> None:
    everything = _everything(demo_api)
    expected = {d["id"] for d in everything if holds(tree, d)}
    page = demands(demo_api, filter=tree, first=100)
    assert {n["id"] for n in page["nodes"]} == expected, tree
    assert page["totalCount"] == len(expected)


_EVERYTHING: dict[str, list[dict[str, Any]]] = {}


def _everything(api: Api) -> list[dict[str, Any]]:
    if str(api) not in _EVERYTHING:
        _EVERYTHING[str(api)] = every_demand(api)
    return _EVERYTHING[str(api)]


def test_a_composition_that_matches_some_and_not_all(demo_api: Api) -> None:
    everything = _everything(demo_api)
    tree = {
        "OR": [{"urgencies": ["URGENT"]}, {"NOT": {"statuses": ["OPEN"]}}],
        "AND": [{"NOT": {"text": "社区"}}],
    }
    expected = {d["id"] for d in everything if holds(tree, d)}
    assert 0 < len(expected) < len(everything)
    assert {n["id"] for n in demands(demo_api, filter=tree, first=100)["nodes"]} == expected


# -- several sort keys --------------------------------------------------------------------


def _cypher_cmp(a: Any, b: Any, descending: bool) -> int:
    """Cypher's order: null is the largest value (last ascending, first descending)."""
    if a == b:
        return 0
    bigger = a is None if a is None or b is None else a > b
    return (-1 if bigger else 1) if descending else (1 if bigger else -1)


def test_several_sort_keys_with_ties(demo_api: Api) -> None:
    everything = _everything(demo_api)
    keys = [("urgency", True), ("status", False), ("collectedOn", True)]
    sort_by = [
        {"field": {"urgency": "URGENCY", "status": "STATUS", "collectedOn": "COLLECTED_ON"}[k],
         "direction": "DESC" if desc else "ASC"}
        for k, desc in keys
    ]  # fmt: skip

    def compare(a: dict[str, Any], b: dict[str, Any]) -> int:
        for key, desc in [*keys, ("id", True)]:  # the id last, in the first key's direction
            c = _cypher_cmp(a[key], b[key], desc)
            if c:
                return c
        return 0

    expected = [d["id"] for d in sorted(everything, key=functools.cmp_to_key(compare))]
    assert len({d["urgency"] for d in everything}) < len(everything)  # ties on the first key
    got = [n["id"] for n in demands(demo_api, first=100, sortBy=sort_by)["nodes"]]
    assert got == expected


def test_sort_by_errors_say_what_to_fix(demo_api: Api) -> None:
    four = [{"field": "TITLE"}] * 4
    body = gql(demo_api, DEMANDS, first=5, sortBy=four)
    assert "at most 3 sort keys" in body["errors"][0]["message"]


# -- last / before ------------------------------------------------------------------------


def test_last_before_walks_back_through_the_same_pages(demo_api: Api) -> None:
    forward: list[dict[str, Any]] = []
    after = None
    while True:
        page = demands(demo_api, first=4, after=after)
        forward.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(forward) > 2
    for earlier, later in itertools.pairwise(forward):
        back = demands(demo_api, last=4, before=later["pageInfo"]["startCursor"])
        assert [n["id"] for n in back["nodes"]] == [n["id"] for n in earlier["nodes"]]
        assert back["pageInfo"]["startCursor"] == earlier["pageInfo"]["startCursor"]
        assert back["pageInfo"]["endCursor"] == earlier["pageInfo"]["endCursor"]
        assert back["pageInfo"]["hasNextPage"] is True
        assert back["pageInfo"]["hasPreviousPage"] == earlier["pageInfo"]["hasPreviousPage"]
    every = [n["id"] for page in forward for n in page["nodes"]]
    tail = demands(demo_api, last=3)
    assert [n["id"] for n in tail["nodes"]] == every[-3:]
    assert tail["totalCount"] == len(every)
    assert tail["pageInfo"]["hasNextPage"] is False
    assert tail["pageInfo"]["hasPreviousPage"] is True
    start = demands(demo_api, last=10, before=forward[0]["pageInfo"]["endCursor"])
    assert [n["id"] for n in start["nodes"]] == every[:3]
    assert start["pageInfo"]["hasPreviousPage"] is False


def test_paging_both_ways_at_once_is_refused(demo_api: Api) -> None:
    body = gql(demo_api, DEMANDS, first=3, last=3)
    assert "first/after" in body["errors"][0]["message"]
    body = gql(demo_api, DEMANDS, last=3, before="nonsense")
    assert "startCursor" in body["errors"][0]["message"]


# -- the Date scalar and the limits of composition ----------------------------------------


def test_date_filters_and_fields(demo_api: Api) -> None:
    everything = _everything(demo_api)
    page = demands(demo_api, filter={"collectedOn_GTE": "2024-06-01"}, first=100)
    expected = {d["id"] for d in everything if (d["collectedOn"] or "") >= "2024-06-01"}
    assert {n["id"] for n in page["nodes"]} == expected
    assert all(n["collectedDate"] == n["collectedOn"] for n in page["nodes"])


def test_bad_dates_say_what_to_write(demo_api: Api) -> None:
    body = gql(demo_api, DEMANDS, filter={"collectedOn_GTE": "2024/06/01"}, first=1)
    assert "YYYY-MM-DD" in body["errors"][0]["message"]
    body = gql(demo_api, DEMANDS, filter={"collectedOn_LTE": "2024-02-30"}, first=1)
    assert "no such day: 2024-02-30" in body["errors"][0]["message"]


def test_scope_inside_or_and_oversized_compositions_are_refused(demo_api: Api) -> None:
    body = gql(demo_api, DEMANDS, filter={"OR": [{"scope": "510522001000"}]}, first=1)
    assert "scope is allowed at the top level" in body["errors"][0]["message"]
    wide = {"AND": [{"OR": [{"urgencies": ["URGENT"]}, {"text": "社区"}]}] * 6}
    body = gql(demo_api, DEMANDS, filter=wide, first=1)
    assert "filter too complex" in body["errors"][0]["message"]


# -- the other lists ----------------------------------------------------------------------


def test_resources_units_projects_people_compose_sort_and_page_back(demo_api: Api) -> None:
    resources = gql(demo_api, """{
      all: resources(first: 100) { nodes { id status category capacityLeft } }
      some: resources(first: 100, filter: {OR: [{categories: [VENUE]}, {minCapacityLeft: 5}],
                                          NOT: {statuses: [WITHDRAWN]}}) { totalCount nodes { id } }
    }""")["data"]  # fmt: skip
    expected = {
        r["id"] for r in resources["all"]["nodes"]
        if (r["category"] == "VENUE" or r["capacityLeft"] >= 5) and r["status"] != "WITHDRAWN"
    }  # fmt: skip
    assert expected and {r["id"] for r in resources["some"]["nodes"]} == expected
    units = gql(demo_api, """{
      all: units(first: 100) { nodes { id kind name } }
      some: units(first: 100, filter: {NOT: {kinds: [UTILITY]}, OR: [{text: "公司"}, {text: "局"}]},
                  sortBy: [{field: KIND, direction: DESC}, {field: NAME}]) { nodes { id } }
      back: units(last: 2, sortBy: [{field: KIND, direction: DESC}, {field: NAME}]) { nodes { id } }
    }""")["data"]  # fmt: skip
    some = [
        u for u in units["all"]["nodes"]
        if u["kind"] != "UTILITY" and ("公司" in u["name"] or "局" in u["name"])
    ]  # fmt: skip
    some.sort(key=lambda u: (u["name"], u["id"]))
    some.sort(key=lambda u: u["kind"], reverse=True)
    assert some and [u["id"] for u in units["some"]["nodes"]] == [u["id"] for u in some]
    projects = gql(demo_api, """{
      all: projects(first: 100) { nodes { id status startDate startedOn } }
      some: projects(first: 100, filter: {OR: [{statuses: [DONE]}, {startDate_GTE: "2024-06-01"}]})
        { nodes { id } }
    }""")["data"]  # fmt: skip
    expected = {
        p["id"] for p in projects["all"]["nodes"]
        if p["status"] == "DONE" or (p["startDate"] or "") >= "2024-06-01"
    }  # fmt: skip
    assert {p["id"] for p in projects["some"]["nodes"]} == expected
    assert all(p["startedOn"] == p["startDate"] for p in projects["all"]["nodes"])
    sort = "sortBy: [{field: NAME, direction: DESC}]"
    total = gql(demo_api, f"{{ people({sort}) {{ totalCount }} }}")["data"]["people"]["totalCount"]
    people = gql(demo_api, f"""{{
      tail: people(first: 5, after: "{encode_cursor(total - 6)}", {sort}) {{ nodes {{ id }} }}
      back: people(last: 5, {sort}) {{ nodes {{ id }} }}
    }}""")["data"]  # fmt: skip
    assert people["back"] == people["tail"] and len(people["back"]["nodes"]) == 5


def test_people_compose_over_their_posts(demo_api: Api) -> None:
    query = """query($filter: PeopleFilter) {
      people(filter: $filter, first: 100) { totalCount nodes { id } } }"""

    def found(filter: dict[str, Any]) -> set[str]:
        body = gql(demo_api, query, filter=filter)
        assert "errors" not in body, body
        return {p["id"] for p in body["data"]["people"]["nodes"]}

    firsts = found({"roleKinds": ["FIRST_SECRETARY"]})
    seconds = found({"roleKinds": ["COMMUNITY_SECRETARY"]})
    assert firsts and seconds
    either = {"OR": [{"roleKinds": ["FIRST_SECRETARY"]}, {"roleKinds": ["COMMUNITY_SECRETARY"]}]}
    assert found(either) == firsts | seconds
    assert found({"roleKinds": ["FIRST_SECRETARY", "COMMUNITY_SECRETARY"]}) == firsts | seconds
    assert found({"AND": [either], "NOT": {"roleKinds": ["COMMUNITY_SECRETARY"]}}) == firsts


def test_stages_compose_and_overdue_stays_at_the_top(demo_api: Api) -> None:
    """A demand never dispatched is REPORTED inside OR / NOT as at the top level; overdue
    (computed from the assignments only when asked for) is refused inside a composition."""
    total = demands(demo_api, first=1)["totalCount"]
    reported = demands(demo_api, filter={"stages": ["REPORTED"]}, first=1)["totalCount"]
    either = {"OR": [{"stages": ["REPORTED"]}, {"statuses": ["CLOSED"]}]}
    assert demands(demo_api, filter=either, first=1)["totalCount"] >= reported
    negated = demands(demo_api, filter={"NOT": {"stages": ["REPORTED"]}}, first=1)
    assert negated["totalCount"] == total - reported
    body = gql(demo_api, DEMANDS, filter={"OR": [{"overdue": True}]}, first=1)
    assert "overdue is allowed at the top level" in body["errors"][0]["message"]
