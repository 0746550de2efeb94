"""Small graphs for API tests, written through the store (not the loaders)."""

from __future__ import annotations

from graph import writes
from graph.queries import places
from graph.store import Store

COUNTY = "510522000000"
STREETS = {"510522001000": "符阳街道", "510522002000": "临港街道"}
COMMUNITIES = {
    "510522001006": ("桂圆林社区", "510522001000"),
    "510522001008": ("桥凼社区", "510522001000"),
    "510522002002": ("兴隆社区", "510522002000"),
}


async def hierarchy(store: Store, *, compounds_per_community: int = 2, buildings: int = 3) -> None:
    """合江县 -> 2 streets -> 3 communities -> compounds -> buildings."""
    await writes.upsert(store, "County", [(COUNTY, {"name": "合江县", "code": COUNTY})])
    await writes.upsert(store, "Street", [(c, {"name": n, "code": c}) for c, n in STREETS.items()])
    await writes.upsert(
        store, "Community", [(c, {"name": n, "code": c}) for c, (n, _) in COMMUNITIES.items()]
    )
    await store.run(
        places.LINK_PARENT[("Street", "County")],
        rows=[{"child": c, "parent": COUNTY} for c in STREETS],
    )
    await store.run(
        places.LINK_PARENT[("Community", "Street")],
        rows=[{"child": c, "parent": s} for c, (_, s) in COMMUNITIES.items()],
    )
    compounds, houses, links, house_links = [], [], [], []
    for code in COMMUNITIES:
        for i in range(compounds_per_community):
            compound = f"cmp_{code}_{i}"
            compounds.append((compound, {"name": f"小区{i}"}))
            links.append({"child": compound, "parent": code})
            for j in range(buildings):
                building = f"bld_{code}_{i}_{j}"
                houses.append((building, {"name": f"{j + 1}栋"}))
                house_links.append({"child": building, "parent": compound})
    await writes.upsert(store, "Compound", compounds)
    await writes.upsert(store, "Building", houses)
    await store.run(places.LINK_PARENT[("Compound", "Community")], rows=links)
    await store.run(places.LINK_PARENT[("Building", "Compound")], rows=house_links)


UNITS_HEADER = "单位名称,单位类型,所属县,联系社区,牵头社区,党组织名称,党组织负责人,联系电话"


async def unit(store: Store, name: str = "合江县天然气有限公司", kind: str = "公共服务企业") -> str:
    """A unit of 合江县 liaising with 桥凼社区, loaded through the roster loader."""
    from domain.ids import derived_id
    from loaders import load_upload

    csv = f"{UNITS_HEADER}\n{name},{kind},合江县,桥凼社区,,,,\n"
    report = await load_upload(store, "units.csv", csv.encode())
    assert report.ok, report.errors
    return derived_id("Unit", COUNTY, name)
