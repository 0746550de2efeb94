"""Over HTTP: a demand reported without a category is classified; GraphQL shows the
flag and the confidence; an admin confirms or corrects it (policy and audit)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import httpx

from graph.store import Store
from loaders import load_paths
from tests.conftest import Api, bearer

#: 达拉特旗 (Inner Mongolia), 工业街道, 召北社区: not the demo county
BANNER, STREET, COMMUNITY = "150621000000", "150621001000", "150621001001"
FIELDS = """__typename ... on Error { code message } ... on Demand { id category categoryLabel
  categoryInferred categoryConfidence categoryGiven matterClass matterClassInferred urgency }"""
REPORT = f"mutation($input: ReportDemandInput!) {{ reportDemand(input: $input) {{ {FIELDS} }} }}"
CONFIRM = f"""mutation($id: ID!, $category: Category!) {{
  confirmDemandCategory(id: $id, category: $category) {{ {FIELDS} }} }}"""
PENDING = """query($scope: String!) { demands(filter: {scope: $scope, categoryInferred: true}) {
  totalCount edges { node { title } } } }"""
AUDIT = """query($id: ID!) { auditTrail(targetId: $id) { ... on AuditPage {
  entries { action actor before after } } } }"""


def gql(api: Api, query: str, token: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"}, timeout=120,
    )  # fmt: skip
    body = response.json()
    assert "errors" not in body, body
    [value] = body["data"].values()
    return dict(value)


async def _places(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "demands.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([
            ["县", "街道", "社区", "需求标题", "需求类别", "事项类型"],
            ["达拉特旗", "工业街道", "召北社区", "重阳节活动", "文体活动", "实事"],
        ])  # fmt: skip
    assert (await load_paths(store, [path])).exitCode == 0


async def test_report_without_category_then_confirm(store: Store, api: Api, tmp_path: Path) -> None:
    await _places(store, tmp_path)
    admin = bearer("COUNTY_ADMIN", BANNER)
    reported = gql(api, REPORT, admin, input={
        "community": COMMUNITY, "title": "暖气片冰凉",
        "description": "入冬半个月了暖气还不热，屋里只有十二三度，老人孩子都冻感冒了",
    })  # fmt: skip
    assert reported["__typename"] == "Demand", reported
    assert reported["category"] == "INFRASTRUCTURE"
    assert reported["categoryInferred"] is True and reported["matterClassInferred"] is True
    assert 0 < reported["categoryConfidence"] <= 1
    assert reported["categoryGiven"] is None and reported["urgency"] == "NORMAL"

    pending = gql(api, PENDING, admin, scope=BANNER)
    assert pending["totalCount"] == 1 and pending["edges"][0]["node"]["title"] == "暖气片冰凉"

    # a grid worker of the community may report, not confirm
    worker = bearer("GRID_WORKER", COMMUNITY)
    refused = gql(api, CONFIRM, worker, id=reported["id"], category="EQUIPMENT")
    assert (refused["__typename"], refused["code"]) == ("ForbiddenError", "FORBIDDEN")
    # nor may an admin of another county
    outsider = gql(api, CONFIRM, bearer("COUNTY_ADMIN", "510522000000"), id=reported["id"],
                   category="EQUIPMENT")  # fmt: skip
    assert outsider["__typename"] == "ForbiddenError"

    street_admin = bearer("STREET_ADMIN", STREET, "街道管理员")
    confirmed = gql(api, CONFIRM, street_admin, id=reported["id"], category="EQUIPMENT")
    assert confirmed["__typename"] == "Demand", confirmed
    assert (confirmed["category"], confirmed["categoryLabel"]) == ("EQUIPMENT", "设施设备")
    assert confirmed["categoryInferred"] is False and confirmed["categoryConfidence"] is None
    assert gql(api, PENDING, admin, scope=BANNER)["totalCount"] == 0

    entries = gql(api, AUDIT, admin, id=reported["id"])["entries"]
    assert [e["action"] for e in entries] == ["CONFIRM_DEMAND_CATEGORY", "REPORT_DEMAND"]
    before, after = json.loads(entries[0]["before"]), json.loads(entries[0]["after"])
    assert (before["category"], before["categoryInferred"]) == ("INFRASTRUCTURE", True)
    assert (after["category"], after["categoryInferred"]) == ("EQUIPMENT", False)
    assert entries[0]["actor"] == "街道管理员"


async def test_a_given_category_is_kept_and_not_flagged(
    store: Store, api: Api, tmp_path: Path
) -> None:
    await _places(store, tmp_path)
    admin = bearer("COUNTY_ADMIN", BANNER)
    reported = gql(api, REPORT, admin, input={
        "community": COMMUNITY, "title": "暖气不热", "category": "FUNDS", "matterClass": "MAJOR",
    })  # fmt: skip
    assert (reported["category"], reported["matterClass"]) == ("FUNDS", "MAJOR")
    assert reported["categoryInferred"] is False and reported["categoryConfidence"] is None
    assert reported["matterClassInferred"] is False
    missing = gql(api, CONFIRM, admin, id="dem_00000000000000000000", category="FUNDS")
    assert missing["__typename"] == "ForbiddenError"
