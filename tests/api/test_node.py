"""``node(id)`` and ``nodes(ids)``: any object by id, whatever its type."""

from __future__ import annotations

from typing import Any

import httpx

from graph.store import Store
from tests.api import test_records
from tests.api.test_people import gql
from tests.api.test_profile import ADMIN, round_trips
from tests.conftest import Api

IDS = """
{ division(code: "510522001001") { ... on Community {
    compounds { id buildings { id roles { id person { id } } } }
    demands { nodes { id } } projects { nodes { id } }
    roles(kinds: [FIRST_SECRETARY]) { id person { id } } } }
  units(filter: {text: "住房和城乡建设局", scope: "510522000000"}) { nodes { id partyOrganization { id } resources { nodes { id } } } } }
"""
NODE = """
query($id: ID!) { node(id: $id) { __typename id
  ... on Place { name } ... on Unit { name } ... on Demand { title } ... on Resource { name }
  ... on Project { name } ... on Person { name } ... on Role { kind }
  ... on PartyOrganization { name } ... on Agreement { title } ... on Meeting { title }
  ... on Evaluation { score } } }
"""


def demo_ids(api: Api) -> dict[str, str]:
    data = gql(api, IDS, ADMIN)
    community = data["division"]
    compound = community["compounds"][0]
    building = compound["buildings"][0]
    [unit] = data["units"]["nodes"]
    return {
        "County": "510522000000", "Street": "510522001000", "Community": "510522001001",
        "Compound": compound["id"], "Building": building["id"], "Unit": unit["id"],
        "PartyOrganization": unit["partyOrganization"]["id"], "Resource": unit["resources"]["nodes"][0]["id"],
        "Demand": community["demands"]["nodes"][0]["id"],
        "Project": community["projects"]["nodes"][0]["id"],
        "Role": community["roles"][0]["id"], "Person": community["roles"][0]["person"]["id"],
    }  # fmt: skip


def test_any_object_by_id(demo_api: Api) -> None:
    ids = demo_ids(demo_api)
    for label, node_id in ids.items():
        found = gql(demo_api, NODE, ADMIN, id=node_id)["node"]
        assert (found["__typename"], found["id"]) == (label, node_id)
    assert gql(demo_api, NODE, id="510522001001")["node"]["name"] == "百花亭社区"
    role = gql(demo_api, NODE, id=ids["Role"])["node"]
    assert role["kind"] == "FIRST_SECRETARY"
    for unknown in ("nothing", "unit_nowhere", "510522009009", "999999000000"):
        assert gql(demo_api, NODE, id=unknown)["node"] is None


def test_many_objects_in_one_batch_per_type(demo_api: Api) -> None:
    ids = demo_ids(demo_api)
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"""
    wanted = [*ids.values(), "unit_nowhere"]
    trips, data = round_trips(demo_api, query, ids=wanted)
    assert [n and n["__typename"] for n in data["nodes"]] == [*ids, None]
    # one statement per type asked for (Unit twice: the unknown id is a unit id)
    assert trips == len(ids)
    too_many = httpx.post(
        f"{demo_api}/graphql", headers=demo_api.headers, timeout=30,
        json={"query": "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
              "variables": {"ids": ["x"] * 101}},
    ).json()  # fmt: skip
    assert too_many["errors"][0]["message"] == "一次最多 100 个编号 (too many ids)"


async def test_records_by_id(store: Store, api: Api) -> None:
    await test_records.graph(store)
    agreement = gql(api, test_records.AGREEMENT, input={
        "unitId": "unit_zhujianju", "community": test_records.GUIYUANLIN, "title": "协议",
    })["recordAgreement"]  # fmt: skip
    meeting = gql(api, test_records.MEETING, input={
        "place": test_records.GUIYUANLIN, "title": "联席会议", "heldOn": "2024-09-20",
    })["recordMeeting"]  # fmt: skip
    evaluation = gql(
        api,
        """mutation { recordEvaluation(input: {kind: RESIDENT,
        targetId: "prj_canteen", score: 77}) { ... on Evaluation { id } } }""",
    )["recordEvaluation"]
    found: dict[str, Any] = {}
    for name, node_id in (("Agreement", agreement["id"]), ("Meeting", meeting["id"]),
                          ("Evaluation", evaluation["id"])):  # fmt: skip
        found[name] = gql(api, NODE, id=node_id)["node"]
    assert found == {
        "Agreement": {"__typename": "Agreement", "id": agreement["id"], "title": "协议"},
        "Meeting": {"__typename": "Meeting", "id": meeting["id"], "title": "联席会议"},
        "Evaluation": {"__typename": "Evaluation", "id": evaluation["id"], "score": 77.0},
    }
