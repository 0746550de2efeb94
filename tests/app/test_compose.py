"""docker-compose.yml: Neo4j 5 pinned, credentials from the environment, health checks,
and the API started once Neo4j is healthy (no Docker engine here: the file is checked)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_neo4j_and_the_api_with_health_checks() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    neo4j, api = compose["services"]["neo4j"], compose["services"]["api"]
    assert re.fullmatch(r"neo4j:5\.\d+\.\d+-community", neo4j["image"])
    assert "${NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    assert "healthcheck" in neo4j and "healthcheck" in api
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["GONGJIAN_DB"].startswith("neo4j://")
    assert api["build"] == "."
    # rate limits shared by every API process, through the redis service
    redis = compose["services"]["redis"]
    assert re.fullmatch(r"redis:\d+\.\d+-alpine", redis["image"]) and "healthcheck" in redis
    assert api["environment"]["GONGJIAN_REDIS_URL"] == "redis://redis:6379/0"
    assert api["depends_on"]["redis"]["condition"] == "service_healthy"
    assert all(s.get("restart") == "unless-stopped" for s in compose["services"].values())
    assert "/readyz" in " ".join(api["healthcheck"]["test"])
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for package in (
        "app",
        "domain",
        "graph",
        "loaders",
        "matching",
        "resolvers",
        "schema",
        "access",
        "divisions",
    ):
        assert f"COPY {package} ./{package}" in dockerfile, package
