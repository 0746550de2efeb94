"""Configuration, read once from the environment, typed; a bad value fails loudly."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from domain.errors import ConfigError
from graph.store import DEFAULT_GRAPH, DEFAULT_URL
from loaders.limits import MIB, FileLimits
from notices.webhooks import Webhook, parse_webhooks
from resolvers.limits import MutationLimits

#: the demo counties' rosters, shipped inside the package (``gongjian serve --demo``)
DEMO_DIR = Path(__file__).resolve().parent / "demo_rosters"


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as e:
        raise ConfigError(f"{name} 应为整数，收到 {raw!r} ({name} must be an integer)") from e
    if value < minimum:
        raise ConfigError(f"{name} 不能小于 {minimum}，收到 {value}")
    return value


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    raw = (os.environ.get(name) or allowed[0]).strip().lower()
    if raw not in allowed:
        raise ConfigError(f"{name} 应为 {' 或 '.join(allowed)}，收到 {raw[:40]!r}")
    return raw


def _proxies(raw: str) -> tuple[str, ...]:
    """Addresses or networks (CIDR) of the reverse proxies whose X-Forwarded-For counts."""
    found: list[str] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            found.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError as e:
            raise ConfigError(
                f"GONGJIAN_TRUSTED_PROXIES 中的 {part[:60]!r} 不是 IP 地址或网段 "
                "(expected addresses or CIDR networks, comma-separated)"
            ) from e
    return tuple(found)


@dataclass(frozen=True)
class Settings:
    """Everything gongjian reads from its environment (GONGJIAN_*)."""

    db: str = DEFAULT_URL
    graph: str = DEFAULT_GRAPH
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_ms: int = 30_000
    request_timeout_ms: int = 60_000
    max_page_size: int = 100
    max_query_depth: int = 12
    max_aliases: int = 30
    max_query_tokens: int = 5_000
    max_body_bytes: int = 10 * 1024 * 1024
    #: the static cost budget of one document (``app.cost``)
    max_query_cost: int = 250_000
    max_response_bytes: int = 10 * 1024 * 1024
    #: documents above this cost run at most ``max_heavy_requests`` at a time per process
    heavy_query_cost: int = 50_000
    max_heavy_requests: int = 1
    rate_limit_per_minute: int = 600
    jwt_secret: str | None = None
    public_read: bool = False
    log_level: str = "INFO"
    #: items per mutation (acceptPlan, formProject, recordMeeting, offerResource)
    limits: MutationLimits = field(default_factory=MutationLimits)
    #: roster files (CLI and GraphQL): sizes, extents, and the parsing child's limits
    file_limits: FileLimits = field(default_factory=FileLimits)
    log_format: str = "text"
    metrics_token: str | None = None
    redis_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    #: notices: how often each process reads the outbox for its subscribers and webhooks
    notice_poll_ms: int = 200
    #: the background worker (webhooks, overdue sweep); off: this process delivers none
    notice_worker: bool = True
    #: webhooks every notice is POSTed to (GONGJIAN_WEBHOOKS: inline JSON or a file)
    webhooks: tuple[Webhook, ...] = ()
    webhook_timeout_ms: int = 10_000
    webhook_retry_base_ms: int = 1_000
    webhook_retry_max_ms: int = 300_000
    webhook_lease_ms: int = 60_000
    #: how often the overdue sweep runs (when the build has one)
    sweep_interval_ms: int = 60_000

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            db=env.get("GONGJIAN_DB") or DEFAULT_URL,
            graph=env.get("GONGJIAN_GRAPH") or DEFAULT_GRAPH,
            host=env.get("GONGJIAN_HOST") or "127.0.0.1",
            port=_int("GONGJIAN_PORT", 8000, minimum=0),
            query_timeout_ms=_int("GONGJIAN_QUERY_TIMEOUT_MS", 30_000, minimum=1),
            request_timeout_ms=_int("GONGJIAN_REQUEST_TIMEOUT_MS", 60_000, minimum=1),
            max_page_size=_int("GONGJIAN_MAX_PAGE_SIZE", 100, minimum=1),
            max_query_depth=_int("GONGJIAN_MAX_QUERY_DEPTH", 12, minimum=2),
            max_aliases=_int("GONGJIAN_MAX_ALIASES", 30, minimum=1),
            max_query_tokens=_int("GONGJIAN_MAX_QUERY_TOKENS", 5_000, minimum=50),
            max_body_bytes=_int("GONGJIAN_MAX_BODY_BYTES", 10 * 1024 * 1024, minimum=1024),
            max_query_cost=_int("GONGJIAN_MAX_QUERY_COST", 250_000, minimum=100),
            max_response_bytes=_int("GONGJIAN_MAX_RESPONSE_BYTES", 10 * 1024 * 1024, minimum=1024),
            heavy_query_cost=_int("GONGJIAN_HEAVY_QUERY_COST", 50_000, minimum=1),
            max_heavy_requests=_int("GONGJIAN_MAX_HEAVY_REQUESTS", 1, minimum=1),
            rate_limit_per_minute=_int("GONGJIAN_RATE_LIMIT_PER_MINUTE", 600, minimum=1),
            jwt_secret=env.get("GONGJIAN_JWT_SECRET") or None,
            public_read=(env.get("GONGJIAN_PUBLIC_READ", "").lower() in {"1", "true", "yes"}),
            log_level=(env.get("GONGJIAN_LOG_LEVEL") or "INFO").upper(),
            limits=MutationLimits(
                plan_items=_int("GONGJIAN_MAX_PLAN_ITEMS", 200, minimum=1),
                project_uses=_int("GONGJIAN_MAX_PROJECT_USES", 50, minimum=1),
                project_demands=_int("GONGJIAN_MAX_PROJECT_DEMANDS", 100, minimum=1),
                meeting_items=_int("GONGJIAN_MAX_MEETING_ITEMS", 200, minimum=1),
                scope_codes=_int("GONGJIAN_MAX_SCOPE_CODES", 100, minimum=1),
            ),
            file_limits=file_limits_from_env(),
            log_format=_choice("GONGJIAN_LOG_FORMAT", ("text", "json")),
            metrics_token=env.get("GONGJIAN_METRICS_TOKEN") or None,
            redis_url=env.get("GONGJIAN_REDIS_URL") or None,
            trusted_proxies=_proxies(env.get("GONGJIAN_TRUSTED_PROXIES") or ""),
            notice_poll_ms=_int("GONGJIAN_NOTICE_POLL_MS", 200, minimum=10),
            notice_worker=(
                env.get("GONGJIAN_NOTICE_WORKER", "1").lower() not in {"0", "false", "no", "off"}
            ),
            webhooks=parse_webhooks(env.get("GONGJIAN_WEBHOOKS")),
            webhook_timeout_ms=_int("GONGJIAN_WEBHOOK_TIMEOUT_MS", 10_000, minimum=100),
            webhook_retry_base_ms=_int("GONGJIAN_WEBHOOK_RETRY_BASE_MS", 1_000, minimum=10),
            webhook_retry_max_ms=_int("GONGJIAN_WEBHOOK_RETRY_MAX_MS", 300_000, minimum=10),
            webhook_lease_ms=_int("GONGJIAN_WEBHOOK_LEASE_MS", 60_000, minimum=1_000),
            sweep_interval_ms=_int("GONGJIAN_SWEEP_INTERVAL_MS", 60_000, minimum=100),
        )


def file_limits_from_env() -> FileLimits:
    """GONGJIAN_FILE_* and GONGJIAN_PARSE_*; unset ones keep ``FileLimits``' defaults."""
    d = FileLimits()
    return FileLimits(
        max_file_bytes=_int("GONGJIAN_FILE_MAX_BYTES", d.max_file_bytes, minimum=1024),
        max_uncompressed_bytes=_int(
            "GONGJIAN_FILE_MAX_UNCOMPRESSED_BYTES", d.max_uncompressed_bytes, minimum=MIB
        ),
        max_entry_bytes=_int("GONGJIAN_FILE_MAX_ENTRY_BYTES", d.max_entry_bytes, minimum=MIB),
        max_compression_ratio=_int("GONGJIAN_FILE_MAX_RATIO", d.max_compression_ratio, minimum=2),
        max_entries=_int("GONGJIAN_FILE_MAX_ENTRIES", d.max_entries, minimum=10),
        max_rows=_int("GONGJIAN_FILE_MAX_ROWS", d.max_rows, minimum=10),
        max_columns=_int("GONGJIAN_FILE_MAX_COLUMNS", d.max_columns, minimum=10),
        max_cells=_int("GONGJIAN_FILE_MAX_CELLS", d.max_cells, minimum=100),
        max_cell_chars=_int("GONGJIAN_FILE_MAX_CELL_CHARS", d.max_cell_chars, minimum=100),
        max_line_bytes=_int("GONGJIAN_FILE_MAX_LINE_BYTES", d.max_line_bytes, minimum=1024),
        parse_memory_mb=_int("GONGJIAN_PARSE_MEMORY_MB", d.parse_memory_mb, minimum=128),
        parse_cpu_seconds=_int("GONGJIAN_PARSE_CPU_SECONDS", d.parse_cpu_seconds, minimum=1),
        parse_timeout_seconds=_int(
            "GONGJIAN_PARSE_TIMEOUT_SECONDS", d.parse_timeout_seconds, minimum=1
        ),
    )
