"""/healthz, /readyz and /metrics on a real server: what anonymous callers learn,
who may scrape, and readiness following the database."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx

from app.http import create_app
from app.metrics import metrics_allowed
from graph.backends.embedded import EmbeddedServer
from tests.conftest import Api, bearer, falkordb_settings
from tests.http_server import serve


def test_health_and_readiness_tell_anonymous_callers_nothing_inside(api: Api) -> None:
    health = httpx.get(f"{api}/healthz")
    ready = httpx.get(f"{api}/readyz")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}
    for body in (health.text, ready.text):
        assert "pid" not in body and "/" not in body and "graph" not in body
    assert health.headers["x-request-id"]  # every answer carries its request id
    echoed = httpx.get(f"{api}/healthz", headers={"x-request-id": "lb-probe-1"})
    assert echoed.headers["x-request-id"] == "lb-probe-1"
    forged = httpx.get(f"{api}/healthz", headers={"x-request-id": "bad id\twith tab"})
    assert forged.headers["x-request-id"] != "bad id\twith tab"


def test_readiness_follows_the_database(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "db")
    server.start()
    try:
        settings = falkordb_settings(str(server.socket_path), "readyz")
        with serve(create_app(settings)) as url:
            assert httpx.get(f"{url}/readyz").status_code == 200
            server.stop()  # the database goes away under the running API
            down = httpx.get(f"{url}/readyz", timeout=30)
            assert down.status_code == 503
            assert down.json() == {"status": "unavailable", "code": "STORE_UNAVAILABLE"}
            assert httpx.get(f"{url}/healthz").status_code == 200  # alive all the same
            server.start()
            assert httpx.get(f"{url}/readyz", timeout=30).status_code == 200
    finally:
        server.stop()


def test_metrics_with_a_scrape_token(falkordb_server: EmbeddedServer) -> None:
    token = "scrape-" + "k" * 24
    settings = dataclasses.replace(
        falkordb_settings(str(falkordb_server.socket_path), "metrics"), metrics_token=token
    )
    with serve(create_app(settings)) as url:
        assert httpx.get(f"{url}/metrics").status_code == 403  # loopback is not enough now
        wrong = {"authorization": "Bearer scrape-wrong"}
        assert httpx.get(f"{url}/metrics", headers=wrong).status_code == 403
        api_token = {"authorization": f"Bearer {bearer()}"}  # an API caller is no scraper
        assert httpx.get(f"{url}/metrics", headers=api_token).status_code == 403
        scraped = httpx.get(f"{url}/metrics", headers={"authorization": f"Bearer {token}"})
        assert scraped.status_code == 200 and "gongjian_requests_total" in scraped.text


def test_metrics_without_a_token_are_for_this_host_only() -> None:
    def scope(client: str, **headers: str) -> dict[str, object]:
        raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
        return {"client": (client, 5000), "headers": raw}

    assert metrics_allowed(scope("127.0.0.1"), None)
    assert metrics_allowed(scope("::1"), None)
    assert not metrics_allowed(scope("10.0.0.8"), None)
    # a proxy on this host forwards outside callers: they are not "this host"
    assert not metrics_allowed(scope("127.0.0.1", x_forwarded_for="203.0.113.9"), None)
    assert not metrics_allowed(scope("127.0.0.1", forwarded="for=203.0.113.9"), None)
    assert not metrics_allowed({"headers": []}, None)
    token = "t" * 32
    assert metrics_allowed(scope("10.0.0.8", authorization=f"Bearer {token}"), token)
    assert not metrics_allowed(scope("127.0.0.1"), token)
    assert not metrics_allowed(scope("10.0.0.8", authorization=f"Basic {token}"), token)


def test_probes_do_not_spend_the_anonymous_rate_limit(tmp_path: Path) -> None:
    """A load balancer probing every second from one address must neither be refused nor
    use up the budget that address shares with real (anonymous) callers. (A database of
    its own: the shared limit counts in the database, and other tests count there too.)"""
    server = EmbeddedServer(tmp_path / "db")
    server.start()
    try:
        settings = dataclasses.replace(
            falkordb_settings(str(server.socket_path), "probes"), rate_limit_per_minute=3
        )
        with serve(create_app(settings)) as url:
            for _ in range(10):
                assert httpx.get(f"{url}/healthz").status_code == 200
                assert httpx.get(f"{url}/readyz").status_code == 200
            statuses = [
                httpx.post(f"{url}/graphql", json={"query": "{ __typename }"}).status_code
                for _ in range(4)
            ]
            # the three anonymous calls the minute allows are still there; the fourth is refused
            assert statuses[:3] == [401, 401, 401] and statuses[3] == 429
    finally:
        server.stop()
