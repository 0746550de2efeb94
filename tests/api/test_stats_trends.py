"""The workbench's trend and heat-map figures: demands and projects per month, demands
per community and category, agreeing with the other figures on both demo counties."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from graph.store import Store
from tests.api import seed
from tests.api.test_stats import BAIHUATING, HEJIANG, ZHENLAI, post
from tests.conftest import Api, bearer

TRENDS = """
query($scope: String) { statistics(scope: $scope) {
  demands projects demandsByCategory { key label count }
  demandsByMonth { month count byStatus { key label count } }
  projectsByMonth { month count byStatus { key count } }
  demandsByCommunityAndCategory { communityId communityCode communityName category categoryLabel count }
} }
"""


def trends(api: Api, scope: str | None) -> dict[str, Any]:
    body = post(api, TRENDS, scope=scope)
    assert "errors" not in body, body
    return dict(body["data"]["statistics"])


def consecutive(months: list[str]) -> bool:
    pairs = pairwise(months)
    return all(
        (int(b[:4]) * 12 + int(b[5:])) - (int(a[:4]) * 12 + int(a[5:])) == 1 for a, b in pairs
    )


def test_months_and_cells_add_up_to_the_totals(demo_api: Api) -> None:
    for scope in (HEJIANG, ZHENLAI, "510522001", BAIHUATING, "220821003003"):
        # a viewer of the scope's own county: other counties' streets are not readable
        s = trends(Api.at(str(demo_api), bearer("VIEWER", scope[:6] + "000000")), scope)
        for key, total in (("demandsByMonth", s["demands"]), ("projectsByMonth", s["projects"])):
            months = s[key]
            assert sum(m["count"] for m in months) == total, (scope, key)
            assert consecutive([m["month"] for m in months]), (scope, key)
            for m in months:
                assert sum(c["count"] for c in m["byStatus"]) == m["count"], (scope, m)
        if s["demands"]:
            first, last = s["demandsByMonth"][0], s["demandsByMonth"][-1]
            assert first["count"] > 0 and last["count"] > 0, scope
        cells = s["demandsByCommunityAndCategory"]
        assert sum(c["count"] for c in cells) == s["demands"], scope
        assert all(c["count"] > 0 for c in cells)
        assert all(c["communityCode"].startswith(scope.rstrip("0")[:6]) for c in cells)
        per_category: dict[str, int] = {}
        for c in cells:
            per_category[c["category"]] = per_category.get(c["category"], 0) + c["count"]
        by_category = {c["key"]: c["count"] for c in s["demandsByCategory"] if c["count"]}
        assert per_category == by_category, scope
        labels = {c["key"]: c["label"] for c in s["demandsByCategory"]}
        assert all(c["categoryLabel"] == labels[c["category"]] for c in cells)


def test_a_community_month_by_month(demo_api: Api) -> None:
    s = trends(demo_api, BAIHUATING)
    # the demo roster: 百花亭社区's 江南小区停车难 was collected on 2021-09-14, still open
    september = next(m for m in s["demandsByMonth"] if m["month"] == "2021-09")
    assert september["count"] >= 1
    assert {c["communityName"] for c in s["demandsByCommunityAndCategory"]} == {"百花亭社区"}
    assert {c["category"] for c in s["demandsByCommunityAndCategory"]} >= {"TRAFFIC"}


async def test_a_demand_without_a_date_counts_in_the_month_it_was_recorded(
    store: Store, api: Api
) -> None:
    await seed.hierarchy(store)
    reported = post(
        api,
        "mutation($input: ReportDemandInput!) { reportDemand(input: $input) { __typename } }",
        input={"community": "510522001006", "title": "楼道灯坏了", "category": "INFRASTRUCTURE",
               "matterClass": "PRACTICAL"},
    )  # fmt: skip
    assert reported["data"]["reportDemand"]["__typename"] == "Demand", reported
    s = trends(api, seed.COUNTY)
    now = datetime.now(UTC).strftime("%Y-%m")
    assert [(m["month"], m["count"]) for m in s["demandsByMonth"]] == [(now, 1)]
    assert s["demandsByMonth"][0]["byStatus"][0] == {"key": "OPEN", "label": "待认领", "count": 1}
    assert s["projectsByMonth"] == []
    assert s["demandsByCommunityAndCategory"] == [
        {"communityId": "510522001006", "communityCode": "510522001006",
         "communityName": "桂圆林社区", "category": "INFRASTRUCTURE", "categoryLabel": "基础设施",
         "count": 1},
    ]  # fmt: skip
    # a street without demands has no months
    assert trends(api, "510522002000")["demandsByMonth"] == []
