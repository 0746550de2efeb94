"""The loop's fixtures: a clock tests move (in this process, where the API server's
thread runs), two generated counties with their units and demands, and a GraphQL caller."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.http import create_app
from domain import clock as domain_clock
from domain.ids import derived_id
from graph.store import Store
from tests.api import tenancy_seed as seed
from tests.conftest import Api, bearer, server_settings
from tests.http_server import serve


class Clock:
    """Moves ``domain.clock.now_ms`` for this process (and so for the test server)."""

    def advance(self, hours: float) -> None:
        domain_clock.advance(round(hours * domain_clock.HOUR_MS))

    def now(self) -> int:
        return domain_clock.now_ms()


@pytest.fixture
def clock() -> Iterator[Clock]:
    """The one clock, moved by the test; back to the system's at the end."""
    domain_clock.reset()
    yield Clock()
    domain_clock.reset()


class World:
    """Two counties (纳溪区, 准格尔旗), each with three communities, a liaison unit and a
    demand in each; tokens of every role that takes part in the loop."""

    def __init__(self, api: Api, district: seed.County, banner: seed.County) -> None:
        self.api, self.district, self.banner = api, district, banner
        for county in (district, banner):
            for p in county.places.values():
                p.unit = derived_id("Unit", county.code, p.unit_name)
                p.demand = derived_id("Demand", p.code, f"{p.name}老年助餐")
        self.home = district.places["home"]
        self.beside = district.places["beside"]
        self.above = district.places["above"]

    def token(self, role: str, scope: str | None = None) -> str:
        where = {
            "COUNTY_ADMIN": self.district.code, "STREET_ADMIN": self.home.street,
            "COMMUNITY_ADMIN": self.home.code, "GRID_WORKER": self.home.code,
            "VIEWER": self.home.code,
        }  # fmt: skip
        if role == "UNIT_OPERATOR":
            assert scope is not None
            return bearer(role, scope, county=self.district.code)
        return bearer(role, scope or where[role])

    async def call(self, query: str, token: str, **variables: Any) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=60) as client:
            response = await client.post(
                f"{self.api}/graphql",
                json={"query": query, "variables": variables},
                headers={"authorization": f"Bearer {token}"},
            )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body
        return dict(body["data"])


@pytest.fixture
async def world(store: Store, tmp_path: Path) -> Any:
    district, banner = seed.plan(seed.DISTRICT), seed.plan(seed.BANNER)
    await seed.load(store, tmp_path / "district", district)
    await seed.load(store, tmp_path / "banner", banner)
    # the tests sweep themselves (the worker would sweep as soon as the clock moves)
    settings = dataclasses.replace(server_settings(store), notice_worker=False)
    with serve(create_app(settings)) as url:
        yield World(Api.at(url, bearer("COUNTY_ADMIN", seed.DISTRICT)), district, banner)
