"""“4+N” profiles and 两长两员 coverage of the demo communities, over HTTP; their round
trips do not grow with the number of communities asked for."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.conftest import Api, bearer

BAIHUATING = "510522001001"  # 百花亭社区: complete
ZAOLINQIAO = "510522001002"  # 枣林桥社区: no 兼职副书记
MAJIE = "510522001003"  # 马街社区: no compounds on record
XINGLONG = "510522002002"  # 兴隆社区: a compound without a secretary
QINGAN = "220821003003"  # 镇赉县 庆安社区: no 第一书记 (Zhenlai has none)

PROFILE = """
query($code: String!) { division(code: $code) { ... on Community { name
  profile { complete missing
    firstSecretary { kind kindLabel title since until active
      person { name phone } place { __typename ... on Community { code } } }
    streetSecretary { person { name } place { ... on Street { name } } }
    communitySecretary { person { name } }
    deputySecretary { person { name } unit { name } }
    compoundSecretaries { person { name } place { ... on Compound { name } } }
    liaisonUnits { lead unit { name } community { code } }
    leadUnit { name }
  }
} } }
"""
COVERAGE = """
query($code: String!) { division(code: $code) { ... on Community {
  buildingCoverage { buildings complete
    gaps { compoundName missing missingLabels building { name compound { name } } } }
} } }
"""


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


#: personal data is read with a token entitled to it (the county's organization department)
ADMIN = bearer("COUNTY_ADMIN", "510522000000")


def county_admin(code: str) -> str:
    """The admin of the county the place lies in (another county's people are not read)."""
    return bearer("COUNTY_ADMIN", code[:6] + "000000")


def profile(api: Api, code: str) -> dict[str, Any]:
    return dict(gql(api, PROFILE, county_admin(code), code=code)["division"]["profile"])


def test_a_complete_community_shows_every_post_and_its_liaison_units(demo_api: Api) -> None:
    found = profile(demo_api, BAIHUATING)
    assert (found["complete"], found["missing"]) == (True, [])
    assert found["firstSecretary"] == {
        "kind": "FIRST_SECRETARY", "kindLabel": "第一书记", "title": "县委常委、常务副县长",
        "since": "2020-08-10", "until": None, "active": True,
        "person": {"name": "汪秀磊", "phone": "19904389413"},
        "place": {"__typename": "Community", "code": BAIHUATING},
    }  # fmt: skip
    assert found["streetSecretary"] == {"person": {"name": "许刚"}, "place": {"name": "符阳街道"}}
    assert found["communitySecretary"] == {"person": {"name": "钱春刚"}}
    assert found["deputySecretary"] == {
        "person": {"name": "穆桂强"},
        "unit": {"name": "合江县住房和城乡建设局"},
    }
    assert found["compoundSecretaries"] == [
        {"person": {"name": "武明辉"}, "place": {"name": "农机厂宿舍"}},
        {"person": {"name": "何国贵"}, "place": {"name": "江南小区"}},
        {"person": {"name": "邓云贵"}, "place": {"name": "滨江花园"}},
    ]
    assert found["leadUnit"] == {"name": "合江县住房和城乡建设局"}
    others = [
        "中共合江县委组织部", "合江县城市管理局", "合江县文化广播电视和旅游局",
        "国网合江县供电公司", "合江县中医医院", "合江县锦程物业服务有限公司",
    ]  # fmt: skip
    assert found["liaisonUnits"] == [
        {"lead": True, "unit": {"name": "合江县住房和城乡建设局"}, "community": {"code": BAIHUATING}},
        *({"lead": False, "unit": {"name": n}, "community": {"code": BAIHUATING}} for n in sorted(others)),
    ]  # fmt: skip


def test_what_is_missing_is_said_in_chinese(demo_api: Api) -> None:
    assert profile(demo_api, ZAOLINQIAO)["missing"] == ["缺少兼职副书记"]
    assert profile(demo_api, MAJIE)["missing"] == ["没有登记小区，缺少小区党支部书记"]
    assert profile(demo_api, XINGLONG)["missing"] == ["小区“兴隆还房小区”没有党支部书记"]
    qingan = profile(demo_api, QINGAN)
    assert qingan["missing"] == ["缺少第一书记", "小区“粮库家属楼”没有党支部书记"]
    assert (qingan["complete"], qingan["firstSecretary"]) == (False, None)


def test_building_coverage_names_each_building_without_all_four(demo_api: Api) -> None:
    data = gql(demo_api, COVERAGE, county_admin(QINGAN), code=QINGAN)["division"][
        "buildingCoverage"
    ]
    assert data == {
        "buildings": 2,
        "complete": 0,
        "gaps": [
            {
                "compoundName": "粮库家属楼", "missing": ["REGISTERED_MEMBER"],
                "missingLabels": ["双报到党员"],
                "building": {"name": "1号楼", "compound": {"name": "粮库家属楼"}},
            },
            {
                "compoundName": "粮库家属楼", "missing": ["BUILDING_HEAD", "GROUP_LEADER"],
                "missingLabels": ["楼栋长", "党小组长"],
                "building": {"name": "2号楼", "compound": {"name": "粮库家属楼"}},
            },
        ],
    }  # fmt: skip
    baihuating = gql(demo_api, COVERAGE, county_admin(BAIHUATING), code=BAIHUATING)["division"][
        "buildingCoverage"
    ]
    assert (baihuating["buildings"], baihuating["complete"], len(baihuating["gaps"])) == (10, 4, 6)
    empty = gql(demo_api, COVERAGE, code=MAJIE)["division"]["buildingCoverage"]
    assert empty == {"buildings": 0, "complete": 0, "gaps": []}


ROLES_BOTH_WAYS = """
query($code: String!) { division(code: $code) { ... on Community {
  roles(kinds: [FIRST_SECRETARY, COMMUNITY_SECRETARY]) { kind
    person { name roles { kind place { ... on Community { code } } } } }
  compounds { name roles(kinds: [COMPOUND_SECRETARY]) { person { name } }
    buildings { name roles { kind person { name } } } }
} } }
"""


def test_roles_navigate_both_ways(demo_api: Api) -> None:
    data = gql(demo_api, ROLES_BOTH_WAYS, ADMIN, code=BAIHUATING)["division"]
    assert data["roles"] == [
        {"kind": "FIRST_SECRETARY", "person": {"name": "汪秀磊", "roles": [
            {"kind": "FIRST_SECRETARY", "place": {"code": BAIHUATING}}]}},
        {"kind": "COMMUNITY_SECRETARY", "person": {"name": "钱春刚", "roles": [
            {"kind": "COMMUNITY_SECRETARY", "place": {"code": BAIHUATING}}]}},
    ]  # fmt: skip
    jiangnan = next(c for c in data["compounds"] if c["name"] == "江南小区")
    assert jiangnan["roles"] == [{"person": {"name": "何国贵"}}]
    second = next(b for b in jiangnan["buildings"] if b["name"] == "2栋")
    # buildings.csv: 2栋 严云军 / 卢宏超 / 王晓峰 / 卢川、孟军, in the vocabulary's order
    assert [(r["kind"], r["person"]["name"]) for r in second["roles"]] == [
        ("BUILDING_HEAD", "严云军"),
        ("GROUP_LEADER", "卢宏超"),
        ("GRID_WORKER", "王晓峰"),
        ("REGISTERED_MEMBER", "卢川"),
        ("REGISTERED_MEMBER", "孟军"),
    ]


STREET_PROFILES = """
query($code: String!) { division(code: $code) { ... on Street { communities { name
  profile { complete missing firstSecretary { person { name } } streetSecretary { person { name } }
    communitySecretary { person { name } } deputySecretary { person { name } }
    compoundSecretaries { person { name } } leadUnit { name } liaisonUnits { lead unit { name } } }
  buildingCoverage { buildings complete gaps { building { name } missing } }
} } } }
"""


def trips_sum(metrics: str) -> float:
    match = re.search(r"^gongjian_request_round_trips_sum\{\} (\S+)$", metrics, re.M)
    return float(match.group(1)) if match else 0.0


def round_trips(api: Api, query: str, **variables: Any) -> tuple[float, dict[str, Any]]:
    """Round trips of one request, from /metrics (no other request runs meanwhile)."""
    with httpx.Client(timeout=60, headers=api.headers) as client:
        before = trips_sum(client.get(f"{api}/metrics").text)
        data = gql(api, query, **variables)
        after = trips_sum(client.get(f"{api}/metrics").text)
    return after - before, data


def test_profiles_of_every_community_of_a_street_in_bounded_round_trips(demo_api: Api) -> None:
    small, few = round_trips(demo_api, STREET_PROFILES, code="510522002000")
    large, many = round_trips(demo_api, STREET_PROFILES, code="510522001000")
    assert len(few["division"]["communities"]) == 3
    assert len(many["division"]["communities"]) == 10
    assert small == large
    # one statement each, however many communities: the street, its communities, the
    # profiles, the coverage, the roles by id, the units by id, the people by id
    assert large == 7
