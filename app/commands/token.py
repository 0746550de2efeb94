"""``gongjian token create|revoke|list``: bearer tokens for the API.

    gongjian token create --role community-admin --scope 510522001006 --subject 李四
    gongjian token create --role unit-operator --scope unit_… --expires 2026-12-31 --jwt
    gongjian token revoke tok_…
    gongjian token list
    gongjian token demo      # a fresh demo token; the earlier ones are revoked

The token is printed once, on stdout; API tokens are stored only as a hash.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from datetime import date, datetime, timedelta

from access import token_store
from access.principal import AccessRole, is_place_code
from access.tokens import JwtKeys, issue_jwt
from app.settings import Settings
from domain.clock import CHINA, now_ms
from domain.errors import InvalidInput, NotFound
from domain.ids import pad_division_code
from domain.vocab import parse
from graph.queries import access as q
from graph.store import Store, open_store

_DURATION = re.compile(r"^(\d{1,5})([hdw])$")
_UNIT_MS = {"h": 3_600_000, "d": 86_400_000, "w": 7 * 86_400_000}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("token", help="API tokens and JWTs: create, revoke, list")
    parser.add_argument("--db", help="database URL (default: GONGJIAN_DB or embedded:./data)")
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="issue a token (printed once)")
    roles = ", ".join(role.value.lower().replace("_", "-") for role in AccessRole)
    create.add_argument("--role", required=True, help=f"one of: {roles}")
    create.add_argument(
        "--scope",
        required=True,
        help="a 6-, 9- or 12-digit division code; a unit id (unit_…) for a unit operator",
    )
    create.add_argument("--county", help="a unit operator's county code (default: from the graph)")
    create.add_argument("--subject", help="who holds the token (shown in the audit trail)")
    create.add_argument(
        "--expires",
        default="30d",
        help="a duration (12h, 30d, 8w), a date (2026-12-31: valid through that day, "
        "China time) or 'never' (API tokens only); default 30d",
    )
    create.add_argument("--jwt", action="store_true", help="issue a signed JWT, not an API token")
    create.add_argument(
        "--alg",
        choices=["HS256", "RS256"],
        help="JWT algorithm (default: RS256 when GONGJIAN_JWT_PRIVATE_KEY is set, else HS256)",
    )
    revoke = actions.add_parser("revoke", help="end a token now")
    revoke.add_argument("id", help="the token id (tok_… or a JWT's jti)")
    revoke.add_argument(
        "--external", action="store_true", help="revoke the jti of a JWT issued elsewhere"
    )
    actions.add_parser(
        "demo", help="a fresh demo token (合江县 county admin, 7 days); earlier ones are revoked"
    )
    listing = actions.add_parser("list", help="every token, without secrets")
    listing.add_argument("--json", action="store_true", help="JSON lines")
    parser.set_defaults(func=run)


def parse_expiry(text: str, now: int) -> int | None:
    """Epoch ms a token expires at; None for 'never'.

    >>> parse_expiry("2d", 0), parse_expiry("never", 0)
    (172800000, None)
    """
    value = text.strip().lower()
    if value == "never":
        return None
    if m := _DURATION.match(value):
        return now + int(m[1]) * _UNIT_MS[m[2]]
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"无法识别的过期时间 {text[:40]!r}：应为 30d、12h、8w、2026-12-31 或 never "
            "(--expires takes a duration, a date or never)",
            field="expires",
        ) from None
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=CHINA)
    expires = int(end.timestamp() * 1000)
    if expires <= now:
        raise InvalidInput(f"过期日期 {day} 已过 (the expiry date has passed)", field="expires")
    return expires


def _role(text: str) -> AccessRole:
    role = parse(AccessRole, text.replace("-", "_"))
    if role is None:
        wanted = ", ".join(r.value for r in AccessRole)
        raise InvalidInput(f"未知角色 {text[:40]!r}：应为 {wanted}", field="role")
    return role


def _scope(role: AccessRole, text: str) -> str:
    value = text.strip()
    if role is AccessRole.UNIT_OPERATOR or value.startswith("unit_"):
        return value
    try:
        return pad_division_code(value)
    except ValueError as e:
        raise InvalidInput(str(e), field="scope") from e


async def _unit_county(store: Store, unit_id: str, given: str | None) -> str:
    if given is not None:
        return pad_division_code(given) if given.strip().isdigit() else given
    rows = await store.run(q.UNIT_COUNTY, id=unit_id)
    county = rows[0]["county"] if rows else None
    if not isinstance(county, str) or not is_place_code(county):
        raise NotFound(
            f"图中没有单位 {unit_id[:64]!r} 或其所属县；请用 --county 给出县的区划代码 "
            "(unknown unit or county: pass --county)",
            kind="Unit",
            id=unit_id[:64],
        )
    return county


def _when(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, tz=CHINA).strftime("%Y-%m-%d %H:%M")


def _store(args: argparse.Namespace, settings: Settings) -> Store:
    return open_store(args.db or settings.db, graph=settings.graph)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    async with _store(args, settings) as store:
        if args.action == "create":
            return await _create(args, settings, store)
        if args.action == "demo":
            from app.demo import issue_demo_token  # noqa: PLC0415

            await issue_demo_token(store, replace=True)
            return 0
        if args.action == "revoke":
            record = await token_store.revoke_token(store, args.id, external=args.external)
            print(
                f"已吊销 {record.id} ({_when(record.revokedAt)}); 运行中的服务在几秒内生效 "
                "(revoked; running servers honour it within seconds)",
                file=sys.stderr,
            )
            return 0
        records = await token_store.list_tokens(store)
        now = now_ms()
        if args.json:
            for record in records:
                row = {k: v for k, v in vars(record).items() if k != "hash"}
                print(json.dumps(row | {"status": record.status(now)}, ensure_ascii=False))
            return 0
        print("id\tkind\tstatus\trole\tscope\tsubject\tcreated\texpires")
        for record in records:
            print(
                "\t".join(
                    [
                        record.id,
                        record.kind,
                        record.status(now),
                        record.role or "-",
                        record.scope or "-",
                        record.subject or "-",
                        _when(record.createdAt),
                        _when(record.expiresAt),
                    ]
                )
            )
        return 0


async def _create(args: argparse.Namespace, settings: Settings, store: Store) -> int:
    role = _role(args.role)
    scope = _scope(role, args.scope)
    county = (
        await _unit_county(store, scope, args.county) if role is AccessRole.UNIT_OPERATOR else None
    )
    subject = (args.subject or f"{role.value.lower()}@{scope}").strip()
    now = now_ms()
    expires = parse_expiry(args.expires, now)
    if args.jwt:
        if expires is None:
            raise InvalidInput("JWT 必须有过期时间 (a JWT needs an expiry)", field="expires")
        issued = issue_jwt(
            JwtKeys.from_settings(settings),
            role=role,
            scope=scope,
            subject=subject,
            expires_at=expires,
            county=county,
            algorithm=args.alg,
            now=now,
        )
        record = await token_store.record_jwt(store, issued.principal)
        token, kind = issued.token, f"JWT {issued.algorithm}"
    else:
        api = await token_store.create_api_token(
            store, role=role, scope=scope, subject=subject, expires_at=expires, county=county
        )
        record, token, kind = api.record, api.token, "API token"
    print(token)
    print(
        f"已创建 {kind} {record.id}: {role.value}@{scope} subject={subject} "
        f"expires={_when(record.expiresAt)}; 令牌只显示这一次 (shown once; keep it secret)",
        file=sys.stderr,
    )
    return 0
