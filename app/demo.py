"""The demo data: Hejiang (合江县) and Zhenlai (镇赉县) rosters in ``demo/``,
loaded through the same loaders as any department's roster."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.settings import DEMO_DIR
from graph import membergen, timelines
from graph.queries import nodes
from graph.store import Store

if TYPE_CHECKING:
    from access.token_store import TokenRecord

log = logging.getLogger(__name__)

DEMO_COUNTIES = ("hejiang", "zhenlai")
#: the demo's timelines (graph.timelines) are the same at every load, relative to now
DEMO_SEED = 13


async def is_empty(store: Store) -> bool:
    count: int = (await store.run(nodes.COUNT_ALL))[0]["nodes"]
    return count == 0


async def load_demo(store: Store) -> None:
    """Load every demo county's rosters; fails loudly if a row is rejected."""
    from loaders import load_folder  # noqa: PLC0415 - the loaders sit above the app's core

    for county in DEMO_COUNTIES:
        report = await load_folder(store, DEMO_DIR / county)
        if report.rejected:
            raise RuntimeError(f"demo data for {county} has rejected rows: {report.summary()}")
        log.info("demo %s loaded: %s", county, report.summary())
    from loaders.refine import refine  # noqa: PLC0415

    # the demo's categories inferred at load time get the classifier's final decision now,
    # not in the background while the demo is read
    await refine(store)
    # 派单, 接单, 办结, 回访, 督办, 吹哨 … relative to now, so the rates mean something
    # relative to the start of today (UTC), so two loads of one day are the same graph
    from domain.clock import now_ms  # noqa: PLC0415

    day = 86_400_000
    today = now_ms() // day * day
    written = await timelines.generate(store, seed=DEMO_SEED, now=today)
    log.info("demo timelines: %s", written)
    # 双报到: members, 微心愿, claims and confirmed service hours, as of the same moment
    log.info("demo 双报到: %s", await membergen.generate(store, seed=DEMO_SEED, now=today))


async def load_demo_if_empty(store: Store) -> None:
    if await is_empty(store):
        await load_demo(store)
    else:
        log.info("the database is not empty: the demo is not loaded again")
    await issue_demo_token_once(store)


DEMO_TOKEN_DAYS = 7
DEMO_SUBJECT = "demo"
DEMO_SCOPE = "510522000000"


async def demo_tokens(store: Store) -> list[TokenRecord]:
    """The demo tokens this database ever issued (any status)."""
    from access.token_store import API_KIND, list_tokens  # noqa: PLC0415

    return [
        record
        for record in await list_tokens(store)
        if record.kind == API_KIND and record.subject == DEMO_SUBJECT
    ]


async def issue_demo_token_once(store: Store) -> str | None:
    """The demo token, issued the first time the demo runs on a database (a data
    folder) and never again: a restart prints no new secret. ``gongjian token demo``
    issues a fresh one on request. Returns the token when one was issued."""
    if await demo_tokens(store):
        log.info("a demo token was issued before; `gongjian token demo` issues a new one")
        return None
    return await issue_demo_token(store)


async def issue_demo_token(store: Store, *, replace: bool = False) -> str:
    """A county admin's API token for 合江县 (stored hashed; it expires in a week).

    ``replace`` (``gongjian token demo``) revokes earlier demo tokens and prints the new
    one. At the first ``serve --demo`` it is printed on a terminal; when the output is
    not a terminal (a supervisor's journal) it goes to ``DATA/demo-token`` (0600)
    instead, or, with a database elsewhere, nowhere (run ``gongjian token demo``)."""
    from access.principal import AccessRole  # noqa: PLC0415
    from access.token_store import create_api_token, revoke_token  # noqa: PLC0415
    from domain.clock import now_ms  # noqa: PLC0415

    if replace:
        for record in await demo_tokens(store):
            if record.revokedAt is None:
                await revoke_token(store, record.id)
        folder = data_folder(store)
        if folder is not None:
            (folder / DEMO_TOKEN_FILE).unlink(missing_ok=True)  # it held a revoked token
    issued = await create_api_token(
        store,
        role=AccessRole.COUNTY_ADMIN,
        scope=DEMO_SCOPE,
        subject=DEMO_SUBJECT,
        expires_at=now_ms() + DEMO_TOKEN_DAYS * 86_400_000,
    )
    if replace or sys.stdout.isatty():
        print(
            "gongjian: demo token (合江县 county admin, valid 7 days; send it as "
            f"'Authorization: Bearer <token>'; shown once, `gongjian token demo` issues a new "
            f"one):\n  {issued.token}",
            flush=True,
        )
        return issued.token
    # not a terminal (a supervisor's journal, a log file): the secret stays out of it
    folder = data_folder(store)
    if folder is None:
        print(
            "gongjian: a demo token was issued; `gongjian token demo` shows a fresh one",
            flush=True,
        )
    else:
        path = folder / DEMO_TOKEN_FILE
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(issued.token + "\n")
        print(
            f"gongjian: demo token written to {path} (owner only; shown nowhere else)", flush=True
        )
    return issued.token


DEMO_TOKEN_FILE = "demo-token"  # noqa: S105 - a file name


def data_folder(store: Store) -> Path | None:
    """The embedded database's folder, None for a database elsewhere."""
    server = getattr(store.backend, "server", None)
    folder = getattr(server, "data_dir", None)
    return folder if isinstance(folder, Path) else None
