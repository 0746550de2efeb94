"""The assessment workbook (docs/exports.md), opened in openpyxl: layout and numbers."""

from __future__ import annotations

import argparse
import base64
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.commands import export as command
from graph.store import Store
from tests.conftest import Api, bearer, store_url
from tests.rates import fixture as fx
from tests.rates.test_api import codes, post

EXPORT = """
query($scope: String!, $month: String!) { assessmentExport(scope: $scope, month: $month) {
  filename mediaType size contentBase64 } }
"""


def check_layout(data: bytes) -> None:
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["三率", "单位排名", "逾期清单"]
    rates = book["三率"]
    assert rates["A1"].value == "合江县 2026-11 接诉即办考核: 三率及其他指标"
    assert [c.value for c in rates[3]] == ["指标", "分子", "分母", "数值", "公式"]
    assert rates.freeze_panes == "A4"
    rows = {r[0]: r[1:4] for r in rates.iter_rows(min_row=4, values_only=True)}
    assert rows["响应率"] == (4, 6, 4 / 6)
    assert rows["满意率"] == (2, 3, 2 / 3)
    assert rows["逾期数"] == (2, None, None)
    assert rows["报而不到"] == (1, None, None)
    assert rates["D4"].number_format == "0.00%"
    ranking = book["单位排名"]
    assert ranking["A2"].value.startswith("得分 = 100 × (0.2 × 响应率")
    assert [c.value for c in ranking[3]][:4] == ["名次", "单位", "得分", "派单数"]
    assert [r[:4] for r in ranking.iter_rows(min_row=4, values_only=True)] == [
        (1, "合江县城市管理局", 100.0, 2),
        (2, "合江县住房和城乡建设局", 40.0, 4),
        (None, "合江县水务局", None, 0),
    ]
    late = book["逾期清单"]
    assert [c.value for c in late[3]] == [
        "需求",
        "社区",
        "承办单位",
        "逾期环节",
        "时限",
        "逾期天数",
    ]
    found = [r[:5] for r in late.iter_rows(min_row=4, values_only=True)]
    assert found == [
        ("围墙倒塌", "桂圆林社区", "合江县住房和城乡建设局", "接单超时", "2026-11-07 00:00"),
        ("下水道堵塞", "桂圆林社区", "合江县住房和城乡建设局", "办结超时", "2026-11-19 01:00"),
    ]


async def test_the_export_over_graphql(store: Store, api: Api) -> None:
    await fx.build(store)
    body = post(api, EXPORT, api.token, scope="510522000000", month="2026-11")
    assert "errors" not in body, body
    found = body["data"]["assessmentExport"]
    assert found["filename"] == "assessment-510522000000-2026-11.xlsx"
    assert found["mediaType"].endswith("spreadsheetml.sheet")
    check_layout(base64.b64decode(found["contentBase64"]))
    zhenlai = bearer("COUNTY_ADMIN", "220821000000")
    assert codes(post(api, EXPORT, zhenlai, scope="510522", month="2026-11")) == ["NOT_FOUND"]
    community = post(api, EXPORT, api.token, scope=fx.GUIYUANLIN, month="2026-11")
    assert codes(community) == ["INVALID_INPUT"]


async def test_the_export_from_the_cli(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await fx.build(store)
    db, graph = store_url(store)
    monkeypatch.setenv("GONGJIAN_GRAPH", graph)
    out = tmp_path / "考核.xlsx"
    args = argparse.Namespace(scope="510522", month="2026-11", out=out, db=db)
    assert await command._run(args) == 0
    check_layout(out.read_bytes())
    bad = argparse.Namespace(scope="510522", month="11/2026", out=out, db=db)
    assert await command._run(bad) == 2


async def test_a_month_without_dispatches_says_so(store: Store, api: Api) -> None:
    await fx.build(store)
    body = post(api, EXPORT, api.token, scope="510522000000", month="2025-01")
    assert "errors" not in body, body
    book = load_workbook(
        io.BytesIO(base64.b64decode(body["data"]["assessmentExport"]["contentBase64"]))
    )
    figures = {r[0]: r[1:4] for r in book["三率"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert figures["响应率"] == (0, 0, None)  # no dispatch: no value, never a division error
    assert book["逾期清单"]["A4"].value == "（本期派单中没有逾期的）"
