"""Statistics over the demo counties: exact figures, agreement with the lists, round trips."""

from __future__ import annotations

from typing import Any

import httpx

from graph.queries import nodes
from graph.queries.stats import PLACED_LABELS
from graph.store import Store
from tests.api.test_profile import round_trips
from tests.conftest import Api, bearer

HEJIANG, FUYANG, BAIHUATING, ZHENLAI = (
    "510522000000",
    "510522001000",
    "510522001001",
    "220821000000",
)

ALL = """
query($scope: String) { statistics(scope: $scope) {
  scope { __typename ... on County { name } ... on Street { name } ... on Community { name } }
  nodes communities units resources demands projects agreements meetings
  resourcesByCategory { key label count }
  demandsByStatus { key label count } demandsByClass { key label count }
  demandsByCategory { key label count }
  projectsByClass { key label count } projectsByStatus { key label count } } }
"""


def post(api: Api, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, headers=api.headers,
        timeout=60,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return dict(response.json())


def stats(api: Api, scope: str | None) -> dict[str, Any]:
    body = post(api, ALL, scope=scope)
    assert "errors" not in body, body
    return dict(body["data"]["statistics"])


def counts(entries: list[dict[str, Any]]) -> dict[str, int]:
    return {e["key"]: e["count"] for e in entries}


def test_a_county_in_figures(demo_api: Api) -> None:
    found = stats(demo_api, HEJIANG)
    assert found["scope"] == {"__typename": "County", "name": "合江县"}
    figures = {k: found[k] for k in ("communities", "units", "resources", "demands", "projects")}
    assert figures == {
        "communities": 13,
        "units": 34,
        "resources": 79,
        "demands": 60,
        "projects": 21,
    }
    assert (found["agreements"], found["meetings"]) == (0, 0)
    assert found["demandsByClass"] == [
        {"key": "MAJOR", "label": "大事", "count": 5},
        {"key": "PRACTICAL", "label": "实事", "count": 26},
        {"key": "IMPORTANT", "label": "要事", "count": 11},
        {"key": "PRESSING", "label": "急事", "count": 11},
        {"key": "DIFFICULT", "label": "难事", "count": 7},
    ]
    # demo/README.md: 党建引领 9, 文体活动 3, 扶贫帮困 3, 医疗卫生 3, 志愿服务 3
    assert counts(found["projectsByClass"]) == {
        "PARTY_BUILDING": 9, "CULTURE_SPORTS": 3, "POVERTY_RELIEF": 3, "HEALTH": 3,
        "VOLUNTEERING": 3, "OTHER": 0,
    }  # fmt: skip
    # 点单 2, 派单 3, 接单 3, 实施 3, 完成 5, 评价 5
    assert found["projectsByStatus"][:3] == [
        {"key": "REPORTED", "label": "点单", "count": 2},
        {"key": "DISPATCHED", "label": "派单", "count": 3},
        {"key": "ACCEPTED", "label": "接单", "count": 3},
    ]
    assert counts(found["projectsByStatus"]) == {
        "REPORTED": 2, "DISPATCHED": 3, "ACCEPTED": 3, "IN_PROGRESS": 3, "DONE": 5,
        "EVALUATED": 5, "CANCELLED": 0,
    }  # fmt: skip
    # every one of the 19 categories is used by some resource (README), none is 其他
    by_category = counts(found["resourcesByCategory"])
    assert sum(by_category.values()) == 79
    assert [k for k, n in by_category.items() if n == 0] == ["OTHER"]
    assert sum(counts(found["demandsByCategory"]).values()) == 60
    assert sum(counts(found["demandsByStatus"]).values()) == 60


def test_a_street_and_a_community(demo_api: Api) -> None:
    street = stats(demo_api, "510522001")
    assert street["scope"] == {"__typename": "Street", "name": "符阳街道"}
    figures = {k: street[k] for k in ("communities", "units", "resources", "demands", "projects")}
    assert figures == {
        "communities": 10, "units": 33, "resources": 76, "demands": 47, "projects": 18,
    }  # fmt: skip
    # the rosters load 814 nodes under the street; its demands' timelines count there too
    # (the exact partition: test_nodes_partition_the_graph)
    assert street["nodes"] > 814
    community = stats(demo_api, BAIHUATING)
    assert community["scope"] == {"__typename": "Community", "name": "百花亭社区"}
    assert (community["communities"], community["units"], community["demands"]) == (1, 7, 5)
    assert counts(community["demandsByClass"]) == {
        "MAJOR": 0, "PRACTICAL": 2, "IMPORTANT": 0, "PRESSING": 1, "DIFFICULT": 2,
    }  # fmt: skip


LISTS = """
query($scope: String) {
  demands(filter: {scope: $scope}) { totalCount }
  projects(filter: {scope: $scope}) { totalCount }
  resources(filter: {scope: $scope}) { totalCount }
  units(filter: {scope: $scope}) { totalCount }
  statistics(scope: $scope) { demands projects resources units } }
"""


def test_figures_agree_with_the_lists(demo_api: Api) -> None:
    for scope in (HEJIANG, FUYANG, BAIHUATING, "510522002003", ZHENLAI, "220821003003"):
        reader = Api.at(str(demo_api), bearer("VIEWER", scope[:6] + "000000"))  # its county
        data = post(reader, LISTS, scope=scope)["data"]
        lists = {k: data[k]["totalCount"] for k in ("demands", "projects", "resources", "units")}
        assert lists == data["statistics"], scope


async def test_nodes_partition_the_graph(demo_api: Api, demo_store: Store) -> None:
    hejiang, zhenlai = stats(demo_api, HEJIANG)["nodes"], stats(demo_api, ZHENLAI)["nodes"]
    # the demo rosters: hejiang loads 1003 nodes and zhenlai 273, and the demo's timelines
    # (assignments, events, chases, whistles, call-backs) count in their county
    placed = {
        label: (await demo_store.run(nodes.COUNT[label]))[0]["count"] for label in PLACED_LABELS
    }
    assert placed["Assignment"] > 0
    assert hejiang + zhenlai == 1003 + 273 + sum(placed.values())
    assert hejiang > 1003 and zhenlai >= 273
    everything = (await demo_store.run(nodes.COUNT_ALL))[0]["nodes"]
    # what no place holds: tokens, the audit trail and the notices' outbox (the API's worker
    # sweeps the demo's overdue assignments into OVERDUE notices)
    outside = 0
    for label in (
        "ApiToken",
        "AuditEntry",
        "Notice",
        "NoticeSequence",
        "WebhookCursor",
        "Delivery",
    ):
        outside += (await demo_store.run(nodes.COUNT[label]))[0]["count"]
    assert stats(demo_api, None)["nodes"] == everything == hejiang + zhenlai + outside


def test_each_figure_costs_a_statement_only_when_asked_for(demo_api: Api) -> None:
    trips, data = round_trips(demo_api, "{ statistics { nodes } }")
    assert trips == 1
    trips, data = round_trips(
        demo_api,
        "{ statistics { demands demandsByStatus { count } demandsByClass { key count }"
        " demandsByCategory { label } } }",
    )
    assert (trips, data["statistics"]["demands"]) == (1, 87)
    # a scope is looked up first
    trips, _ = round_trips(
        demo_api, '{ statistics(scope: "510522") { projects projectsByClass { count } } }'
    )
    assert trips == 2


def test_scope_errors(demo_api: Api) -> None:
    bad = post(demo_api, '{ statistics(scope: "12") { nodes } }')
    assert bad["errors"][0]["message"] == "区划代码应为 6、9 或 12 位数字，收到 '12'"
    unknown = post(demo_api, '{ statistics(scope: "510522009") { nodes } }')
    assert unknown["errors"][0]["message"] == "没有区划代码为 510522009 的地方 (no such place)"
