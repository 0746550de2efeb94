"""The workbench as gongjian serves it: its pages without a token (they hold no data),
under a CSP with no inline script, its assets from the package, the API still closed."""

from __future__ import annotations

import re
import shutil
import subprocess

import httpx
import pytest

from app.workbench import PAGES
from tests.conftest import Api
from tests.workbench.conftest import BUILT, WORKBENCH


def test_every_page_path_serves_the_app_under_a_csp(workbench_api: Api) -> None:
    paths = ["/", *(f"/{p}" for p in PAGES), "/demands/dem_0123", "/graph/a/b"]
    for path in paths:
        response = httpx.get(f"{workbench_api}{path}?scope=510522000000", timeout=30)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        csp = response.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "default-src 'none'" in csp
        assert "unsafe-eval" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert 'lang="zh-CN"' in response.text
    head = httpx.head(f"{workbench_api}/overview", timeout=30)
    assert head.status_code == 200


def test_the_page_loads_only_its_own_assets(workbench_api: Api) -> None:
    html = httpx.get(f"{workbench_api}/", timeout=30).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert "http://" not in html and "https://" not in html
    assets = re.findall(r'(?:src|href)="(/static/workbench/[^"]+)"', html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        response = httpx.get(f"{workbench_api}{asset}", timeout=30)
        assert response.status_code == 200, asset
        assert response.headers["content-type"].split(";")[0] in ("text/javascript", "text/css")


def test_the_data_still_needs_a_token(workbench_api: Api) -> None:
    # (/metrics has rules of its own: tests/app/test_health.py)
    for path in ["/graphql?query=%7Bcounties%7Bname%7D%7D", "/overviewx", "/nothing"]:
        response = httpx.get(f"{workbench_api}{path}", timeout=30)
        assert response.status_code == 401, path
    posted = httpx.post(f"{workbench_api}/overview", json={"query": "{counties{name}}"}, timeout=30)
    assert posted.status_code in (401, 405)


def test_no_cdn_in_the_built_assets() -> None:
    for path in BUILT.rglob("*"):
        if path.suffix in (".js", ".css", ".html"):
            text = path.read_text("utf-8")
            for host in (
                "unpkg.com",
                "jsdelivr",
                "cdnjs",
                "googleapis",
                "bootcdn",
                "staticfile.org",
            ):
                assert host not in text, (path.name, host)


@pytest.mark.node
def test_the_javascript_is_within_its_budget() -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    run = subprocess.run(
        ["node", "scripts/budget.mjs", "--budget-kb", "400", "--first-view-kb", "250"],
        cwd=WORKBENCH, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "JavaScript, gzip: total" in run.stdout
