"""The month's assessment of a county or street (docs/exports.md): 三率 with their
formulas, 单位排名, 逾期清单. No personal data: unit and place names, demand titles
with phones and ID-card numbers masked, due times; never a resident's name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from access.masking import mask_personal_in_text
from access.principal import place_level
from domain import rates as d
from domain.clock import CHINA
from domain.errors import InvalidInput, NotFound
from graph import rates as g
from graph.queries import nodes
from graph.queries.scope import scope_prefix
from graph.store import Store
from loaders.exports.xlsx import CONTENT_TYPE, Sheet, workbook

FIGURE_HEADER = ("指标", "分子", "分母", "数值", "公式")
RANKING_HEADER = (
    "名次", "单位", "得分", "派单数", "响应率", "按期办结率", "满意率", "解决率", "逾期数",
)  # fmt: skip
OVERDUE_HEADER = ("需求", "社区", "承办单位", "逾期环节", "时限", "逾期天数")
MISSED = {"ACCEPT": "接单超时", "FINISH": "办结超时"}
LEVELS = {"City": "市", "County": "县", "Street": "街道"}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def _time(ms: int) -> str:
    return f"{datetime.fromtimestamp(ms / 1000, tz=CHINA):%Y-%m-%d %H:%M}"


async def place_name(store: Store, code: str) -> str:
    level = place_level(code)
    if level == "City":
        return code
    rows = await store.run(nodes.GET[level], ids=[code])
    if not rows:
        raise NotFound(f"没有区划代码为 {code} 的地方 (no such place)", field="scope")
    return str(rows[0]["node"].get("name") or code)


def _figures(found: g.Assessment) -> list[list[object]]:
    return [
        [f.figure.label, f.numerator, f.denominator, f.value, f.figure.formula]
        for f in found.figures
    ]


def _ranking(found: g.Assessment) -> list[list[object]]:
    rows: list[list[object]] = []
    for r in found.ranking:
        f = {x.figure.key: x for x in r.figures}
        rows.append([
            r.rank, r.unit_name, r.score, f["response"].denominator, f["response"].value,
            f["onTime"].value, f["satisfied"].value, f["resolved"].value, f["overdue"].numerator,
        ])  # fmt: skip
    return rows


async def assessment(
    store: Store,
    code: str,
    month: str,
    now: int,
    *,
    roots: list[str] | None = None,
    units: list[str] | None = None,
) -> ExportFile:
    """The workbook of a city, county or street (12-digit ``code``) for ``month``;
    ``roots``/``units``: the caller's read scope (None: everything, the CLI)."""
    level = place_level(code)
    if level not in LEVELS:
        raise InvalidInput(
            f"考核表按县(市、区)或街道导出, {code} 是社区 (a county or street code)", field="scope"
        )
    name = await place_name(store, code)
    period = d.month_period(month)
    scope = g.Scope(prefix=scope_prefix(code), roots=roots, units=list(units or ()))
    found = await g.assess(store, scope, period, now)
    late = await g.overdue(store, scope, period, now)
    heading = f"{name} {month} 接诉即办考核"
    stamp = (
        f"区划代码 {code}; 统计期 {_time(period.start)} 至 {_time(period.end)} (按派单时间, "
        f"北京时间); 逾期按 {_time(now)} 计"
    )
    sheets = [
        Sheet("三率", FIGURE_HEADER, _figures(found), (f"{heading}: 三率及其他指标", stamp),
              (14, 8, 8, 10, 90), {3: "0.00%"}),
        Sheet("单位排名", RANKING_HEADER, _ranking(found),
              (f"{heading}: 单位排名", d.RANKING_FORMULA), (6, 30, 8, 8, 10, 10, 10, 10, 8),
              {2: "0.00", 4: "0.00%", 5: "0.00%", 6: "0.00%", 7: "0.00%"}),
        Sheet("逾期清单", OVERDUE_HEADER, [
            [mask_personal_in_text(i.title), i.community, i.unit, MISSED.get(i.missed, i.missed),
             _time(i.due), i.days_late]
            for i in late
        ] or [["（本期派单中没有逾期的）"]], (f"{heading}: 逾期清单", stamp), (36, 16, 30, 10, 18, 8)),
    ]  # fmt: skip
    return ExportFile(f"assessment-{code}-{month}.xlsx", CONTENT_TYPE, workbook(sheets))
