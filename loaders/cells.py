"""Cell normalisers: a raw spreadsheet or CSV value in, a clean value out.

Each raises ``CellError`` with a Chinese reason the sender can act on. Values
arrive as calamine gives them (str, float, int, bool, date, datetime) or as CSV
text; numbers typed in Excel come as floats (``48.0``).
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from domain.vocab import Vocab

V = TypeVar("V", bound=Vocab)

_EXCEL_EPOCH = date(1899, 12, 30)
_SPACES = re.compile(r"\s+")
#: white space to collapse or trim: a run, or any at either end, or any but a plain space
_NEEDS_SPACING = re.compile(r"^\s|\s$|\s\s|[^\S ]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# full-width ASCII letters and digits and the ideographic space; punctuation keeps its width
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)} | {
    c: c - 0xFEE0 for c in (*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_WIDTH[0x3000] = 0x20
_FOLD: dict[int, int | None] = {**_WIDTH, **_INVISIBLE}
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}·])\s+(?=[{_CJK}·])")
_LIST_SEP = re.compile(r"[、，,；;\n\r/／|｜]+")
#: names of places end so: a cell of them may be separated by spaces only
_PLACE_END = ("社区", "居委会", "居民委员会", "街道", "镇", "乡", "苏木", "小区")
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*([^\d\s.]{0,6})$")
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: a month and day without a year: 10月15日, 10月15号, 10-15, 10/15; or a part of a month:
#: 12月底, 3月中旬
_MONTH_DAY = re.compile(
    r"^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/](\d{1,2})|月\s*(初|上旬|中旬|下旬|底|末|份))$"
)
#: a year and month without a day: 2021年9月, 2023.03, 2023-3, 2023/03
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?份?$")
#: the day a part of a month is read as: its end, as a deadline reads (份: the whole month)
_PART_DAY = {"初": 5, "上旬": 10, "中旬": 20}
_PHONE_SEP = re.compile(r"[、，,；;/／]+")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:(?:-|转|ext\.?)(\d{1,6}))?$")
_SERVICE = re.compile(r"^(?:400|800)-?\d{3}-?\d{4}$")
_PHONE_PREFIX = re.compile(r"^(?:\+86|0086|86)-?(?=1[3-9]\d{9}$)")


class CellError(ValueError):
    """A cell that cannot be used; ``code`` is stable, the message is for the sender."""

    def __init__(self, reason: str, code: str = "INVALID_VALUE") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


def fold(text: str) -> str:
    """Full-width digits, letters and spaces to half-width (NFKC for those only).

    >>> fold("ＡＢ１２　号")
    'AB12 号'
    """
    return text.translate(_FOLD)


def display(value: Any) -> str:
    """A raw value as the sender typed it, for reports (48.0 -> '48')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def text(value: Any) -> str | None:
    """Trimmed text with runs of white space as one space; None when empty."""
    if value is None:
        return None
    folded = fold(value if type(value) is str else display(value))
    cleaned = _SPACES.sub(" ", folded).strip() if _NEEDS_SPACING.search(folded) else folded
    return cleaned or None


def required(value: Any) -> str:
    found = text(value)
    if found is None:
        raise CellError("不能为空", "REQUIRED")
    return found


def name(value: Any) -> str | None:
    """A name: no spaces between Chinese characters (张 三 -> 张三, 合江县 住建局 -> 合江县住建局)."""
    found = text(value)
    if found is None:
        return None
    return _CJK_GAP.sub("", found)


def required_name(value: Any) -> str:
    found = name(value)
    if found is None:
        raise CellError("不能为空", "REQUIRED")
    return found


def names(value: Any) -> tuple[str, ...]:
    """Several names in one cell, separated by 、，,；;/| or new lines, or by spaces when
    each is a place's name (百花亭社区 桂圆林社区); duplicates dropped.

    >>> names("百花亭社区 桂圆林社区/江北社区"), names("张 三、李四")
    (('百花亭社区', '桂圆林社区', '江北社区'), ('张三', '李四'))
    """
    found = fold(display(value))
    if not found.strip():
        return ()
    parts: list[str | None] = []
    for part in _LIST_SEP.split(found):
        words = part.split()
        if len(words) > 1 and all(w.endswith(_PLACE_END) for w in words):
            parts += words
        else:
            parts.append(name(part))
    return tuple(dict.fromkeys(part for part in parts if part))


def number(value: Any) -> tuple[float, str | None] | None:
    """A number and the unit written after it (``30万元`` -> (30.0, '万元'))."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value), None
    found = text(value)
    if found is None:
        return None
    match = _NUMBER.match(found.replace(",", "").replace(" ", ""))
    if match is None:
        raise CellError(f"“{found}”不是数字", "NOT_A_NUMBER")
    return float(match.group(1)), match.group(2) or None


def count(value: Any) -> int | None:
    """A whole number ≥ 0 (48, 48.0, '48户')."""
    found = number(value)
    if found is None:
        return None
    amount = found[0]
    if not amount.is_integer():
        raise CellError(f"应为整数，收到 {display(value)}", "NOT_AN_INTEGER")
    if amount < 0:
        raise CellError(f"不能为负数，收到 {display(value)}", "NEGATIVE")
    return int(amount)


def amount(value: Any) -> float | None:
    """A quantity ≥ 0 that may have decimals (service hours)."""
    found = number(value)
    if found is None:
        return None
    if found[0] < 0:
        raise CellError(f"不能为负数，收到 {display(value)}", "NEGATIVE")
    return found[0]


def _one_phone(raw: str) -> str:
    digits = raw.replace(" ", "").replace("—", "-").replace("－", "-")
    digits = re.sub(r"^[(（](0\d{2,3})[)）]-?", r"\1-", digits)
    digits = _PHONE_PREFIX.sub("", digits)
    if _MOBILE.match(digits):
        return digits
    if _SERVICE.match(digits):
        return digits
    plain = digits.replace("-", "")
    if plain.isdigit() and plain.startswith("0") and "-" not in digits:
        cut = 3 if plain[1] in "12" else 4
        digits = f"{plain[:cut]}-{plain[cut:]}"
    match = _LANDLINE.match(digits)
    if match:
        area, local, ext = match.groups()
        if len(area) + len(local) in (10, 11, 12):
            return f"{area}-{local}" + (f"-{ext}" if ext else "")
    if plain.isdigit() and len(plain) in (7, 8):
        raise CellError(f"座机号码“{raw}”缺少区号，如 0830-5299105", "INVALID_PHONE")
    raise CellError(
        f"“{raw}”不是有效的电话号码：手机为 11 位（如 13812345678），座机带区号（如 0830-5299105）",
        "INVALID_PHONE",
    )


def phone(value: Any) -> str | None:
    """A mobile (13812345678) or landline (0830-5299105) number, normalised.

    Several numbers in one cell are each checked and kept, joined by 、.
    """
    found = text(str(int(value)) if isinstance(value, float) and value.is_integer() else value)
    if found is None:
        return None
    found_all: list[str] = []
    for part in filter(None, (p.strip() for p in _PHONE_SEP.split(found))):
        try:
            found_all.append(_one_phone(part))
        except CellError:
            pieces = part.split()
            if len(pieces) < 2 or any(len(p) < 7 for p in pieces):
                raise
            found_all.extend(_one_phone(p) for p in pieces)
    return "、".join(dict.fromkeys(found_all))


def _checked(year: int, month: int, day: int, raw: Any) -> str:
    try:
        found = date(year, month, day)
    except ValueError:
        raise CellError(f"“{display(raw)}”不是有效日期", "INVALID_DATE") from None
    if not 1949 <= found.year <= 2100:
        raise CellError(f"日期“{display(raw)}”超出合理范围", "INVALID_DATE")
    return found.isoformat()


def iso_date(value: Any) -> str | None:
    """A date as ISO text from 2024-03-05, 2024/3/5, 2024年3月5日, 2024.3.5, 20240305,
    an Excel date cell or an Excel serial number (45356)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value <= 80000:
            return (_EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
        raise CellError(f"“{display(value)}”不是有效日期", "INVALID_DATE")
    found = text(value)
    if found is None:
        return None
    match = _DATE_PARTS.match(found) or _COMPACT_DATE.match(found)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return _checked(year, month, day, value)
    if found.isdigit() and 20000 <= int(found) <= 80000:
        return (_EXCEL_EPOCH + timedelta(days=int(found))).isoformat()
    raise CellError(
        f"“{found}”不是日期：请写成 2024-03-05、2024/3/5 或 2024年3月5日", "INVALID_DATE"
    )


def year_month(value: Any) -> str | None:
    """The first day of a month written without its day (2021年9月, 2023.03), as ISO
    text; None for anything else.

    >>> year_month("2021年9月"), year_month("2023.03"), year_month("2023-13"), year_month("9月")
    ('2021-09-01', '2023-03-01', None, None)
    """
    found = text(value)
    match = _YEAR_MONTH.match(found) if found else None
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    try:
        return _checked(int(match.group(1)), int(match.group(2)), 1, value)
    except CellError:
        return None


def month_day(value: Any) -> tuple[int, int] | None:
    """The month and day of a date written without its year (10月15日, 10/15); None
    for anything else.

    >>> month_day("10月15日"), month_day("3/5"), month_day("2024-03-05"), month_day("13月1日")
    ((10, 15), (3, 5), None, None)
    >>> month_day("12月底"), month_day("2月底"), month_day("3月中旬"), month_day("近期")
    ((12, 31), (2, 28), (3, 20), None)
    """
    found = text(value)
    match = _MONTH_DAY.match(found) if found else None
    if match is None:
        return None
    month = int(match.group(1))
    if not 1 <= month <= 12:
        return None
    part = match.group(4)
    if part is not None:  # 下旬, 底, 末, 份: the month's last day (February's of a common year)
        return month, _PART_DAY.get(part) or calendar.monthrange(2001, month)[1]
    day = int(match.group(2) or match.group(3))
    try:
        date(2000, month, day)  # a leap year: 2月29日 is a date
    except ValueError:
        return None
    return month, day


@functools.cache
def _members(kind: type[Vocab]) -> dict[str, Vocab]:
    """Every accepted spelling of a vocabulary, as ``domain.vocab.parse`` compares them."""
    found: dict[str, Vocab] = {}
    for member in kind:
        for spelling in (member.value, member.label, *member.aliases):
            found.setdefault(key(spelling), member)
    return found


def choose(kind: type[V], value: str) -> V | None:
    """``domain.vocab.parse`` with the spellings looked up once per vocabulary.

    >>> from domain.vocab import Urgency
    >>> choose(Urgency, " 加 急")
    <Urgency.URGENT: 'URGENT'>
    """
    member = _members(kind).get(key(value))
    return member if isinstance(member, kind) else None


def vocab(kind: type[V], what: str) -> Callable[[Any], V | None]:
    """A parser for one vocabulary: accepts its labels and aliases."""
    from domain.vocab import labels  # noqa: PLC0415 - keep the module import light

    accepted = "、".join(labels(kind))

    def parse_cell(value: Any) -> V | None:
        found = text(value)
        if found is None:
            return None
        member = choose(kind, found)
        if member is None:
            raise CellError(f"无法识别的{what}“{found}”：可填 {accepted}", "UNKNOWN_CHOICE")
        return member

    return parse_cell


def key(value: str) -> str:
    """The form names are compared in: NFKC, no white space, lower case."""
    return "".join(unicodedata.normalize("NFKC", value).split()).lower()
