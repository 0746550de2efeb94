"""The cost budget and the response cap, over real HTTP on the demo graph."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from app.http import create_app
from graph.store import Store
from tests.conftest import Api, bearer, demo_settings
from tests.http_server import serve

FAN_OUT = """
{ counties { streets { communities { demands { nodes { community { demands { nodes {
  community { demands { nodes { title description } } } } } } } } } } } }
"""
LIGHT = "{ demands(first: 3) { nodes { id title } } }"


def post(api: Api, query: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{api}/graphql", json={"query": query}, timeout=30,
        headers={**api.headers, **headers},
    )  # fmt: skip


@pytest.fixture
def small_api(demo_store: Store) -> Iterator[Api]:
    """The demo graph behind a small budget (50) and a small response cap (1 KiB)."""
    settings = replace(demo_settings(demo_store), max_query_cost=50, max_response_bytes=1024)
    with serve(create_app(settings)) as url:
        yield Api.at(url, bearer("VIEWER", "510522000000"))


def test_every_response_reports_its_cost(demo_api: Api) -> None:
    body = post(demo_api, LIGHT).json()
    assert "errors" not in body
    assert body["extensions"]["cost"] == 1 + 1 + 3 * 2


def test_a_fan_out_is_refused_before_it_runs(demo_api: Api) -> None:
    response = post(demo_api, FAN_OUT, accept="application/graphql-response+json")
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    extensions = error["extensions"]
    assert extensions["code"] == "COST_LIMIT"
    assert extensions["maximum"] == 250_000 and extensions["cost"] > 250_000
    assert "250000" in error["message"] and str(extensions["cost"]) in error["message"]
    assert "GONGJIAN_MAX_QUERY_COST" in error["message"]


def test_the_budget_is_a_setting_and_fragments_count(small_api: Api) -> None:
    assert "errors" not in post(small_api, LIGHT).json()
    hidden = "{ demands(first: 10) { ...F } } fragment F on DemandConnection { nodes { ...G } }"
    hidden += " fragment G on Demand { projects { id name } }"
    body = post(small_api, hidden).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "COST_LIMIT"
    assert body["errors"][0]["extensions"]["maximum"] == 50


def test_a_response_over_the_cap_is_refused_not_sent(small_api: Api) -> None:
    big = "{ demands(first: 15) { nodes { id title description } } }"
    response = post(small_api, big)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "RESPONSE_TOO_LARGE", "limit": "responseBytes", "maximum": 1024,
    }  # fmt: skip
    assert "GONGJIAN_MAX_RESPONSE_BYTES" in error["message"]
    assert len(response.content) < 1024
