"""The workbench in a real browser (Debian's Chromium driven by playwright-core): every
page, the planner's path from search to accepted projects and their .xlsx, the first
view of 总览 against its budget. Screenshots land in workbench/test-results/screenshots
(or GONGJIAN_SCREENSHOTS): look at them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.settings import DEMO_DIR
from tests.conftest import Api, bearer
from tests.workbench.conftest import WORKBENCH, node_tools

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("GONGJIAN_SCREENSHOTS", WORKBENCH / "test-results" / "screenshots"))


def test_the_workbench_in_chromium(workbench_api: Api) -> None:
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
        "WB_VIEWER_TOKEN": bearer("VIEWER", "220821000000"),
        "WB_SHOTS": str(SHOTS),
        "WB_ROSTER": str(DEMO_DIR / "hejiang" / "divisions.csv"),
    }
    run = subprocess.run(
        ["node", "--test", "--test-reporter=spec", "--test-concurrency=1", "test/"],
        cwd=WORKBENCH, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    print(run.stdout[-6000:])
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    for name in ["page-overview", "page-graph", "page-demands", "page-demand", "page-projects",
                 "page-meeting", "page-gaps", "page-import", "page-login", "phone-overview"]:  # fmt: skip
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000, name
    # the agreed 项目清单 opens in openpyxl and holds the two accepted items
    sheet = load_workbook(SHOTS / "agreed.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("序号", "需求")
    assert len(rows) == 3 and all(str(r[7]).startswith("prj_") for r in rows[1:]), rows
