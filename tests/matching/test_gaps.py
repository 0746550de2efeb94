"""Gap analytics on a tiny graph: unmet demands, idle resources, absent liaison units,
incomplete "4+N" structures."""

from __future__ import annotations

from domain.vocab import Category, ProjectStatus
from graph.store import Store
from matching.gaps import Liaison, ProjectStamp, Structure, absent_units, structure_gaps
from matching.models import LiaisonStatus, StructurePart
from resolvers import matching as resolver
from tests.matching.builder import City


async def test_gap_report_of_a_county(store: Store) -> None:
    city = City(store)
    await city.places({"符阳街道": ["百花亭社区", "桂圆林社区"]})
    street = city.street_of("百花亭社区")
    full, half = city.communities["百花亭社区"], city.communities["桂圆林社区"]

    housing = await city.unit("住建局", lead=("百花亭社区",))
    police = await city.unit("公安局", liaises=("百花亭社区", "桂圆林社区"))
    water = await city.unit("水务公司", liaises=("百花亭社区",))
    await city.unit("文旅局", liaises=("桂圆林社区",))

    # 百花亭社区 has all of "4+N"; 桂圆林社区 lacks a first secretary, a lead unit and
    # one of its two compounds' secretaries
    await city.role("FIRST_SECRETARY", "汪秀磊", "Community", full)
    await city.role("STREET_SECRETARY", "许刚", "Street", street)
    await city.role("COMMUNITY_SECRETARY", "钱春刚", "Community", full)
    await city.role(
        "COMPOUND_SECRETARY", "付淑超", "Compound", await city.compound("百花亭社区", "江南小区")
    )
    await city.role("COMMUNITY_SECRETARY", "李娟", "Community", half)
    await city.role("FIRST_SECRETARY", "已离任", "Community", half, until="2020-01-01")
    await city.role(
        "COMPOUND_SECRETARY", "王芳", "Compound", await city.compound("桂圆林社区", "利城半岛")
    )
    await city.compound("桂圆林社区", "老街院落")

    # the housing bureau delivered; the police only has a dispatched project (到而不干);
    # the water company did something before the period (报而不到)
    await city.project("江南小区停车位", "百花亭社区", lead=housing, status="DONE", score=92)
    await city.project("夜间巡逻", "百花亭社区", lead=police, status="DISPATCHED")
    await city.project("管网改造", "百花亭社区", lead=water, status="DONE", start="2022-05-01")

    await city.demand("百花亭社区", "江南小区停车难", "TRAFFIC", urgency="URGENT")
    await city.demand("百花亭社区", "停车位不够", "TRAFFIC")
    await city.demand("桂圆林社区", "老人吃饭难", "ELDERLY_CHILDCARE")
    await city.demand("桂圆林社区", "已解决的事", "ELDERLY_CHILDCARE", status="RESOLVED")
    idle = await city.resource(housing, "袖珍公园建设", "ENVIRONMENT")
    await city.resource(housing, "停车位规划", "TRAFFIC", allocated=1)
    await city.resource(police, "反诈宣传", "PUBLIC_SAFETY", scope="桂圆林社区")

    report = await resolver.gap_report(
        store, city.county, period_from="2024-01-01", period_to="2024-12-31"
    )

    groups = {(g.communityName, g.category): (g.count, g.urgent) for g in report.unmet}
    assert groups == {
        ("百花亭社区", Category.TRAFFIC): (2, 1),
        ("桂圆林社区", Category.ELDERLY_CHILDCARE): (1, 0),
    }
    assert report.unmet[0].count == 2
    assert {r.name for r in report.idle} == {"袖珍公园建设", "反诈宣传"}
    assert idle in {r.resourceId for r in report.idle}

    absent = {(a.unitName, a.communityName): a.status for a in report.absent}
    assert absent == {
        ("公安局", "百花亭社区"): LiaisonStatus.IDLE,
        ("公安局", "桂圆林社区"): LiaisonStatus.ABSENT,
        ("水务公司", "百花亭社区"): LiaisonStatus.ABSENT,
        ("文旅局", "桂圆林社区"): LiaisonStatus.ABSENT,
    }
    assert all(a.sentence for a in report.absent)

    assert [g.communityName for g in report.structure] == ["桂圆林社区"]
    [gap] = report.structure
    assert gap.missing == [
        StructurePart.FIRST_SECRETARY,
        StructurePart.COMPOUND_SECRETARY,
        StructurePart.LEAD_UNIT,
    ]
    assert (gap.compounds, gap.compoundsWithSecretary, gap.liaisonUnits, gap.leadUnits) == (
        2,
        1,
        2,
        0,
    )
    assert "缺第一书记" in gap.sentences

    # a community scope sees only itself
    small = await resolver.gap_report(store, half)
    assert {g.communityId for g in small.unmet} == {half}
    assert {r.name for r in small.idle} == {"反诈宣传"}


def test_absent_units_read_the_period() -> None:
    done = ProjectStamp("p1", ProjectStatus.DONE, start_date="2024-06-01")
    undated = ProjectStamp("p2", ProjectStatus.REPORTED)
    old = ProjectStamp("p3", ProjectStatus.DONE, created_at=1_600_000_000_000)  # 2020-09
    liaisons = [
        Liaison("u1", "甲", "c1", True, (done,)),
        Liaison("u2", "乙", "c1", False, (undated,)),
        Liaison("u3", "丙", "c1", False, (old,)),
    ]
    found = absent_units(liaisons, {"c1": "一社区"}, period_from="2024-01-01")
    assert [(a.unitId, a.status) for a in found] == [
        ("u3", LiaisonStatus.ABSENT),
        ("u2", LiaisonStatus.IDLE),
    ]
    assert absent_units(liaisons, {}, period_to="2019-12-31")[0].unitId == "u1"


def test_structure_with_no_compounds_and_two_leads() -> None:
    s = Structure("c1", "一社区", compounds=0, liaisons=3, leads=2)
    [gap] = structure_gaps([s], today="2024-01-01")
    assert (
        StructurePart.COMPOUND_SECRETARY in gap.missing
        and "牵头单位不唯一（2 个）" in gap.sentences
    )
