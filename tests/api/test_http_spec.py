"""GraphQL over HTTP as the spec says, checked by third-party tools over real HTTP."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from graph import writes
from graph.store import Store
from tests.conftest import Api

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def node_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    folder = TOOLS / name
    if shutil.which("node") is None or not (folder / "node_modules").exists():
        pytest.fail(f"{name} is not installed: run scripts/install --dev")
    return subprocess.run(
        ["node", *args], cwd=folder, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.node
def test_graphql_http_audit_passes_all_61_with_no_warning(api: Api) -> None:
    done = node_tool(
        "graphql-audit", "audit.mjs", f"{api}/graphql", "-H", f"Authorization: Bearer {api.token}"
    )
    assert (
        done.stdout.strip().splitlines()[-1] == "graphql-http audit: 61 ok, 0 warnings, 0 errors"
    ), done.stdout
    assert done.returncode == 0


async def test_mutation_over_get_is_405(api: Api) -> None:
    async with httpx.AsyncClient(headers=api.headers) as client:
        response = await client.get(
            f"{api}/graphql",
            params={"query": 'mutation { closeDemand(id: "x", status: CLOSED) { __typename } }'},
        )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_parse_error_is_400_without_data_for_graphql_response_json(api: Api) -> None:
    async with httpx.AsyncClient(headers=api.headers) as client:
        strict = await client.post(
            f"{api}/graphql",
            json={"query": "{ counties {"},
            headers={"accept": "application/graphql-response+json"},
        )
        legacy = await client.post(
            f"{api}/graphql", json={"query": "{ counties {"}, headers={"accept": "application/json"}
        )
    assert strict.status_code == 400
    assert strict.headers["content-type"].startswith("application/graphql-response+json")
    assert "data" not in strict.json() and strict.json()["errors"]
    assert legacy.status_code == 200 and legacy.json()["data"] is None


@pytest.mark.node
async def test_a_real_client_runs_a_query_and_a_mutation(store: Store, api: Api) -> None:
    await writes.upsert(
        store, "Community", [("510522001006", {"name": "桂圆林社区", "code": "510522001006"})]
    )
    query = node_tool(
        "graphql-client-check", "client.mjs", f"{api}/graphql",
        '{ division(code: "510522001006") { ... on Community { name code } } }',
        "--expect", "division.name", "-H", f"Authorization: Bearer {api.token}",
    )  # fmt: skip
    assert query.returncode == 0, query.stdout + query.stderr
    assert json.loads(query.stdout)["data"]["division"]["name"] == "桂圆林社区"
    mutation = json.dumps(
        {
            "query": """mutation($input: ReportDemandInput!) {
            reportDemand(input: $input) { __typename ... on Demand { id title status } } }""",
            "variables": {
                "input": {
                    "community": "510522001006",
                    "title": "老年食堂",
                    "category": "ELDERLY_CHILDCARE",
                    "matterClass": "PRACTICAL",
                }
            },
            "expect": "reportDemand.id",
        }
    )
    done = node_tool(
        "graphql-client-check", "client.mjs", f"{api}/graphql", mutation,
        "-H", f"Authorization: Bearer {api.token}",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["data"]["reportDemand"]["status"] == "OPEN"


async def test_chinese_text_is_sent_as_utf8_not_escaped(store: Store, api: Api) -> None:
    await writes.upsert(
        store, "County", [("510522000000", {"name": "合江县", "code": "510522000000"})]
    )
    async with httpx.AsyncClient(headers=api.headers) as client:
        response = await client.post(f"{api}/graphql", json={"query": "{ counties { name } }"})
    assert "合江县".encode() in response.content and b"\\u" not in response.content
    assert response.json()["data"]["counties"] == [{"name": "合江县"}]
