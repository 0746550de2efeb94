"""Over real HTTP: a city admin (市委组织部) over every county of its city and no other;
statistics, gaps and plans of a whole city; item limits refused before any write; the
two small leaks (a project's status before the permission check; an unknown audit
action)."""

from __future__ import annotations

from typing import Any

import httpx

from access.principal import AccessRole
from app.settings import DEMO_DIR
from domain.ids import derived_id
from graph.queries import nodes
from graph.store import Store
from loaders import load_folder
from tests.conftest import Api, bearer

DEMO = DEMO_DIR
LUZHOU, BAICHENG = "510500000000", "220800000000"
HEJIANG, ZHENLAI = "510522000000", "220821000000"
GUIYUANLIN, ZAOLINQIAO, QINGAN = "510522001006", "510522001002", "220821003003"
LEAD = derived_id("Unit", HEJIANG, "中共合江县委组织部")
REPORT = """mutation($input: ReportDemandInput!) { reportDemand(input: $input) {
  __typename ... on Error { code message field } ... on Node { id } } }"""
STATS = "query($s: String) { statistics(scope: $s) { nodes communities demands } }"
GAPS = "query($s: String!) { gaps(scope: $s) { scopeId unmet { communityId } } }"
PLAN = """query($s: String!) { allocationPlan(scope: $s) { __typename
  ... on AllocationPlan { scopeId items { demandId } } ... on Error { code } } }"""


def raw(api: Api, token: str, query: str, **variables: Any) -> Any:
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"}, timeout=60,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return response.json()


def call(api: Api, token: str, query: str, **variables: Any) -> Any:
    body = raw(api, token, query, **variables)
    assert "errors" not in body, body
    [result] = body["data"].values()
    return result


def demand(community: str, title: str) -> dict[str, Any]:
    return {"community": community, "title": title, "category": "ENVIRONMENT",
            "matterClass": "PRACTICAL"}  # fmt: skip


async def _demo(store: Store) -> None:
    for county in ("hejiang", "zhenlai"):
        assert (await load_folder(store, DEMO / county)).ok


async def test_a_city_admin_writes_every_county_of_its_city_and_no_other(
    store: Store, api: Api
) -> None:
    await _demo(store)
    luzhou = bearer(AccessRole.CITY_ADMIN.value, LUZHOU, "泸州市委组织部")
    baicheng = bearer(AccessRole.CITY_ADMIN.value, BAICHENG, "白城市委组织部")
    assert call(api, luzhou, REPORT, input=demand(GUIYUANLIN, "全市一"))["__typename"] == "Demand"
    assert call(api, luzhou, REPORT, input=demand(QINGAN, "全市二"))["code"] == "FORBIDDEN"
    assert call(api, baicheng, REPORT, input=demand(QINGAN, "全市三"))["__typename"] == "Demand"
    assert call(api, baicheng, REPORT, input=demand(GUIYUANLIN, "全市四"))["code"] == "FORBIDDEN"
    # statistics, gaps and plans of a whole city: its counties, and only them
    city = call(api, luzhou, STATS, s=LUZHOU)
    county = call(api, luzhou, STATS, s=HEJIANG)
    assert city == county and city["communities"] > 0  # the demo has one county of 泸州市
    other = call(api, baicheng, STATS, s=BAICHENG)
    assert other == call(api, baicheng, STATS, s=ZHENLAI) and other["communities"] > 0
    gaps = call(api, luzhou, GAPS, s=LUZHOU)
    assert gaps["scopeId"] == LUZHOU
    assert {u["communityId"][:6] for u in gaps["unmet"]} == {"510522"}
    plan = call(api, baicheng, PLAN, s=BAICHENG)
    assert plan["__typename"] == "AllocationPlan"
    assert all(i["demandId"] for i in plan["items"])
    # a city code with no county in the graph is no place
    empty = raw(api, luzhou, STATS, s="110100000000")
    assert empty["data"] is None and empty["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_limits_are_refused_before_any_write(store: Store, api: Api) -> None:
    await _demo(store)
    admin = bearer()
    before = (await store.run(nodes.COUNT_ALL))[0]["nodes"]
    items = [{"demandId": f"dem_{i}", "resourceId": "res_x", "quantity": 1} for i in range(201)]
    accept = """mutation($items: [AcceptItemInput!]!) { acceptPlan(items: $items) {
      __typename ... on Error { code message field } } }"""
    refused = call(api, admin, accept, items=items)
    assert refused["code"] == "TOO_MANY_ITEMS" and refused["field"] == "items"
    assert "200" in refused["message"] and "拆" in refused["message"]
    offer = """mutation($input: OfferResourceInput!) { offerResource(input: $input) {
      __typename ... on Error { code message field } } }"""
    many = [GUIYUANLIN] * 101
    refused = call(api, admin, offer, input={"unitId": LEAD, "name": "太多", "category": "VENUE",
                                             "capacity": 1, "scopeCodes": many})  # fmt: skip
    assert refused["code"] == "TOO_MANY_ITEMS" and refused["field"] == "scopeCodes"
    meeting = """mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) {
      __typename ... on Error { code field } } }"""
    refused = call(api, admin, meeting, input={"place": HEJIANG, "title": "太多", "heldOn": "2026-01-01",
                                               "demandIds": [f"dem_{i}" for i in range(201)]})  # fmt: skip
    assert refused["code"] == "TOO_MANY_ITEMS" and refused["field"] == "demandIds"
    assert (await store.run(nodes.COUNT_ALL))[0]["nodes"] == before  # no audit entry either


async def test_a_move_outside_the_scope_reveals_no_status(store: Store, api: Api) -> None:
    await _demo(store)
    admin = bearer()
    [project] = call(api, admin, "{ projects(first: 1, filter: {statuses: [DONE]}) { nodes { id } } }")[
        "nodes"
    ]  # fmt: skip
    beside = bearer(AccessRole.COMMUNITY_ADMIN.value, ZAOLINQIAO, "枣林桥")
    outsider = bearer(AccessRole.COUNTY_ADMIN.value, ZHENLAI, "镇赉")
    move = """mutation($id: ID!) { moveProject(id: $id, to: DISPATCHED) {
      __typename ... on Error { code message } } }"""
    for token in (beside, outsider):
        result = call(api, token, move, id=project["id"])
        assert result["code"] == "FORBIDDEN" and "完成" not in result["message"]
    missing = call(api, outsider, move, id="prj_00000000000000000000")
    assert missing["message"] == call(api, outsider, move, id=project["id"])["message"]
    # inside the scope the illegal move is explained
    assert call(api, admin, move, id=project["id"])["code"] == "ILLEGAL_TRANSITION"


def test_an_unknown_audit_action_is_a_typed_error(api: Api) -> None:
    query = """query($a: String) { auditTrail(action: $a) { __typename
      ... on Error { code message field } } }"""
    result = call(api, bearer(), query, a="NO_SUCH_ACTION")
    assert result["__typename"] == "InvalidInputError" and result["field"] == "action"
    assert "REPORT_DEMAND" in result["message"]
    viewer = bearer(AccessRole.VIEWER.value, HEJIANG, "只读")
    assert call(api, viewer, query, a="NO_SUCH_ACTION")["code"] == "FORBIDDEN"


async def test_a_demand_sits_at_a_compound_of_its_own_community(store: Store, api: Api) -> None:
    await _demo(store)
    admin = bearer()
    compound = derived_id("Compound", GUIYUANLIN, "利城半岛")
    here = call(api, admin, REPORT, input={**demand(GUIYUANLIN, "小区里"), "placeId": compound})
    assert here["__typename"] == "Demand"
    beside = call(api, admin, REPORT, input={**demand(ZAOLINQIAO, "别的社区"), "placeId": compound})
    assert beside["code"] == "INVALID_INPUT" and beside["field"] == "placeId"
    unknown = derived_id("Compound", GUIYUANLIN, "没有这个小区")
    missing = call(api, admin, REPORT, input={**demand(GUIYUANLIN, "不存在"), "placeId": unknown})
    assert missing["code"] == "FORBIDDEN"
