"""rates and unitRanking over real HTTP, inside the caller's read scope."""

from __future__ import annotations

from typing import Any

import httpx

from graph.store import Store
from tests.conftest import Api, bearer
from tests.rates import fixture as fx

RATES = """
query($scope: String!, $month: String, $from: DateTime, $to: DateTime) {
  rates(scope: $scope, month: $month, from: $from, to: $to) {
    scope period { from to label }
    figures { key label formula isRatio numerator denominator value ids baseIds } } }
"""
RANKING = """
query($scope: String!, $month: String!) { unitRanking(scope: $scope, month: $month) {
  unitId unitName rank score formula unit { name } figures { key value } } }
"""


def post(api: Api, query: str, token: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{api}/graphql", json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"}, timeout=60,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return dict(response.json())


def anonymous_status(api: Api) -> int:
    return httpx.post(f"{api}/graphql", json={"query": RATES}, timeout=60).status_code


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def test_rates_and_ranking_of_the_county(store: Store, api: Api) -> None:
    fix = await fx.build(store)
    d, u = fix.demands, fix.units
    body = post(api, RATES, api.token, scope="510522", month="2026-11")
    assert "errors" not in body, body
    rates = body["data"]["rates"]
    assert rates["period"] == {
        "from": "2026-10-31T16:00:00+00:00", "to": "2026-11-30T16:00:00+00:00", "label": "2026-11",
    }  # fmt: skip
    f = {x["key"]: x for x in rates["figures"]}
    assert [x["label"] for x in rates["figures"]] == [
        "响应率", "按期办结率", "解决率", "满意率", "回访率", "逾期数", "报到率", "报而不到", "到而不干",
    ]  # fmt: skip
    assert (f["response"]["numerator"], f["response"]["denominator"]) == (4, 6)
    assert f["satisfied"]["value"] == 2 / 3 and f["satisfied"]["ids"] == sorted([d["d1"], d["d4"]])
    assert f["overdue"]["ids"] == sorted([d["d2"], d["d3"]]) and f["overdue"]["value"] is None
    assert f["absent"]["ids"] == [u["C"]] and f["absent"]["denominator"] is None
    assert f["response"]["formula"].startswith("响应率 = ")
    ranking = post(api, RANKING, api.token, scope="510522000000", month="2026-11")
    assert "errors" not in ranking, ranking
    assert [(r["unitName"], r["rank"], r["score"]) for r in ranking["data"]["unitRanking"]] == [
        ("合江县城市管理局", 1, 100.0), ("合江县住房和城乡建设局", 2, 40.0), ("合江县水务局", None, None),
    ]  # fmt: skip
    assert ranking["data"]["unitRanking"][0]["unit"] == {"name": "合江县城市管理局"}
    # a period by its bounds: the first ten days hold a1 a2 a4 a5 a6
    tenth = post(api, RATES, api.token, scope=fx.GUIYUANLIN,
                 **{"from": "2026-10-31T16:00:00Z", "to": "2026-11-10T16:00:00Z"})  # fmt: skip
    assert "errors" not in tenth, tenth
    g = {x["key"]: x for x in tenth["data"]["rates"]["figures"]}
    assert (g["response"]["numerator"], g["response"]["denominator"]) == (1, 3)


async def test_empty_months_and_bad_input(store: Store, api: Api) -> None:
    await fx.build(store)
    body = post(api, RATES, api.token, scope="510522", month="2026-09")
    assert "errors" not in body, body
    for x in body["data"]["rates"]["figures"]:
        if x["key"] != "absent":
            assert x["value"] is None and x["numerator"] == 0 and x["ids"] == [], x
    absent = {x["key"]: x for x in body["data"]["rates"]["figures"]}["absent"]
    assert absent["numerator"] == 3  # no liaison unit accepted anything in September
    assert codes(post(api, RATES, api.token, scope="510522", month="2026-13")) == ["INVALID_INPUT"]
    assert codes(post(api, RATES, api.token, scope="510522")) == ["INVALID_INPUT"]


async def test_other_counties_and_units_see_nothing(store: Store, api: Api) -> None:
    fix = await fx.build(store)
    u = fix.units
    zhenlai = bearer("COUNTY_ADMIN", "220821000000")
    assert codes(post(api, RATES, zhenlai, scope="510522", month="2026-11")) == ["NOT_FOUND"]
    assert codes(post(api, RATES, zhenlai, scope=u["A"], month="2026-11")) == ["NOT_FOUND"]
    assert codes(post(api, RANKING, zhenlai, scope="510522", month="2026-11")) == ["NOT_FOUND"]
    operator = bearer("UNIT_OPERATOR", u["A"])
    own = post(api, RATES, operator, scope=u["A"], month="2026-11")
    assert "errors" not in own, own
    f = {x["key"]: x for x in own["data"]["rates"]["figures"]}
    assert (f["response"]["numerator"], f["response"]["denominator"]) == (2, 4)
    assert codes(post(api, RATES, operator, scope=u["B"], month="2026-11")) == ["NOT_FOUND"]
    assert codes(post(api, RATES, operator, scope="510522", month="2026-11")) == ["NOT_FOUND"]
    assert anonymous_status(api) == 401  # the server is not public
