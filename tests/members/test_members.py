"""双报到 over HTTP: register, claim, log, confirm, the totals (hand-computed), masking,
refusals, and the export opened in openpyxl."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from access.masking import mask_name, mask_phone
from graph import writes
from graph.queries import loading
from graph.store import Store
from tests.api import seed
from tests.api.test_people import county_unit, gql
from tests.api.test_records import unit_operator
from tests.conftest import Api, bearer, store_url

ROOT = Path(__file__).resolve().parents[2]

GUIYUANLIN = "510522001006"  # 符阳街道
ZAOLINQIAO = "510522001002"  # 符阳街道
XINGLONG = "510522002002"  # 临港街道
FUYANG = "510522001000"
COUNTY = "510522000000"
ZHUJIANJU, GONGAN = "unit_zhujianju", "unit_gongan"
COMMUNITY_ADMIN = bearer("COMMUNITY_ADMIN", GUIYUANLIN)
BESIDE_ADMIN = bearer("COMMUNITY_ADMIN", ZAOLINQIAO)
GRID_WORKER = bearer("GRID_WORKER", GUIYUANLIN)

ERR = "... on Error { code message field }"
REGISTER = f"""mutation($input: RegisterMemberInput!) {{ registerMember(input: $input) {{
  __typename ... on Member {{ id name phone homeUnit {{ id }} community {{ code }} }} {ERR} }} }}"""
ADD_WISH = f"""mutation($input: AddWishInput!) {{ addWish(input: $input) {{
  __typename ... on Wish {{ id title status statusLabel community {{ code }} }} {ERR} }} }}"""
CLAIM_WISH = f"""mutation($w: ID!, $m: ID!) {{ claimWish(wishId: $w, memberId: $m) {{
  __typename ... on Wish {{ status claimedAt claimedBy {{ id }} }} {ERR} }} }}"""
FINISH_WISH = f"""mutation($w: ID!) {{ finishWish(wishId: $w) {{
  __typename ... on Wish {{ status doneAt }} ... on IllegalTransitionError {{ allowed }} {ERR} }} }}"""
CLAIM_DEMAND = f"""mutation($d: ID!, $m: ID!) {{ claimDemand(demandId: $d, memberId: $m) {{
  __typename ... on Member {{ id claimedIds }} {ERR} }} }}"""
LOG = f"""mutation($input: LogServiceInput!) {{ logService(input: $input) {{
  __typename ... on ServiceLog {{ id hours at confirmed targetId member {{ id }} }} {ERR} }} }}"""
CONFIRM = f"""mutation($id: ID!) {{ confirmService(logId: $id) {{
  __typename ... on ServiceLog {{ id confirmed confirmedAt }} {ERR} }} }}"""
HOURS = f"""query($scope: String!, $from: String, $to: String, $month: String) {{
  memberHours(scope: $scope, from: $from, to: $to, month: $month) {{ __typename
    ... on MemberHoursReport {{ scope period totalHours
      units {{ unitId unitName members hours logs unit {{ name }} }}
      members {{ hours logs member {{ id }} }} }} {ERR} }} }}"""
EXPORT = f"""query($scope: String!, $month: String) {{
  memberHoursExport(scope: $scope, month: $month) {{ __typename
    ... on ExportFile {{ filename mediaType size contentBase64 }} {ERR} }} }}"""
MEMBER = """query($id: ID!, $month: String) { member(id: $id) { id name phone
  confirmedHours all: confirmedHours(month: $month) serviceLogs { totalCount nodes { hours confirmed } } } }"""


async def graph(store: Store) -> None:
    """The hierarchy, two units, a demand in 桂圆林 and one in 兴隆."""
    await seed.hierarchy(store, compounds_per_community=0)
    await county_unit(store, ZHUJIANJU, "合江县住房和城乡建设局")
    await county_unit(store, GONGAN, "合江县公安局")
    await writes.upsert(store, "Demand", [
        ("dem_fees", {"title": "利城半岛物业费拖欠", "category": "PROPERTY_MANAGEMENT",
                      "matterClass": "DIFFICULT", "stage": "DISPATCHED"}),
        ("dem_elders", {"title": "兴隆社区赡养纠纷", "category": "PUBLIC_SAFETY",
                        "matterClass": "IMPORTANT"}),
    ])  # fmt: skip
    await store.run(loading.LINK[("Demand", "FOR", "Community")], rows=[
        {"start": "dem_fees", "end": GUIYUANLIN, "props": {}},
        {"start": "dem_elders", "end": XINGLONG, "props": {}},
    ])  # fmt: skip


def call(api: Api, query: str, token: str | None = None, **variables: Any) -> Any:
    [result] = gql(api, query, token, **variables).values()
    return result


def ok(api: Api, query: str, token: str | None = None, **variables: Any) -> Any:
    result = call(api, query, token, **variables)
    assert not result["__typename"].endswith("Error"), result
    return result


def register(api: Api, name: str, unit: str, community: str = GUIYUANLIN,
             phone: str | None = None, token: str | None = COMMUNITY_ADMIN) -> str:  # fmt: skip
    fields = {"name": name, "homeUnitId": unit, "communityCode": community, "phone": phone}
    return str(ok(api, REGISTER, token, input=fields)["id"])


def log(api: Api, member: str, target: str, hours: float, at: str, confirm: bool,
        community: str = GUIYUANLIN) -> str:  # fmt: skip
    logger = GRID_WORKER if community == GUIYUANLIN else None  # None: the county admin
    made = ok(api, LOG, logger, input={
        "memberId": member, "targetId": target, "hours": hours, "at": at})  # fmt: skip
    assert made["confirmed"] is False
    if confirm:
        confirmer = bearer("COMMUNITY_ADMIN", community)
        assert ok(api, CONFIRM, confirmer, id=made["id"])["confirmed"] is True
    return str(made["id"])


class Fixture:
    """Four members, a wish, six logs (five confirmed); the figures by hand:

    | member | unit | lives in | confirmed logs (hours, day) | not confirmed |
    |---|---|---|---|---|
    | 张三 | 住建局 | 桂圆林 | 2.5 (11-03, wish), 1.5 (11-10) | |
    | 李四 | 住建局 | 桂圆林 | 4 (10-20) | 3 (11-12) |
    | 王五 | 公安局 | 桂圆林 | 0.75 (11-30 23:30 China time) | |
    | 赵六 | 公安局 | 兴隆 | 6 (11-05) | |
    """

    def __init__(self, api: Api, zhang: str | None = None) -> None:
        self.zhang = zhang or register(api, "张三", ZHUJIANJU, phone="13800001111")
        self.li = register(api, "李四", ZHUJIANJU)
        self.wang = register(api, "王五", GONGAN)
        self.zhao = register(api, "赵六", GONGAN, XINGLONG, token=None)  # the county admin
        self.wish = str(ok(api, ADD_WISH, COMMUNITY_ADMIN, input={
            "communityCode": GUIYUANLIN, "title": "帮独居老人买菜", "description": "每周两次"})["id"])  # fmt: skip
        ok(api, CLAIM_WISH, GRID_WORKER, w=self.wish, m=self.zhang)
        log(api, self.zhang, self.wish, 2.5, "2026-11-03", confirm=True)
        log(api, self.zhang, "dem_fees", 1.5, "2026-11-10T14:00", confirm=True)
        self.unconfirmed = log(api, self.li, "dem_fees", 3, "2026-11-12", confirm=False)
        log(api, self.li, "dem_fees", 4, "2026-10-20", confirm=True)
        log(api, self.wang, "dem_fees", 0.75, "2026-11-30T23:30", confirm=True)
        log(api, self.zhao, "dem_elders", 6, "2026-11-05", confirm=True, community=XINGLONG)


async def test_register_claim_log_confirm_and_totals(store: Store, api: Api) -> None:
    await graph(store)
    made = ok(api, REGISTER, COMMUNITY_ADMIN, input={
        "name": "张三", "phone": "138 0000 1111", "homeUnitId": ZHUJIANJU,
        "communityCode": GUIYUANLIN})  # fmt: skip
    assert {k: v for k, v in made.items() if k != "id"} == {
        "__typename": "Member", "name": "张三", "phone": "13800001111",
        "homeUnit": {"id": ZHUJIANJU}, "community": {"code": GUIYUANLIN},
    }  # fmt: skip
    twice = call(api, REGISTER, COMMUNITY_ADMIN, input={
        "name": "张三", "phone": "13800001111", "homeUnitId": ZHUJIANJU, "communityCode": GUIYUANLIN})  # fmt: skip
    assert (twice["code"], twice["field"]) == ("CONFLICT", "name")
    f = Fixture(api, zhang=made["id"])

    # the wish: claimed above; done; not claimable again
    done = ok(api, FINISH_WISH, COMMUNITY_ADMIN, w=f.wish)
    assert done["status"] == "DONE" and done["doneAt"]
    again = call(api, CLAIM_WISH, COMMUNITY_ADMIN, w=f.wish, m=f.li)
    assert again["code"] == "ILLEGAL_TRANSITION"
    wishes = gql(api, "query($c: String!) { wishes(communityCode: $c) { totalCount"
                 " nodes { id status claimedBy { id } } } }", c=GUIYUANLIN)["wishes"]  # fmt: skip
    assert wishes["totalCount"] == 1
    assert wishes["nodes"] == [{"id": f.wish, "status": "DONE", "claimedBy": {"id": f.zhang}}]

    # a demand claimed by a member of its community: a relationship, the stage unchanged
    claimed = ok(api, CLAIM_DEMAND, GRID_WORKER, d="dem_fees", m=f.li)
    assert claimed["claimedIds"] == ["dem_fees"]
    repeat = call(api, CLAIM_DEMAND, GRID_WORKER, d="dem_fees", m=f.li)
    assert (repeat["code"], repeat["field"]) == ("CONFLICT", "demandId")
    elsewhere = call(api, CLAIM_DEMAND, None, d="dem_elders", m=f.li)
    assert (elsewhere["code"], elsewhere["field"]) == ("NOT_FOUND", "memberId")

    # November in 桂圆林: 住建局 2.5 + 1.5 (李四's 3 unconfirmed), 公安局 0.75
    report = ok(api, HOURS, scope=GUIYUANLIN, month="2026-11")
    assert (report["scope"], report["period"], report["totalHours"]) == (
        GUIYUANLIN,
        "2026-11",
        4.75,
    )
    assert [{k: u[k] for k in ("unitId", "members", "hours", "logs")} for u in report["units"]] == [
        {"unitId": ZHUJIANJU, "members": 2, "hours": 4.0, "logs": 2},
        {"unitId": GONGAN, "members": 1, "hours": 0.75, "logs": 1},
    ]
    assert report["units"][0]["unit"] == {"name": "合江县住房和城乡建设局"}
    per_member = {m["member"]["id"]: (m["hours"], m["logs"]) for m in report["members"]}
    assert per_member == {f.zhang: (4.0, 2), f.li: (0.0, 0), f.wang: (0.75, 1)}
    # the county in November: 公安局 0.75 + 6, 住建局 4
    county = ok(api, HOURS, scope=COUNTY, month="2026-11")
    assert [(u["unitId"], u["members"], u["hours"], u["logs"]) for u in county["units"]] == [
        (GONGAN, 2, 6.75, 2),
        (ZHUJIANJU, 2, 4.0, 2),
    ]
    # all time in 桂圆林: 李四's October hours count too; from/to: the first ten days of November
    always = ok(api, HOURS, scope=GUIYUANLIN)
    assert [(u["unitId"], u["hours"], u["logs"]) for u in always["units"]] == [
        (ZHUJIANJU, 8.0, 3),
        (GONGAN, 0.75, 1),
    ]
    days = ok(api, HOURS, scope=FUYANG, **{"from": "2026-11-01", "to": "2026-11-10"})
    assert [(u["unitId"], u["hours"]) for u in days["units"]] == [(ZHUJIANJU, 4.0), (GONGAN, 0.0)]

    # the unit's own field, and the member's
    unit = gql(api, """query($id: ID!) { unit(id: $id) { nov: memberServiceHours(month: "2026-11") { hours logs }
      all: memberServiceHours { hours logs } } }""", id=ZHUJIANJU)["unit"]  # fmt: skip
    assert (unit["nov"], unit["all"]) == ({"hours": 4.0, "logs": 2}, {"hours": 8.0, "logs": 3})
    li = gql(api, MEMBER, id=f.li, month="2026-11")["member"]
    assert (li["confirmedHours"], li["all"]) == (4.0, 0.0)
    assert sorted((s["hours"], s["confirmed"]) for s in li["serviceLogs"]["nodes"]) == [
        (3.0, False),
        (4.0, True),
    ]


async def test_refusals(store: Store, api: Api) -> None:
    await graph(store)
    member = register(api, "张三", ZHUJIANJU)
    fields = {"memberId": member, "targetId": "dem_fees", "at": "2026-11-03"}
    for hours in (0, -1, 24.5):
        bad = call(api, LOG, COMMUNITY_ADMIN, input={**fields, "hours": hours})
        assert (bad["code"], bad["field"]) == ("INVALID_INPUT", "hours"), hours
        assert "24" in bad["message"]
    assert ok(api, LOG, COMMUNITY_ADMIN, input={**fields, "hours": 24})["hours"] == 24
    future = call(api, LOG, COMMUNITY_ADMIN, input={**fields, "hours": 1, "at": "2999-01-01"})
    assert (future["code"], future["field"]) == ("INVALID_INPUT", "at")
    far = call(api, LOG, COMMUNITY_ADMIN, input={**fields, "hours": 1, "targetId": "dem_elders"})
    assert (far["code"], far["field"]) == ("NOT_FOUND", "targetId")
    made = ok(api, LOG, GRID_WORKER, input={**fields, "hours": 2})
    # only the community confirms: not its grid worker, not the street or county above
    for token in (GRID_WORKER, bearer("STREET_ADMIN", FUYANG), None, BESIDE_ADMIN):
        refused = call(api, CONFIRM, token, id=made["id"])
        assert refused["code"] == "FORBIDDEN", token
    assert ok(api, CONFIRM, COMMUNITY_ADMIN, id=made["id"])["confirmed"] is True
    twice = call(api, CONFIRM, COMMUNITY_ADMIN, id=made["id"])
    assert (twice["code"], twice["field"]) == ("CONFLICT", "logId")
    # registering beside one's own community, logging as a viewer: refused
    beside = call(api, REGISTER, BESIDE_ADMIN, input={
        "name": "李四", "homeUnitId": ZHUJIANJU, "communityCode": GUIYUANLIN})  # fmt: skip
    assert beside["code"] == "FORBIDDEN"
    viewer = call(api, LOG, bearer("VIEWER", COUNTY), input={**fields, "hours": 1})
    assert viewer["code"] == "FORBIDDEN"
    nowhere = call(api, REGISTER, COMMUNITY_ADMIN, input={
        "name": "李四", "homeUnitId": "unit_nowhere", "communityCode": GUIYUANLIN})  # fmt: skip
    assert nowhere["code"] == "FORBIDDEN"
    bad_scope = call(api, HOURS, scope="510522001006", month="2026-13")
    assert (bad_scope["code"], bad_scope["field"]) == ("INVALID_INPUT", "month")
    other_county = call(api, HOURS, scope="220821000000")
    assert other_county["code"] == "FORBIDDEN"
    wish = ok(
        api, ADD_WISH, COMMUNITY_ADMIN, input={"communityCode": GUIYUANLIN, "title": "修水管"}
    )
    unclaimed = call(api, FINISH_WISH, COMMUNITY_ADMIN, w=wish["id"])
    assert (unclaimed["code"], unclaimed["allowed"]) == ("ILLEGAL_TRANSITION", ["CLAIMED"])


async def test_masking_for_out_of_scope_callers(store: Store, api: Api) -> None:
    await graph(store)
    member = register(api, "张三", ZHUJIANJU, phone="13800001111")
    query = "query($id: ID!) { member(id: $id) { name phone } }"
    whole = {"name": "张三", "phone": "13800001111"}
    masked = {"name": mask_name("张三"), "phone": mask_phone("13800001111")}
    assert masked == {"name": "张*", "phone": "138****1111"}
    assert gql(api, query, COMMUNITY_ADMIN, id=member)["member"] == whole
    # the home unit the community reports to sees its own member
    assert gql(api, query, unit_operator(ZHUJIANJU), id=member)["member"] == whole
    assert gql(api, query, BESIDE_ADMIN, id=member)["member"] == masked
    listed = "query($c: String!) { members(communityCode: $c) { nodes { id name phone } } }"
    beside = gql(api, listed, BESIDE_ADMIN, c=GUIYUANLIN)["members"]["nodes"]
    assert beside == [{"id": member, **masked}]
    own = gql(api, listed, COMMUNITY_ADMIN, c=GUIYUANLIN)["members"]["nodes"]
    assert own == [{"id": member, **whole}]
    assert gql(api, query, bearer("VIEWER", COUNTY), id=member)["member"] == masked
    # another unit does not read the member at all
    assert gql(api, query, unit_operator(GONGAN), id=member)["member"] is None
    assert gql(api, query, bearer("COUNTY_ADMIN", "220821000000"), id=member)["member"] is None


def _workbook(api: Api, token: str | None) -> Any:
    found = ok(api, EXPORT, token, scope=GUIYUANLIN, month="2026-11")
    assert found["filename"] == f"双报到服务时长_{GUIYUANLIN}_2026-11.xlsx"
    assert found["mediaType"].endswith("spreadsheetml.sheet")
    data = base64.b64decode(found["contentBase64"])
    assert len(data) == found["size"]
    return load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("masked", [False, True])
async def test_export_opens_in_openpyxl(store: Store, api: Api, masked: bool) -> None:
    await graph(store)
    Fixture(api)
    book = _workbook(api, BESIDE_ADMIN if masked else COMMUNITY_ADMIN)
    assert book.sheetnames == ["汇总", "明细"]
    summary = [list(r) for r in book["汇总"].iter_rows(values_only=True)]
    assert summary[0] == [f"双报到党员服务时长（{GUIYUANLIN}，2026-11）", None, None, None, None]
    assert summary[3:] == [
        ["序号", "工作单位", "报到党员数", "服务次数", "服务时长(小时)"],
        [1, "合江县住房和城乡建设局", 2, 2, 4],
        [2, "合江县公安局", 1, 1, 0.75],
        ["合计", None, 3, 3, 4.75],
    ]
    detail = [list(r) for r in book["明细"].iter_rows(values_only=True)]
    zhang, li, wang = ("张*", "李*", "王*") if masked else ("张三", "李四", "王五")
    assert detail == [
        ["工作单位", "姓名", "联系电话", "居住社区", "服务次数", "服务时长(小时)"],
        [
            "合江县住房和城乡建设局",
            zhang,
            "138****1111" if masked else "13800001111",
            GUIYUANLIN,
            2,
            4,
        ],
        ["合江县住房和城乡建设局", li, None, GUIYUANLIN, 0, 0],
        ["合江县住房和城乡建设局", "小计", None, None, 2, 4],
        ["合江县公安局", wang, None, GUIYUANLIN, 1, 0.75],
        ["合江县公安局", "小计", None, None, 1, 0.75],
    ]


async def test_export_from_the_cli(store: Store, api: Api, tmp_path: Path) -> None:
    await graph(store)
    Fixture(api)
    db, name = store_url(store)
    out = tmp_path / "hours.xlsx"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "member-hours", COUNTY, "--month", "2026-11",
        "-o", str(out), cwd=ROOT, env={**os.environ, "GONGJIAN_DB": db, "GONGJIAN_GRAPH": name},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await process.communicate()
    assert process.returncode == 0, stderr.decode()
    assert "2 个工作单位、共 10.75 小时" in stdout.decode()
    book = load_workbook(out)
    rows = [list(r) for r in book["汇总"].iter_rows(min_row=5, values_only=True)]
    assert rows == [
        [1, "合江县公安局", 2, 2, 6.75], [2, "合江县住房和城乡建设局", 2, 2, 4], ["合计", None, 4, 4, 10.75],
    ]  # fmt: skip
    names = [r[1] for r in book["明细"].iter_rows(min_row=2, values_only=True)]
    assert names == ["赵六", "王五", "小计", "张三", "李四", "小计"]  # the admin: as stored
    bad = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app.cli", "member-hours", COUNTY, "--month", "2026-13",
        cwd=ROOT, env={**os.environ, "GONGJIAN_DB": db, "GONGJIAN_GRAPH": name},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await bad.communicate()
    assert bad.returncode == 2 and "INVALID_INPUT" in err.decode()
