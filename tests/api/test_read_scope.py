"""Read scope = tenancy, over real HTTP on two generated counties (纳溪区 and 准格尔旗).

The read matrix: role x type (demand, resource, unit, project, person, audit entry) x
where the object sits relative to the caller (``home``: inside its scope, ``beside``: the
next community of its street, ``above``: another street of its county, ``other``: the
other county) -> visible or not. Each object is looked for in its list (the
connection's nodes), by ``node(id)`` and, for a demand, through ``demand(id)``; the
three must agree. Then the probing attack on masked names, and free-text masking.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.http import create_app
from graph.store import Store
from tests.api import tenancy_seed as seed
from tests.conftest import Api, bearer, server_settings
from tests.http_server import serve

TYPES = ("demand", "resource", "unit", "project", "person", "audit")
WHERE = ("home", "beside", "above", "other")

LISTS = """
query { demands(first: 100) { nodes { id title description } }
  resources(first: 100) { nodes { id name } }
  units(first: 100) { nodes { id name } }
  projects(first: 100) { nodes { id name } }
  people(first: 100) { nodes { id name phone } } }
"""
AUDIT = "query { auditTrail(first: 100) { ... on AuditPage { entries { targetId } } } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
MATCHES = "query($d: ID!) { resourceMatches(demandId: $d) { candidates { resourceId } } }"


def post(api: Api, query: str, token: str | None, **variables: Any) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables}, headers=headers, timeout=60
    )


def gql(api: Api, query: str, token: str | None, **variables: Any) -> dict[str, Any]:
    response = post(api, query, token, **variables)
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return dict(body["data"])


@pytest.fixture
async def counties(store: Store, tmp_path: Path) -> tuple[seed.County, seed.County]:
    district, banner = seed.plan(seed.DISTRICT), seed.plan(seed.BANNER)
    await seed.load(store, tmp_path / "district", district)
    await seed.load(store, tmp_path / "banner", banner)
    return district, banner


@pytest.fixture
def tenancy_api(store: Store, counties: tuple[seed.County, seed.County]) -> Iterator[Api]:
    with serve(create_app(server_settings(store))) as url:
        yield Api.at(url, bearer("COUNTY_ADMIN", seed.DISTRICT))


def _ids(api: Api, county: seed.County) -> None:
    """Fill in the ids the loaders gave, as the county's own admin reads them, and leave
    an audit entry on each demand (an update by that admin)."""
    admin = bearer("COUNTY_ADMIN", county.code)
    data = gql(api, LISTS, admin)
    by_title = {n["title"]: n["id"] for n in data["demands"]["nodes"]}
    by_name = {
        kind: {n["name"]: n["id"] for n in data[kind]["nodes"]}
        for kind in ("resources", "units", "projects", "people")
    }
    for p in county.places.values():
        p.demand = by_title[f"{p.name}老年助餐"]
        p.resource = by_name["resources"][f"{p.name}活动室"]
        p.unit = by_name["units"][p.unit_name]
        p.project = by_name["projects"][f"{p.name}助餐项目"]
        p.person = by_name["people"][p.person_name]
        update = """mutation($id: ID!) { updateDemand(id: $id, input: {households: 12}) {
          __typename } }"""
        assert gql(api, update, admin, id=p.demand)["updateDemand"]["__typename"] == "Demand"


def _object(place: seed.Place, kind: str) -> str:
    return {
        "demand": place.demand, "resource": place.resource, "unit": place.unit,
        "project": place.project, "person": place.person, "audit": place.demand,
    }[kind]  # fmt: skip


def _seen(api: Api, token: str | None) -> dict[str, set[str]]:
    """The ids the caller reads, per type, from the lists (and the audit trail)."""
    if token is None:
        response = post(api, LISTS, None)
        assert response.status_code == 401
        return {kind: set() for kind in TYPES}
    data = gql(api, LISTS, token)
    seen = {
        kind: {n["id"] for n in data[key]["nodes"]}
        for kind, key in (
            ("demand", "demands"),
            ("resource", "resources"),
            ("unit", "units"),
            ("project", "projects"),
            ("person", "people"),
        )
    }
    trail = gql(api, AUDIT, token)["auditTrail"]
    seen["audit"] = {e["targetId"] for e in trail.get("entries", [])}
    return seen


def _callers(d: seed.County) -> dict[str, str | None]:
    home = d.places["home"]
    return {
        "CITY_ADMIN": bearer("CITY_ADMIN", d.city),
        "COUNTY_ADMIN": bearer("COUNTY_ADMIN", d.code),
        "STREET_ADMIN": bearer("STREET_ADMIN", home.street),
        "COMMUNITY_ADMIN": bearer("COMMUNITY_ADMIN", home.code),
        "GRID_WORKER": bearer("GRID_WORKER", home.code),
        "VIEWER": bearer("VIEWER", home.code),
        "UNIT_OPERATOR": bearer("UNIT_OPERATOR", home.unit, county=d.code),
        "anonymous": None,
    }


_ALL = dict.fromkeys(("home", "beside", "above"), True) | {"other": False}
_NONE = dict.fromkeys(WHERE, False)
_HOME = _NONE | {"home": True}
#: the expected matrix: role -> type -> where -> visible
EXPECTED: dict[str, dict[str, dict[str, bool]]] = {
    "CITY_ADMIN": dict.fromkeys(TYPES, _ALL),
    "COUNTY_ADMIN": dict.fromkeys(TYPES, _ALL),
    "STREET_ADMIN": dict.fromkeys(TYPES, _ALL) | {"audit": _NONE | {"home": True, "beside": True}},
    "COMMUNITY_ADMIN": dict.fromkeys(TYPES, _ALL) | {"audit": _HOME},
    "GRID_WORKER": dict.fromkeys(TYPES, _ALL) | {"audit": _NONE},
    "VIEWER": dict.fromkeys(TYPES, _ALL) | {"audit": _NONE},
    # its own unit and resource; its liaison community's demand, project and people
    "UNIT_OPERATOR": dict.fromkeys(TYPES, _HOME) | {"audit": _NONE},
    "anonymous": dict.fromkeys(TYPES, _NONE),
}


async def test_the_read_matrix(tenancy_api: Api, counties: tuple[seed.County, seed.County]) -> None:
    district, banner = counties
    _ids(tenancy_api, district)
    _ids(tenancy_api, banner)
    where = {**district.places, "other": banner.places["home"]}
    found: dict[str, dict[str, dict[str, bool]]] = {}
    for role, token in _callers(district).items():
        seen = _seen(tenancy_api, token)
        found[role] = {
            kind: {w: _object(where[w], kind) in seen[kind] for w in WHERE} for kind in TYPES
        }
        for kind in TYPES[:-1]:  # a lookup by id agrees with the list: null outside
            for w in WHERE:
                if token is None:
                    continue
                node = gql(tenancy_api, NODE, token, id=_object(where[w], kind))["node"]
                assert (node is not None) == found[role][kind][w], (role, kind, w)
    assert found == EXPECTED


async def test_a_missing_and_an_unreadable_object_look_the_same(
    tenancy_api: Api, counties: tuple[seed.County, seed.County]
) -> None:
    district, banner = counties
    _ids(tenancy_api, banner)
    viewer = bearer("VIEWER", district.places["home"].code)
    other = banner.places["home"]
    missing = "demand_" + "0" * 20
    for d in (other.demand, missing):
        body = post(tenancy_api, MATCHES, viewer, d=d).json()
        assert [e["extensions"]["code"] for e in body["errors"]] == ["NOT_FOUND"]
        assert body["errors"][0]["message"] == f"没有编号为 {d} 的需求 (no such demand)"
    lookups = f"""query($d: ID!, $r: ID!) {{ c: resource(id: $r) {{ id }} e: nodes(ids: [$d, $r]) {{ id }}
      u: unit(id: "{other.unit}") {{ id }} p: project(id: "{other.project}") {{ id }} n: person(id: "{other.person}") {{ id }} }}"""
    data = gql(tenancy_api, lookups, viewer, d=other.demand, r=other.resource)
    assert data == {"c": None, "e": [None, None], "u": None, "p": None, "n": None}
    plain = f"""query($d: ID!, $missing: ID!) {{ a: demand(id: $d) {{ id }} b: demand(id: $missing) {{ id }}
      community: division(code: "{other.code}") {{ ... on Place {{ name }} }} }}"""
    data = gql(tenancy_api, plain, viewer, d=other.demand, missing="demand_" + "0" * 20)
    assert data == {"a": None, "b": None, "community": {"name": other.name}}
    stats = gql(tenancy_api, 'query { statistics(scope: "%s") { demands } }' % banner.code, viewer)  # noqa: UP031
    assert stats["statistics"]["demands"] == 3  # county-level statistics are shared
    street = post(tenancy_api, 'query { statistics(scope: "%s") { demands } }' % other.street,  # noqa: UP031
                  viewer).json()  # fmt: skip
    assert [e["extensions"]["code"] for e in street["errors"]] == ["NOT_FOUND"]


async def test_names_of_another_county_cannot_be_probed(
    tenancy_api: Api, counties: tuple[seed.County, seed.County]
) -> None:
    """The attack of issue #12: try each surname with common given-name characters in the
    people filter and in search; no hit may depend on a hidden name."""
    district, banner = counties
    _ids(tenancy_api, banner)
    hidden = [p.person_name for p in banner.places.values()]
    callers = {
        "viewer of another county": bearer("VIEWER", district.places["home"].code),
        "community admin of another county": bearer(
            "COMMUNITY_ADMIN", district.places["home"].code
        ),
        "viewer of the county": bearer("VIEWER", banner.places["home"].code),
        "community admin beside": bearer("COMMUNITY_ADMIN", banner.places["beside"].code),
    }
    query = """query($t: String!) { people(filter: {text: $t}) { totalCount nodes { id name } }
      search(text: $t) { node { ... on Node { id } } } }"""
    banner_ids = {getattr(p, k) for p in banner.places.values()
                  for k in ("demand", "resource", "unit", "project", "person")}  # fmt: skip
    for who, token in callers.items():
        names = hidden if "another" in who else hidden[:1] + hidden[2:]
        if who == "community admin beside":
            names = [banner.places["home"].person_name, banner.places["above"].person_name]
        for name in names:
            tries = [name, name[0], name[:2]] + [name[0] + g for g in seed.GIVEN]
            for text in tries:
                data = gql(tenancy_api, query, token, t=text)
                assert data["people"]["totalCount"] == 0, (who, text)
                assert data["people"]["nodes"] == [], (who, text)
                if "another" in who:  # nothing of the other county, by any search
                    assert not {h["node"]["id"] for h in data["search"]} & banner_ids, text
    # inside the personal scope the filter works
    admin = bearer("COMMUNITY_ADMIN", banner.places["home"].code)
    mine = gql(tenancy_api, query, admin, t=banner.places["home"].person_name[:2])
    assert [n["name"] for n in mine["people"]["nodes"]] == [banner.places["home"].person_name]


async def test_sorting_by_name_outside_the_personal_scope_orders_by_the_masked_name(
    tenancy_api: Api, counties: tuple[seed.County, seed.County]
) -> None:
    district, _ = counties
    viewer = bearer("VIEWER", district.places["home"].code)
    query = "query($d: Boolean!) { people(sort: NAME, descending: $d) { nodes { id name } } }"
    up = gql(tenancy_api, query, viewer, d=False)["people"]["nodes"]
    down = gql(tenancy_api, query, viewer, d=True)["people"]["nodes"]
    assert all("*" in n["name"] for n in up)
    assert [n["name"][0] for n in up] == sorted(n["name"][0] for n in up)
    assert [n["name"][0] for n in down] == sorted((n["name"][0] for n in up), reverse=True)


async def test_phones_and_id_cards_in_free_text(
    tenancy_api: Api, counties: tuple[seed.County, seed.County]
) -> None:
    district, _ = counties
    _ids(tenancy_api, district)
    home = district.places["home"]
    query = f"""query($id: ID!) {{ demand(id: $id) {{ description }}
      demands(filter: {{scope: "{home.code}"}}) {{ nodes {{ description }} }} }}"""
    admin = bearer("COMMUNITY_ADMIN", home.code)
    whole = gql(tenancy_api, query, admin, id=home.demand)
    assert home.phone in whole["demand"]["description"]
    assert "19800101123X" in whole["demand"]["description"]
    for token in (
        bearer("VIEWER", home.code),
        bearer("COMMUNITY_ADMIN", district.places["beside"].code),
    ):
        seen = gql(tenancy_api, query, token, id=home.demand)
        for text in (seen["demand"]["description"], seen["demands"]["nodes"][0]["description"]):
            assert home.phone not in text and f"{home.phone[:3]}****{home.phone[-4:]}" in text
            assert "19800101123X" not in text and f"{home.code[:6]}********123X" in text
            assert f"4{home.phone[-6:]}" not in text and "0477-" in text
            assert home.person_name in text  # a name in free text is not a number: kept
    # a digit filter over free text finds nothing outside the personal scope
    probe = """query($t: String!) { demands(filter: {text: $t}) { totalCount } }"""
    viewer = bearer("VIEWER", home.code)
    assert gql(tenancy_api, probe, viewer, t=home.phone[:7])["demands"]["totalCount"] == 0
    assert gql(tenancy_api, probe, admin, t=home.phone[:7])["demands"]["totalCount"] == 1
    assert gql(tenancy_api, probe, viewer, t="老年助餐")["demands"]["totalCount"] == 3
