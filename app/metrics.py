"""Prometheus text metrics: request latency, round trips per request, store calls."""

from __future__ import annotations

import bisect
import hmac
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.store import StoreStats

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
TRIP_BUCKETS = (1, 2, 3, 4, 5, 8, 13, 21, 34, 55)


@dataclass
class Histogram:
    buckets: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    n: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * len(self.buckets)

    def observe(self, value: float) -> None:
        index = bisect.bisect_left(self.buckets, value)
        if index < len(self.counts):
            self.counts[index] += 1
        self.total += value
        self.n += 1

    def render(self, name: str, labels: str = "") -> list[str]:
        sep = "," if labels else ""
        lines, running = [], 0
        for bound, count in zip(self.buckets, self.counts, strict=True):
            running += count
            lines.append(f'{name}_bucket{{{labels}{sep}le="{bound}"}} {running}')
        lines.append(f'{name}_bucket{{{labels}{sep}le="+Inf"}} {self.n}')
        lines.append(f"{name}_sum{{{labels}}} {self.total}")
        lines.append(f"{name}_count{{{labels}}} {self.n}")
        return lines


@dataclass
class Metrics:
    latency: dict[str, Histogram] = field(default_factory=dict)
    trips: Histogram = field(default_factory=lambda: Histogram(TRIP_BUCKETS))
    statuses: dict[int, int] = field(default_factory=dict)

    def observe_request(
        self, operation: str, seconds: float, round_trips: int, status: int
    ) -> None:
        self.latency.setdefault(operation, Histogram(LATENCY_BUCKETS)).observe(seconds)
        self.trips.observe(round_trips)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def render(self, store: StoreStats, *, restarts: int | None = None) -> str:
        lines = [
            "# HELP gongjian_request_seconds GraphQL request latency by operation type.",
            "# TYPE gongjian_request_seconds histogram",
        ]
        for operation, histogram in sorted(self.latency.items()):
            lines += histogram.render("gongjian_request_seconds", f'operation="{operation}"')
        lines += [
            "# HELP gongjian_request_round_trips Database round trips per GraphQL request.",
            "# TYPE gongjian_request_round_trips histogram",
            *self.trips.render("gongjian_request_round_trips"),
            "# HELP gongjian_requests_total GraphQL requests by HTTP status.",
            "# TYPE gongjian_requests_total counter",
            *(
                f'gongjian_requests_total{{status="{s}"}} {n}'
                for s, n in sorted(self.statuses.items())
            ),
            "# HELP gongjian_store_calls_total Statements sent to the database, by name.",
            "# TYPE gongjian_store_calls_total counter",
            *(
                f'gongjian_store_calls_total{{statement="{k}"}} {v}'
                for k, v in sorted(store.calls.items())
            ),
            "# HELP gongjian_store_errors_total Statements that failed, by name.",
            "# TYPE gongjian_store_errors_total counter",
            *(
                f'gongjian_store_errors_total{{statement="{k}"}} {v}'
                for k, v in sorted(store.errors.items())
            ),
            "# HELP gongjian_store_seconds_total Time spent in the database, by statement.",
            "# TYPE gongjian_store_seconds_total counter",
            *(
                f'gongjian_store_seconds_total{{statement="{k}"}} {v:.6f}'
                for k, v in sorted(store.seconds.items())
            ),
        ]
        if restarts is not None:
            lines += [
                "# HELP gongjian_embedded_restarts_total Times the embedded database was restarted.",
                "# TYPE gongjian_embedded_restarts_total counter",
                f"gongjian_embedded_restarts_total {restarts}",
            ]
        return "\n".join(lines) + "\n"


_FORWARDING = (b"x-forwarded-for", b"forwarded", b"x-real-ip")


def metrics_allowed(scope: Mapping[str, Any], token: str | None) -> bool:
    """Who may scrape: with a token configured, whoever sends it as a bearer token;
    without one, callers on this host only (a loopback peer that no proxy forwarded).
    """
    headers = {bytes(k).lower(): bytes(v) for k, v in scope.get("headers") or ()}
    if token:
        sent = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, value = sent.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            value.strip().encode(), token.encode()
        )
    if any(name in headers for name in _FORWARDING):
        return False
    client = scope.get("client")
    try:
        return client is not None and ipaddress.ip_address(client[0]).is_loopback
    except ValueError:
        return False
