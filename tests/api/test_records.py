"""Liaison links, agreements, joint meetings and evaluations over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from access.principal import AccessRole
from access.tokens import JwtKeys, issue_jwt
from app.settings import Settings
from domain.clock import now_ms
from graph import writes
from graph.queries import loading
from graph.store import Store
from tests.api import seed
from tests.api.test_people import county_unit, gql
from tests.conftest import JWT_SECRET, Api, bearer

GUIYUANLIN = "510522001006"  # 符阳街道
QIAODANG = "510522001008"  # 符阳街道
XINGLONG = "510522002002"  # 临港街道
UNITS = {
    "unit_zhujianju": "合江县住房和城乡建设局",
    "unit_zuzhibu": "中共合江县委组织部",
    "unit_gongan": "合江县公安局",
    "unit_renshe": "合江县人力资源和社会保障局",
    "unit_gas": "合江县天然气有限公司",
    "unit_water": "合江县水务有限责任公司",
}
ZHUJIANJU, ZUZHIBU = "unit_zhujianju", "unit_zuzhibu"


def unit_operator(unit_id: str) -> str:
    keys = JwtKeys.from_settings(Settings(jwt_secret=JWT_SECRET), env={})
    return issue_jwt(
        keys, role=AccessRole.UNIT_OPERATOR, scope=unit_id, subject="单位联络员",
        expires_at=now_ms() + 3_600_000, county=seed.COUNTY,
    ).token  # fmt: skip


async def graph(store: Store) -> None:
    """Three communities, six units; two projects and a demand in 桂圆林, one of each in 兴隆."""
    await seed.hierarchy(store, compounds_per_community=0)
    for unit_id, name in UNITS.items():
        await county_unit(store, unit_id, name)
    await writes.upsert(store, "Project", [
        ("prj_canteen", {"name": "利城半岛老年食堂", "projectClass": "POVERTY_RELIEF", "status": "DONE"}),
        ("prj_parking", {"name": "佳乐苑停车位改造", "projectClass": "PARTY_BUILDING",
                         "status": "IN_PROGRESS"}),
        ("prj_venue", {"name": "兴隆社区活动室", "projectClass": "CULTURE_SPORTS", "status": "DONE"}),
    ])  # fmt: skip
    await writes.upsert(store, "Demand", [
        ("dem_fees", {"title": "利城半岛物业费拖欠", "category": "PROPERTY_MANAGEMENT",
                      "matterClass": "DIFFICULT"}),
        ("dem_elders", {"title": "兴隆社区赡养纠纷", "category": "PUBLIC_SAFETY",
                        "matterClass": "IMPORTANT"}),
    ])  # fmt: skip
    link = loading.LINK
    await store.run(link[("Project", "IN", "Community")], rows=[
        {"start": "prj_canteen", "end": GUIYUANLIN, "props": {}},
        {"start": "prj_parking", "end": GUIYUANLIN, "props": {}},
        {"start": "prj_venue", "end": XINGLONG, "props": {}},
    ])  # fmt: skip
    await store.run(
        link[("Project", "LED_BY", "Unit")],
        rows=[{"start": "prj_canteen", "end": ZHUJIANJU, "props": {}}],
    )
    await store.run(link[("Demand", "FOR", "Community")], rows=[
        {"start": "dem_fees", "end": GUIYUANLIN, "props": {}},
        {"start": "dem_elders", "end": XINGLONG, "props": {}},
    ])  # fmt: skip


LINK = """
mutation($unitId: ID!, $community: String!, $lead: Boolean) {
  linkUnit(unitId: $unitId, community: $community, lead: $lead) { __typename
    ... on LiaisonLink { lead unit { name } community { code } }
    ... on Error { code message field } } }
"""
UNLINK = """
mutation($unitId: ID!, $community: String!) { unlinkUnit(unitId: $unitId, community: $community) {
  __typename ... on Community { code leadUnit { name } liaisonUnits { lead unit { name } } }
  ... on Error { code message field } } }
"""
LINKS = """
query($code: String!, $unit: ID!) {
  division(code: $code) { ... on Community { leadUnit { name }
    liaisonUnits { lead unit { name } } profile { missing } } }
  unit(id: $unit) { communities { lead community { code } } } }
"""


def link(api: Api, unit_id: str, lead: bool | None = None, token: str | None = None) -> Any:
    return gql(api, LINK, token, unitId=unit_id, community=GUIYUANLIN, lead=lead)["linkUnit"]


async def test_one_lead_unit_per_community(store: Store, api: Api) -> None:
    await graph(store)
    assert link(api, ZHUJIANJU, lead=True) == {
        "__typename": "LiaisonLink", "lead": True, "unit": {"name": "合江县住房和城乡建设局"},
        "community": {"code": GUIYUANLIN},
    }  # fmt: skip
    assert link(api, ZUZHIBU, lead=True)["lead"] is True
    assert link(api, ZHUJIANJU)["lead"] is False  # lead: null keeps the flag it has now
    data = gql(api, LINKS, code=GUIYUANLIN, unit=ZHUJIANJU)
    assert data["division"]["leadUnit"] == {"name": "中共合江县委组织部"}
    assert data["division"]["liaisonUnits"] == [
        {"lead": True, "unit": {"name": "中共合江县委组织部"}},
        {"lead": False, "unit": {"name": "合江县住房和城乡建设局"}},
    ]
    assert data["unit"]["communities"] == [{"lead": False, "community": {"code": GUIYUANLIN}}]

    # many units claiming the lead at once: exactly one holds it afterwards
    async with httpx.AsyncClient(timeout=60, headers=api.headers) as client:

        async def claim(unit_id: str) -> dict[str, Any]:
            variables = {"unitId": unit_id, "community": GUIYUANLIN, "lead": True}
            response = await client.post(
                f"{api}/graphql", json={"query": LINK, "variables": variables}
            )
            return dict(response.json()["data"]["linkUnit"])

        claims = await asyncio.gather(*(claim(u) for u in UNITS))
    assert all(c["lead"] for c in claims)
    links = gql(api, LINKS, code=GUIYUANLIN, unit=ZHUJIANJU)["division"]["liaisonUnits"]
    assert (len(links), sum(k["lead"] for k in links)) == (6, 1)

    lead = next(k["unit"]["name"] for k in links if k["lead"])
    lead_id = next(u for u, n in UNITS.items() if n == lead)
    unlinked = gql(api, UNLINK, unitId=lead_id, community=GUIYUANLIN)["unlinkUnit"]
    assert (unlinked["code"], unlinked["leadUnit"]) == (GUIYUANLIN, None)
    assert len(unlinked["liaisonUnits"]) == 5
    after = gql(api, LINKS, code=GUIYUANLIN, unit=ZHUJIANJU)["division"]["profile"]["missing"]
    assert after[-1] == "没有牵头单位"
    again = gql(api, UNLINK, unitId=lead_id, community=GUIYUANLIN)["unlinkUnit"]
    assert (again["code"], again["field"]) == ("NOT_FOUND", "unitId")


async def test_link_unit_refusals(store: Store, api: Api) -> None:
    await graph(store)
    bad = gql(api, LINK, unitId=ZHUJIANJU, community="510522001000")["linkUnit"]
    assert (bad["code"], bad["field"]) == ("INVALID_INPUT", "community")
    assert link(api, "unit_nowhere")["code"] == "FORBIDDEN"
    # liaison units are assigned by the county's organization department only
    community_admin = bearer("COMMUNITY_ADMIN", GUIYUANLIN)
    assert link(api, ZHUJIANJU, lead=True, token=community_admin)["code"] == "FORBIDDEN"


AGREEMENT = """
mutation($input: RecordAgreementInput!) { recordAgreement(input: $input) { __typename
  ... on Agreement { id title signedOn content unit { name } community { code } }
  ... on Error { code message field } } }
"""


async def test_record_an_agreement(store: Store, api: Api) -> None:
    await graph(store)
    fields = {
        "unitId": ZHUJIANJU, "community": GUIYUANLIN, "title": "2024年度共建协议",
        "signedOn": "2024-03-01", "content": "老旧小区改造、停车位规划",
    }  # fmt: skip
    made = gql(api, AGREEMENT, input=fields)["recordAgreement"]
    assert {k: v for k, v in made.items() if k != "id"} == {
        "__typename": "Agreement", "title": "2024年度共建协议", "signedOn": "2024-03-01",
        "content": "老旧小区改造、停车位规划", "unit": {"name": "合江县住房和城乡建设局"},
        "community": {"code": GUIYUANLIN},
    }  # fmt: skip
    twice = gql(api, AGREEMENT, input=fields)["recordAgreement"]
    assert (twice["code"], twice["field"]) == ("CONFLICT", "title")
    bad_date = gql(api, AGREEMENT, input={**fields, "signedOn": "2024-02-30"})["recordAgreement"]
    assert (bad_date["code"], bad_date["field"]) == ("INVALID_INPUT", "signed_on")
    lists = gql(
        api,
        """query($code: String!, $unit: ID!) {
        division(code: $code) { ... on Community { agreements { totalCount nodes { id title } } } }
        unit(id: $unit) { agreements(first: 5) { nodes { id unit { name } } } } }""",
        code=GUIYUANLIN,
        unit=ZHUJIANJU,
    )
    assert lists["division"]["agreements"] == {
        "totalCount": 1, "nodes": [{"id": made["id"], "title": "2024年度共建协议"}]
    }  # fmt: skip
    assert lists["unit"]["agreements"]["nodes"] == [
        {"id": made["id"], "unit": {"name": "合江县住房和城乡建设局"}}
    ]


MEETING = """
mutation($input: RecordMeetingInput!) { recordMeeting(input: $input) { __typename
  ... on Meeting { id title heldOn cadence minutes
    place { __typename ... on County { code } ... on Street { code } ... on Community { code } }
    projects { name } demands { title } }
  ... on Error { code message field } } }
"""


async def test_record_joint_meetings_at_each_level(store: Store, api: Api) -> None:
    await graph(store)
    community = gql(api, MEETING, input={
        "place": GUIYUANLIN, "title": "桂圆林社区第三季度联席会议", "heldOn": "2024-09-20",
        "cadence": "季度", "minutes": "议定老年食堂和停车位改造",
        "projectIds": ["prj_canteen", "prj_parking", "prj_canteen"], "demandIds": ["dem_fees"],
    })["recordMeeting"]  # fmt: skip
    assert {k: v for k, v in community.items() if k != "id"} == {
        "__typename": "Meeting", "title": "桂圆林社区第三季度联席会议", "heldOn": "2024-09-20",
        "cadence": "季度", "minutes": "议定老年食堂和停车位改造",
        "place": {"__typename": "Community", "code": GUIYUANLIN},
        "projects": [{"name": "佳乐苑停车位改造"}, {"name": "利城半岛老年食堂"}],
        "demands": [{"title": "利城半岛物业费拖欠"}],
    }  # fmt: skip
    outside = gql(api, MEETING, input={
        "place": "510522001", "title": "符阳街道联席会议", "heldOn": "2024-10-08",
        "projectIds": ["prj_canteen", "prj_venue"],
    })["recordMeeting"]  # fmt: skip
    assert (outside["code"], outside["field"]) == ("NOT_FOUND", "projectIds")
    street = gql(api, MEETING, input={
        "place": "510522001", "title": "符阳街道联席会议", "heldOn": "2024-10-08",
        "projectIds": ["prj_canteen"],
    })["recordMeeting"]  # fmt: skip
    assert street["place"] == {"__typename": "Street", "code": "510522001000"}
    county = gql(api, MEETING, input={
        "place": "510522", "title": "合江县半年联席会议", "heldOn": "2024-07-01",
        "cadence": "半年", "projectIds": ["prj_venue"], "demandIds": ["dem_elders", "dem_fees"],
    })["recordMeeting"]  # fmt: skip
    assert county["place"] == {"__typename": "County", "code": seed.COUNTY}
    assert county["demands"] == [{"title": "兴隆社区赡养纠纷"}, {"title": "利城半岛物业费拖欠"}]
    twice = gql(api, MEETING, input={
        "place": GUIYUANLIN, "title": "桂圆林社区第三季度联席会议", "heldOn": "2024-09-20",
    })["recordMeeting"]  # fmt: skip
    assert (twice["code"], twice["field"]) == ("CONFLICT", "title")
    missing = gql(api, MEETING, input={"place": "510522009", "title": "会", "heldOn": "2024-01-01"})
    assert missing["recordMeeting"]["code"] == "FORBIDDEN"

    listed = gql(api, """query($code: String!) { division(code: $code) {
        ... on Community { meetings { nodes { title } } } } }""", code=GUIYUANLIN)  # fmt: skip
    assert listed["division"]["meetings"]["nodes"] == [{"title": "桂圆林社区第三季度联席会议"}]
    counts = gql(api, """{ county: statistics(scope: "510522") { meetings agreements }
        street: statistics(scope: "510522001000") { meetings }
        community: statistics(scope: "510522001006") { meetings } }""")  # fmt: skip
    assert counts == {
        "county": {"meetings": 3, "agreements": 0},
        "street": {"meetings": 2},
        "community": {"meetings": 1},
    }


EVALUATE = """
mutation($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { __typename
  ... on Evaluation { kind kindLabel score period comment
    target { __typename ... on Project { name } ... on Unit { name } } }
  ... on Error { code message field } } }
"""


def evaluate(api: Api, token: str | None = None, **fields: Any) -> dict[str, Any]:
    return dict(gql(api, EVALUATE, token, input=fields)["recordEvaluation"])


async def test_record_evaluations_of_projects_and_units(store: Store, api: Api) -> None:
    await graph(store)
    made = evaluate(api, kind="ORGANIZATION", targetId="prj_canteen", score=92.5, period="2024",
                    comment="老人满意")  # fmt: skip
    assert made == {
        "__typename": "Evaluation", "kind": "ORGANIZATION", "kindLabel": "组织考评",
        "score": 92.5, "period": "2024", "comment": "老人满意",
        "target": {"__typename": "Project", "name": "利城半岛老年食堂"},
    }  # fmt: skip
    twice = evaluate(api, kind="ORGANIZATION", targetId="prj_canteen", score=90, period="2024")
    assert (twice["code"], twice["field"]) == ("CONFLICT", "period")
    early = evaluate(api, kind="RESIDENT", targetId="prj_parking", score=80)
    assert early == {
        "__typename": "ConflictError", "code": "CONFLICT", "field": "targetId",
        "message": "项目处于“实施”：完成后才能评价 (only a finished project can be evaluated)",
    }  # fmt: skip
    unit = evaluate(api, kind="RESIDENT", targetId=ZHUJIANJU, score=88, period="2024")
    assert unit["target"] == {"__typename": "Unit", "name": "合江县住房和城乡建设局"}
    high = evaluate(api, kind="RESIDENT", targetId=ZHUJIANJU, score=101)
    assert (high["code"], high["field"]) == ("INVALID_INPUT", "score")
    demand = evaluate(api, kind="RESIDENT", targetId="dem_fees", score=50)
    assert (demand["code"], demand["field"]) == ("INVALID_INPUT", "targetId")
    assert evaluate(api, kind="RESIDENT", targetId="prj_nowhere", score=50)["code"] == "FORBIDDEN"
    # 晒绩自评 is the unit's own: the county may not write it, the lead unit may
    self_by_county = evaluate(api, kind="SELF", targetId="prj_canteen", score=95, period="2024")
    assert self_by_county["code"] == "FORBIDDEN"
    own = evaluate(api, unit_operator(ZHUJIANJU), kind="SELF", targetId="prj_canteen", score=95,
                   period="2024")  # fmt: skip
    assert (own["kind"], own["score"]) == ("SELF", 95.0)
    other = evaluate(api, unit_operator("unit_gas"), kind="SELF", targetId="prj_canteen",
                     score=99, period="2025")  # fmt: skip
    assert other["code"] == "FORBIDDEN"

    listed = gql(api, """query($unit: ID!) { unit(id: $unit) { evaluations {
        nodes { kind score target { ... on Unit { name } } } } } }""", unit=ZHUJIANJU)  # fmt: skip
    assert listed["unit"]["evaluations"]["nodes"] == [
        {"kind": "RESIDENT", "score": 88.0, "target": {"name": "合江县住房和城乡建设局"}}
    ]


def project_fields(api: Api) -> set[str]:
    data = gql(api, '{ __type(name: "Project") { fields { name } } }')
    return {f["name"] for f in data["__type"]["fields"]}


async def test_a_project_lists_its_meetings_and_evaluations(store: Store, api: Api) -> None:
    if not {"meetings", "evaluations"} <= project_fields(api):
        pytest.skip("Project.meetings / Project.evaluations are not wired in schema/projects.py")
    await graph(store)
    gql(api, MEETING, input={"place": GUIYUANLIN, "title": "联席会议", "heldOn": "2024-09-20",
                             "projectIds": ["prj_canteen"]})  # fmt: skip
    evaluate(api, kind="ORGANIZATION", targetId="prj_canteen", score=90, period="2024")
    data = gql(api, """{ project(id: "prj_canteen") { meetings { title heldOn }
        evaluations { kind score } } }""")  # fmt: skip
    assert data["project"] == {
        "meetings": [{"title": "联席会议", "heldOn": "2024-09-20"}],
        "evaluations": [{"kind": "ORGANIZATION", "score": 90.0}],
    }
