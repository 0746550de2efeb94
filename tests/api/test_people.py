"""People and their posts over HTTP: the people list, assigning and ending roles."""

from __future__ import annotations

from typing import Any

import httpx

from domain.ids import derived_id
from graph import writes
from graph.queries import loading, places
from graph.store import Store
from tests.api import seed
from tests.conftest import Api, bearer

COMMUNITY = "510522001006"  # 桂圆林社区
COMPOUND = f"cmp_{COMMUNITY}_0"
BUILDING = f"bld_{COMMUNITY}_0_0"
GRID = "grd_guiyuanlin_1"
UNIT = "unit_zhujianju"


def gql(api: Api, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else api.headers
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, headers=headers,
        timeout=60,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


async def county_unit(
    store: Store, unit_id: str, name: str, kind: str = "COUNTY_DEPARTMENT"
) -> None:
    """A unit of 合江县, linked to its county as the unit roster does."""
    await writes.upsert(store, "Unit", [(unit_id, {"name": name, "kind": kind})])
    await store.run(
        loading.LINK[("Unit", "IN_COUNTY", "County")],
        rows=[{"start": unit_id, "end": seed.COUNTY, "props": {}}],
    )


async def graph(store: Store) -> None:
    await seed.hierarchy(store, compounds_per_community=1, buildings=2)
    await county_unit(store, UNIT, "合江县住房和城乡建设局")
    await writes.upsert(store, "Grid", [(GRID, {"name": "第一网格", "level": 4})])
    await store.run(
        places.LINK_PARENT[("Grid", "Community")], rows=[{"child": GRID, "parent": COMMUNITY}]
    )


ROLE = """
  __typename
  ... on Role { id kind kindLabel title since until active
    person { id name phone } unit { name }
    place { __typename ... on Community { code } ... on Street { code } ... on Compound { id }
            ... on Building { id } ... on Grid { id } } }
  ... on Error { code message field }
"""
ASSIGN = f"mutation($input: AssignRoleInput!) {{ assignRole(input: $input) {{ {ROLE} }} }}"
END = f"mutation($id: ID!, $until: String) {{ endRole(id: $id, until: $until) {{ {ROLE} }} }}"


def assign(api: Api, token: str | None = None, **fields: Any) -> dict[str, Any]:
    return dict(gql(api, ASSIGN, token, input=fields)["assignRole"])


async def test_assign_a_first_secretary_end_it_and_assign_the_next(store: Store, api: Api) -> None:
    await graph(store)
    first = assign(
        api, personName="张华", phone="13800000001", kind="FIRST_SECRETARY", place=COMMUNITY,
        title="县委常委、组织部部长", unitId=UNIT, since="2024-01-02",
    )  # fmt: skip
    person = derived_id("Person", "张华", "13800000001")
    post = derived_id("Role", "FIRST_SECRETARY", COMMUNITY)
    assert first == {
        "__typename": "Role", "id": post, "kind": "FIRST_SECRETARY", "kindLabel": "第一书记",
        "title": "县委常委、组织部部长", "since": "2024-01-02", "until": None, "active": True,
        "person": {"id": person, "name": "张华", "phone": "13800000001"},
        "unit": {"name": "合江县住房和城乡建设局"},
        "place": {"__typename": "Community", "code": COMMUNITY},
    }  # fmt: skip

    held = assign(
        api, personName="李明", phone="13800000002", kind="FIRST_SECRETARY", place=COMMUNITY
    )
    assert (held["code"], held["field"]) == ("CONFLICT", "kind")
    again = assign(
        api, personName="张华", phone="13800000001", kind="FIRST_SECRETARY", place=COMMUNITY
    )
    assert (again["code"], again["field"]) == ("CONFLICT", "personName")

    early = gql(api, END, id=post, until="2023-12-31")["endRole"]
    assert (early["code"], early["field"]) == ("INVALID_INPUT", "until")
    ended = gql(api, END, id=post, until="2024-06-30")["endRole"]
    assert (ended["id"], ended["until"], ended["active"]) == (post, "2024-06-30", False)
    twice = gql(api, END, id=post, until="2024-07-01")["endRole"]
    assert twice["code"] == "CONFLICT"

    nxt = assign(
        api, personName="李明", phone="13800000002", kind="FIRST_SECRETARY", place=COMMUNITY,
        since="2024-07-01",
    )  # fmt: skip
    assert (nxt["id"], nxt["person"]["name"], nxt["active"]) == (post, "李明", True)
    history = gql(api, """query($id: ID!) { person(id: $id) {
        roles(includeEnded: true) { kind since until active place { ... on Community { code } } }
        current: roles { kind } } }""", id=person)["person"]  # fmt: skip
    assert history == {
        "roles": [{"kind": "FIRST_SECRETARY", "since": "2024-01-02", "until": "2024-06-30",
                   "active": False, "place": {"code": COMMUNITY}}],
        "current": [],
    }  # fmt: skip
    listed = gql(api, """query($code: String!) { division(code: $code) { ... on Community {
        now: roles(kinds: [FIRST_SECRETARY]) { person { name } }
        all: roles(kinds: [FIRST_SECRETARY], includeEnded: true) { person { name } until } } } }""",
        code=COMMUNITY)["division"]  # fmt: skip
    assert listed["now"] == [{"person": {"name": "李明"}}]
    assert sorted(listed["all"], key=str) == sorted(
        [
            {"person": {"name": "李明"}, "until": None},
            {"person": {"name": "张华"}, "until": "2024-06-30"},
        ],
        key=str,
    )


async def test_posts_at_every_kind_of_place(store: Store, api: Api) -> None:
    await graph(store)
    street = assign(api, personName="许刚", phone="18935990480", kind="STREET_SECRETARY",
                    place="510522001")  # fmt: skip
    assert street["place"] == {"__typename": "Street", "code": "510522001000"}
    compound = assign(api, personName="何国贵", phone="13796726150", kind="COMPOUND_SECRETARY",
                      place=COMPOUND)  # fmt: skip
    assert compound["place"] == {"__typename": "Compound", "id": COMPOUND}
    head = assign(
        api, personName="张俊富", phone="15815523645", kind="BUILDING_HEAD", place=BUILDING
    )
    assert head["place"] == {"__typename": "Building", "id": BUILDING}
    # no phone: the namesake with a phone who holds a post in the same community
    leader = assign(api, personName="张俊富", kind="GROUP_LEADER", place=BUILDING)
    assert leader["person"]["id"] == head["person"]["id"]
    worker = assign(api, personName="付淑超", kind="GRID_WORKER", place=GRID)
    assert worker["place"] == {"__typename": "Grid", "id": GRID}
    assert worker["person"]["id"] == derived_id("Person", "付淑超", COMMUNITY)
    assert worker["person"]["phone"] is None

    data = gql(api, """query($b: ID!, $g: ID!, $c: String!) {
        building: node(id: $b) { ... on Building { roles { kind person { name } } } }
        grid: node(id: $g) { ... on Grid { roles { kind person { name } } } }
        street: division(code: $c) { ... on Street { roles { kind person { name } } } } }""",
        b=BUILDING, g=GRID, c="510522001000")  # fmt: skip
    assert data["building"]["roles"] == [
        {"kind": "BUILDING_HEAD", "person": {"name": "张俊富"}},
        {"kind": "GROUP_LEADER", "person": {"name": "张俊富"}},
    ]
    assert data["grid"]["roles"] == [{"kind": "GRID_WORKER", "person": {"name": "付淑超"}}]
    assert data["street"]["roles"] == [{"kind": "STREET_SECRETARY", "person": {"name": "许刚"}}]


async def test_assign_role_refusals_and_input_errors(store: Store, api: Api) -> None:
    await graph(store)
    wrong = assign(api, personName="张华", kind="FIRST_SECRETARY", place=BUILDING)
    assert wrong == {
        "__typename": "InvalidInputError", "code": "INVALID_INPUT",
        "message": "第一书记应设在：社区", "field": "kind",
    }  # fmt: skip
    phone = assign(api, personName="张华", phone="12345", kind="FIRST_SECRETARY", place=COMMUNITY)
    assert (phone["code"], phone["field"]) == ("INVALID_INPUT", "phone")
    blank = assign(api, personName="  ", kind="FIRST_SECRETARY", place=COMMUNITY)
    assert (blank["code"], blank["field"]) == ("INVALID_INPUT", "person_name")
    # what does not exist is refused exactly like what is out of scope
    missing = assign(api, personName="张华", kind="COMPOUND_SECRETARY", place="cmp_nowhere")
    assert missing["code"] == "FORBIDDEN"
    assert gql(api, END, id="role_nowhere")["endRole"]["code"] == "FORBIDDEN"
    # a community admin of 桥凼社区 may not appoint in 桂圆林社区
    other = bearer("COMMUNITY_ADMIN", "510522001008")
    outside = assign(api, other, personName="张华", kind="FIRST_SECRETARY", place=COMMUNITY)
    assert outside["code"] == "FORBIDDEN"
    inside = assign(api, bearer("COMMUNITY_ADMIN", COMMUNITY), personName="张华",
                    kind="COMMUNITY_SECRETARY", place=COMMUNITY)  # fmt: skip
    assert inside["__typename"] == "Role"


PEOPLE = """
query($filter: PeopleFilter, $descending: Boolean, $first: Int) {
  people(filter: $filter, descending: $descending, first: $first) {
    totalCount nodes { name roles { kind } } } }
"""
ADMIN = bearer("COUNTY_ADMIN", "510522000000")


def people(api: Api, **variables: Any) -> dict[str, Any]:
    return dict(gql(api, PEOPLE, ADMIN, **variables)["people"])


def test_people_by_scope_post_and_name(demo_api: Api) -> None:
    secretaries = people(
        demo_api,
        filter={"scope": "510522001001", "roleKinds": ["FIRST_SECRETARY", "COMMUNITY_SECRETARY"]},
    )
    assert secretaries == {
        "totalCount": 2,
        "nodes": [
            {"name": "汪秀磊", "roles": [{"kind": "FIRST_SECRETARY"}]},
            {"name": "钱春刚", "roles": [{"kind": "COMMUNITY_SECRETARY"}]},
        ],
    }
    backwards = people(
        demo_api, descending=True,
        filter={"scope": "510522001001", "roleKinds": ["FIRST_SECRETARY", "COMMUNITY_SECRETARY"]},
    )  # fmt: skip
    assert [n["name"] for n in backwards["nodes"]] == ["钱春刚", "汪秀磊"]
    street = people(demo_api, filter={"scope": "510522001", "roleKinds": ["STREET_SECRETARY"]})
    assert [n["name"] for n in street["nodes"]] == ["许刚"]
    named = people(demo_api, filter={"scope": "510522000000", "text": "汪秀"})
    assert (named["totalCount"], named["nodes"][0]["name"]) == (1, "汪秀磊")
    zhenlai = people(demo_api, filter={"scope": "220821000000", "roleKinds": ["FIRST_SECRETARY"]})
    assert zhenlai == {"totalCount": 0, "nodes": []}
    everyone = people(demo_api, first=1)  # the county's people: another county's are not read
    hejiang = people(demo_api, first=1, filter={"scope": "510522000000"})
    assert everyone["totalCount"] == hejiang["totalCount"] > 200


MEMBER = """
query { units(filter: {text: "住房和城乡建设局", scope: "510522000000"}) { nodes { name
  partyOrganization { name kind kindLabel unit { name } roles { kind person { name } } }
  roles { kind place { ... on Community { name } ... on PartyOrganization { name } } }
  members(first: 50) { nodes { name phone workUnit { name }
    roles { kind claimedItems serviceHours place { __typename ... on Community { name }
      ... on Building { name compound { name } } } } } } } } }
"""


def test_units_people_and_party_organizations(demo_api: Api) -> None:
    [unit] = gql(demo_api, MEMBER, ADMIN)["units"]["nodes"]
    assert unit["partyOrganization"] == {
        "name": "中共合江县住房和城乡建设局党组", "kind": "UNIT_ORGANIZATION",
        "kindLabel": "单位党组织", "unit": {"name": "合江县住房和城乡建设局"},
        "roles": [{"kind": "UNIT_SECRETARY", "person": {"name": "穆桂强"}}],
    }  # fmt: skip
    assert unit["roles"] == [
        {"kind": "DEPUTY_SECRETARY", "place": {"name": "百花亭社区"}},
        {"kind": "UNIT_SECRETARY", "place": {"name": "中共合江县住房和城乡建设局党组"}},
    ]
    member = next(m for m in unit["members"]["nodes"] if m["name"] == "蔡兴燕")
    assert (member["phone"], member["workUnit"]) == (
        "15571349957",
        {"name": "合江县住房和城乡建设局"},
    )
    by_place = sorted(member["roles"], key=lambda r: (r["place"]["__typename"], r["place"]["name"]))
    assert by_place == [
        {"kind": "REGISTERED_MEMBER", "claimedItems": [], "serviceHours": None,
         "place": {"__typename": "Building", "name": "4栋", "compound": {"name": "江南小区"}}},
        {"kind": "REGISTERED_MEMBER", "claimedItems": [], "serviceHours": None,
         "place": {"__typename": "Building", "name": "A栋", "compound": {"name": "滨江花园"}}},
        {"kind": "REGISTERED_MEMBER", "claimedItems": ["江南小区停车秩序劝导", "老旧小区改造政策宣传"],
         "serviceHours": 46.0, "place": {"__typename": "Community", "name": "百花亭社区"}},
    ]  # fmt: skip
