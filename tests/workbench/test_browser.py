"""The workbench in a real browser (Debian's Chromium driven by playwright-core): every
page, the planner's path from search to accepted projects and their .xlsx, the first
view of 总览 against its budget. Screenshots land in workbench/test-results/screenshots
(or GONGJIAN_SCREENSHOTS): look at them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from access.principal import AccessRole
from access.token_store import create_api_token, revoke_token
from access.tokens import JwtKeys, issue_jwt
from app.settings import DEMO_DIR, Settings
from domain.clock import now_ms
from graph.store import Store
from tests.conftest import JWT_SECRET, Api, bearer
from tests.workbench.conftest import WORKBENCH, node_tools

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("GONGJIAN_SCREENSHOTS", WORKBENCH / "test-results" / "screenshots"))


def expired_token() -> str:
    """A county admin's JWT for 合江县 that expired an hour ago (signed as the servers check)."""
    keys = JwtKeys.from_settings(Settings(jwt_secret=JWT_SECRET), env={})
    hour = 3_600_000
    return issue_jwt(
        keys, role=AccessRole.COUNTY_ADMIN, scope="510522000000", subject="过期",
        expires_at=now_ms() - hour, now=now_ms() - 2 * hour,
    ).token  # fmt: skip


@pytest.fixture
async def revoked_token(workbench_store: Store) -> str:
    """A county admin's API token for 合江县 that an administrator has revoked."""
    issued = await create_api_token(
        workbench_store, role=AccessRole.COUNTY_ADMIN, scope="510522000000", subject="吊销",
        expires_at=now_ms() + 3_600_000,
    )  # fmt: skip
    await revoke_token(workbench_store, issued.record.id)
    return issued.token


def test_the_workbench_in_chromium(workbench_api: Api, revoked_token: str) -> None:
    node_tools()
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    shutil.rmtree(SHOTS, ignore_errors=True)
    env = {
        **os.environ,
        "WB_URL": str(workbench_api),
        "WB_TOKEN": workbench_api.token,
        "WB_COUNTY": "510522000000",
        "WB_SEARCH": "桂圆林",
        # a viewer of another county: personal data of 合江县 reaches it masked
        "WB_VIEWER_TOKEN": bearer("VIEWER", "510522000000"),
        "WB_EXPIRED_TOKEN": expired_token(),
        "WB_REVOKED_TOKEN": revoked_token,
        "WB_SHOTS": str(SHOTS),
        "WB_ROSTER": str(DEMO_DIR / "hejiang" / "divisions.csv"),
        # 桂圆林社区: its admin registers a member and confirms their hours
        "WB_COMMUNITY": "510522001006",
        "WB_COMMUNITY_TOKEN": bearer("COMMUNITY_ADMIN", "510522001006"),
    }
    run = subprocess.run(
        ["node", "--test", "--test-reporter=spec", "--test-concurrency=1", "test/"],
        cwd=WORKBENCH, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    print(run.stdout[-6000:])
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    pages = ["overview", "overview-rates", "graph", "demands", "demands-overdue", "demand", "demand-timeline",
             "projects", "meeting", "gaps", "import"]  # fmt: skip
    shots = [f"page-{p}" for p in pages] + [f"phone-{p}" for p in [*pages, "login"]]
    shots += ["page-login", "page-login-expired", "page-login-revoked", "graph-demand-units-path", "demand-project-formed",
              "overview-heatmap-table", "overview-rates", "overview-ranking", "demand-handling", "demand-dispatched",
              "demand-chased", "gaps-member-hours", "page-import-columns"]  # fmt: skip
    for name in shots:
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000, name
    # the agreed 项目清单 opens in openpyxl and holds the two accepted items
    sheet = load_workbook(SHOTS / "agreed.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("序号", "需求")
    assert len(rows) == 3 and all(str(r[7]).startswith("prj_") for r in rows[1:]), rows
    assessment_opens_as_documented(
        SHOTS / "assessment.xlsx", json.loads((SHOTS / "assessment.json").read_text())
    )


def assessment_opens_as_documented(path: Path, shown: dict[str, object]) -> None:
    """The 考核表 the workbench downloaded: the three sheets of docs/exports.md (two title rows,
    the header in row 3, frozen, the data from row 4), holding the figures the tiles showed."""
    book = load_workbook(path)
    assert book.sheetnames == ["三率", "单位排名", "逾期清单"]
    headers = {
        "三率": ("指标", "分子", "分母", "数值", "公式"),
        "单位排名": (
            "名次",
            "单位",
            "得分",
            "派单数",
            "响应率",
            "按期办结率",
            "满意率",
            "解决率",
            "逾期数",
        ),
        "逾期清单": ("需求", "社区", "承办单位", "逾期环节", "时限", "逾期天数"),
    }
    for name, header in headers.items():
        sheet = book[name]
        assert sheet.freeze_panes == "A4", name
        assert sheet.cell(3, 1).font.bold, name
        assert tuple(c.value for c in sheet[3])[: len(header)] == header, name
        assert str(sheet.cell(1, 1).value).endswith(name if name != "三率" else "三率及其他指标"), (
            name
        )
    month = str(shown["month"])
    assert month in str(book["三率"].cell(1, 1).value)
    rates = [r[:3] for r in book["三率"].iter_rows(min_row=4, values_only=True)]
    figures = [tuple(f) for f in shown["figures"]]  # type: ignore[attr-defined]
    assert [r[0] for r in rates] == [f[0] for f in figures]
    assert [r[1] for r in rates] == [f[1] for f in figures]
    ranking = [
        r for r in book["单位排名"].iter_rows(min_row=4, values_only=True) if r[0] is not None
    ]
    assert len(ranking) == shown["ranked"]
    assert ranking[0][1] == shown["first"] and ranking[0][0] == 1
    member_hours_open_as_documented(
        SHOTS / "member-hours.xlsx", json.loads((SHOTS / "member-hours.json").read_text())
    )


def member_hours_open_as_documented(path: Path, shown: dict[str, object]) -> None:
    """The 双报到 workbook the workbench downloaded (docs/exports-member-hours.md): 汇总 with its
    header in row 4 and the unit's confirmed hours, 明细 with the member under the unit."""
    book = load_workbook(path)
    summary, detail = book["汇总"], book["明细"]
    assert str(summary.cell(1, 1).value).startswith("双报到党员服务时长")
    assert tuple(c.value for c in summary[4])[:5] == (
        "序号",
        "工作单位",
        "报到党员数",
        "服务次数",
        "服务时长(小时)",
    )
    rows = {r[1]: r for r in summary.iter_rows(min_row=5, values_only=True)}
    assert rows[shown["unit"]][2:5] == (1, 1, shown["hours"]), rows
    assert tuple(c.value for c in detail[1])[:6] == (
        "工作单位",
        "姓名",
        "联系电话",
        "居住社区",
        "服务次数",
        "服务时长(小时)",
    )
    assert any(
        r[1] == "小计" and r[0] == shown["unit"]
        for r in detail.iter_rows(min_row=2, values_only=True)
    )
