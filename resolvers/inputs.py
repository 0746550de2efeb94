"""Validate mutation inputs with pydantic; a failure names the field and what to fix."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from domain.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip()
    if _CONTROL.search(text):
        raise ValueError("不能包含控制字符 (no control characters)")
    return text


def _required(value: str) -> str:
    if not value:
        raise ValueError("不能为空 (must not be empty)")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
Name = Annotated[str, AfterValidator(_clean_text), AfterValidator(_required)]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: str) -> str:
    from datetime import date  # noqa: PLC0415

    if not _DATE.match(value):
        raise ValueError("日期格式应为 YYYY-MM-DD (date as YYYY-MM-DD)")
    date.fromisoformat(value)
    return value


IsoDate = Annotated[str, AfterValidator(_iso_date)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=20_000)


def validate(model: type[M], data: dict[str, Any]) -> M:
    """``model`` from GraphQL input values; InvalidInput names the first bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidInput(f"{where}: {first['msg']}", field=where) from e
