"""A roster uploaded over GraphQL (multipart), through the same loaders as the CLI."""

from __future__ import annotations

import json

import httpx

from app.settings import DEMO_DIR
from graph.queries import nodes
from graph.store import Store
from tests.conftest import Api

DEMO = DEMO_DIR / "hejiang"
LOAD = """
mutation($file: Upload!, $dryRun: Boolean!) {
  loadRoster(file: $file, dryRun: $dryRun) {
    __typename
    ... on LoadReport { ok written rows rejectedRows
      kinds { kind created updated unchanged rejected }
      errors { file row column value reason code } }
    ... on Error { code message }
  } }
"""


def upload(api: Api, name: str, content: bytes, *, dry_run: bool = False) -> dict:
    operations = {"query": LOAD, "variables": {"file": None, "dryRun": dry_run}}
    response = httpx.post(
        f"{api}/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (name, content, "text/csv")},
        headers=api.headers,
        timeout=60,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"]["loadRoster"])


async def test_upload_divisions_then_a_demand_list_with_a_bad_row(store: Store, api: Api) -> None:
    divisions = upload(api, "区划.csv", (DEMO / "divisions.csv").read_bytes())
    assert divisions["ok"] and divisions["written"]
    assert divisions["kinds"] == [
        {"kind": "divisions", "created": 13, "updated": 0, "unchanged": 0, "rejected": 0}
    ]
    lines = (DEMO / "demands.csv").read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    bad = first.replace("符阳街道", "符阳街道", 1).replace(first.split(",")[1], "桂园林社区", 1)
    csv = "\n".join([header, first, bad]).encode("utf-8")
    dry = upload(api, "需求清单.csv", csv, dry_run=True)
    assert dry["written"] is False
    assert (await store.run(nodes.COUNT["Demand"]))[0]["count"] == 0
    report = upload(api, "需求清单.csv", csv)
    assert report["rows"] == 2 and report["rejectedRows"] == 1
    [error] = report["errors"]
    assert error["row"] == 3 and error["column"] == "社区" and error["value"] == "桂园林社区"
    assert "桂圆林社区" in error["reason"]
    assert (await store.run(nodes.COUNT["Demand"]))[0]["count"] == 1
    again = upload(api, "需求清单.csv", csv)
    assert again["kinds"][0]["unchanged"] == 1 and again["kinds"][0]["created"] == 0


def test_a_file_that_is_not_a_spreadsheet_is_refused(api: Api) -> None:
    refused = upload(api, "notes.txt", b"hello")
    assert refused["code"] == "INVALID_INPUT" and ".xlsx" in refused["message"]


async def test_a_county_admin_loads_only_its_own_county(store: Store, api: Api) -> None:
    zhenlai = DEMO.parent / "zhenlai" / "divisions.csv"
    report = upload(api, "镇赉区划.csv", zhenlai.read_bytes())
    assert report["rows"] == report["rejectedRows"] > 0
    assert {e["code"] for e in report["errors"]} == {"OUT_OF_SCOPE"}
    assert "只能导入合江县的名册" in report["errors"][0]["reason"]
    assert (await store.run(nodes.COUNT["Community"]))[0]["count"] == 0


SHEETS = """
mutation($file: Upload!) {
  loadRoster(file: $file, dryRun: true) {
    ... on LoadReport { rows sheets { file sheet kind headerRow rows ignoredColumns
                                      readAs { written readAs } } }
    ... on Error { code message }
  } }
"""


def test_the_uploader_sees_how_each_column_was_read(api: Api) -> None:
    """A ticket list in another department's words: the report names the headers read as
    a column they resemble and those not read at all, so the uploader can check them."""
    csv = "\n".join([
        "工单编号,诉求人,诉求地址,诉求内容,诉求类型",
        "GD1,张先生,四川省泸州市合江县符阳街道桂圆林社区利城半岛3栋,楼道灯坏了,",
    ]).encode("utf-8")  # fmt: skip
    operations = {"query": SHEETS, "variables": {"file": None}}
    response = httpx.post(
        f"{api}/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("工单.csv", csv, "text/csv")},
        headers=api.headers,
        timeout=60,
    )
    report = response.json()["data"]["loadRoster"]
    assert report["rows"] == 1
    assert report["sheets"] == [{
        "file": "工单.csv", "sheet": None, "kind": "demands", "headerRow": 1, "rows": 1,
        "ignoredColumns": ["工单编号", "诉求人"],
        "readAs": [{"written": "诉求内容", "readAs": "需求标题"}, {"written": "诉求类型", "readAs": "需求类别"},
                   {"written": "诉求地址", "readAs": "社区"}],
    }]  # fmt: skip
