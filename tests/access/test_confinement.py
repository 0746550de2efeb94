"""Every write is confined to the caller's county (a city admin's: its city), the target
and every object it touches; CITY_ADMIN scopes and settings of the item limits."""

from __future__ import annotations

import pytest

from access.policy import Action, Target, authorize, can, confined
from access.principal import AccessRole, Principal, is_city_code, place_level, prefix_of
from app.settings import Settings
from domain.errors import ConfigError, Forbidden, InvalidInput, TooManyItems
from domain.vocab import ProjectStatus
from graph.store import Store
from matching.models import AcceptItem
from resolvers.limits import MutationLimits
from tests.access.conftest import (
    GUIYUANLIN,
    HEJIANG,
    LUXIAN,
    LUXIAN_COMMUNITY,
    LUZHOU,
    UNIT_A,
    UNIT_C,
    principals,
)

ZHENLAI_COMMUNITY = "220821003003"  # 庆安社区, 镇赉县 (白城市)
BAICHENG = "220800000000"


def test_a_touched_object_of_another_county_refuses_the_write() -> None:
    admin = principals()[AccessRole.COMMUNITY_ADMIN]
    here = Target.at(GUIYUANLIN)
    assert can(admin, Action.FORM_PROJECT, here, touches=[Target.of_unit(UNIT_A, HEJIANG)])
    for elsewhere in (Target.of_unit(UNIT_C, LUXIAN), Target.at(LUXIAN_COMMUNITY)):
        assert not can(admin, Action.FORM_PROJECT, here, touches=[elsewhere])
        with pytest.raises(Forbidden) as refused:
            authorize(admin, Action.FORM_PROJECT, here, touches=[elsewhere])
        assert LUXIAN not in refused.value.message  # the other object is never named


def test_a_unit_operator_moves_only_projects_of_its_own_county() -> None:
    operator = Principal("泸县住建局", AccessRole.UNIT_OPERATOR, UNIT_C, county=LUXIAN)
    led_here = Target.at(LUXIAN_COMMUNITY, unit=UNIT_C, unit_county=LUXIAN)
    led_elsewhere = Target.at(GUIYUANLIN, unit=UNIT_C, unit_county=LUXIAN)
    assert can(operator, Action.MOVE_PROJECT, led_here, ProjectStatus.ACCEPTED)
    assert not can(operator, Action.MOVE_PROJECT, led_elsewhere, ProjectStatus.ACCEPTED)
    assert not confined(operator, led_elsewhere)


def test_a_city_admin_reaches_every_county_of_its_city_and_no_other() -> None:
    city = Principal("市委组织部", AccessRole.CITY_ADMIN, LUZHOU)
    assert city.county == LUZHOU and prefix_of(LUZHOU) == "5105"
    for place in (GUIYUANLIN, LUXIAN_COMMUNITY, HEJIANG):
        assert can(city, Action.REPORT_DEMAND, Target.at(place))
    assert can(city, Action.LOAD_ROSTER, Target.at(LUZHOU))
    assert not can(city, Action.REPORT_DEMAND, Target.at(ZHENLAI_COMMUNITY))
    other = Principal("白城市委组织部", AccessRole.CITY_ADMIN, BAICHENG)
    assert can(other, Action.REPORT_DEMAND, Target.at(ZHENLAI_COMMUNITY))
    assert not can(other, Action.REPORT_DEMAND, Target.at(GUIYUANLIN))
    # a unit of another city's county is beyond its reach
    assert can(city, Action.UPDATE_RESOURCE, Target.of_unit(UNIT_C, LUXIAN))
    assert not can(other, Action.UPDATE_RESOURCE, Target.of_unit(UNIT_C, LUXIAN))


@pytest.mark.parametrize("scope", ["510522000000", "510522001006", "510000000000", "5105"])
def test_a_city_admin_needs_a_city_code(scope: str) -> None:
    with pytest.raises(InvalidInput):
        Principal("x", AccessRole.CITY_ADMIN, scope)


def test_city_codes() -> None:
    assert is_city_code(LUZHOU) and is_city_code(BAICHENG) and is_city_code("110100000000")
    assert not is_city_code("110000000000") and not is_city_code(HEJIANG)
    assert [place_level(c) for c in (LUZHOU, HEJIANG, GUIYUANLIN)] == [
        "City",
        "County",
        "Community",
    ]


def test_item_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_env().limits == MutationLimits()
    monkeypatch.setenv("GONGJIAN_MAX_PLAN_ITEMS", "7")
    monkeypatch.setenv("GONGJIAN_MAX_PROJECT_USES", "3")
    monkeypatch.setenv("GONGJIAN_MAX_MEETING_ITEMS", "9")
    limits = Settings.from_env().limits
    assert (limits.plan_items, limits.project_uses, limits.meeting_items) == (7, 3, 9)
    monkeypatch.setenv("GONGJIAN_MAX_SCOPE_CODES", "0")
    with pytest.raises(ConfigError):
        Settings.from_env()


async def test_a_configured_limit_refuses_before_anything_is_read_or_written(
    store: Store,
) -> None:
    from resolvers import plans, projects
    from resolvers.context import Context

    admin = principals()[AccessRole.COUNTY_ADMIN]
    ctx = Context.for_request(
        store, principal=admin, limits=MutationLimits(project_uses=1, plan_items=2)
    )
    uses = [{"resource_id": f"res_{i}", "quantity": 1} for i in range(2)]
    with pytest.raises(TooManyItems) as refused:
        await projects.form(ctx, {"name": "两项", "project_class": "HEALTH", "community": GUIYUANLIN,
                                  "uses": uses})  # fmt: skip
    assert refused.value.code == "TOO_MANY_ITEMS" and "最多 1 项" in refused.value.message
    items = [AcceptItem(demandId=f"dem_{i}", resourceId="res_x", quantity=1) for i in range(3)]
    with pytest.raises(TooManyItems):
        await plans.accept(ctx, items)
    assert ctx.round_trips == [0] and not store.stats.calls
