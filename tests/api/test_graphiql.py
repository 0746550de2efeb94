"""GraphiQL renders in a real headless browser with the network closed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.conftest import Api

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "graphiql" / "render-check.sh"


@pytest.mark.browser
def test_graphiql_renders_offline_in_chromium(api: Api, tmp_path: Path) -> None:
    if shutil.which("chromium") is None:
        pytest.fail("chromium is not installed: run scripts/install --dev")
    page = httpx.get(f"{api}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "unpkg.com" not in page.text and "/static/graphiql/graphiql.min.js" in page.text
    shot = tmp_path / "graphiql.png"
    done = subprocess.run(
        ["bash", str(SCRIPT), f"{api}/graphql", str(shot)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert shot.stat().st_size > 10_000
