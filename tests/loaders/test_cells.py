"""Cell normalisers: values as rosters really hold them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.vocab import MatterClass, Urgency
from loaders import cells
from loaders.cells import CellError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        (13812345678.0, "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("86-13812345678", "13812345678"),
        ("0830-5299105", "0830-5299105"),
        ("0830－5299105", "0830-5299105"),
        ("08305299105", "0830-5299105"),
        ("(0830)5299105", "0830-5299105"),
        ("（0830）5299105", "0830-5299105"),
        ("010-12345678", "010-12345678"),
        ("0830-5299105-123", "0830-5299105-123"),
        ("0830-5299105转123", "0830-5299105-123"),
        ("400-123-4567", "400-123-4567"),
        ("13812345678、0830-5299105", "13812345678、0830-5299105"),
        ("13812345678 13912345678", "13812345678、13912345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("", None),
        (None, None),
    ],
)
def test_phone(raw: object, expected: str | None) -> None:
    assert cells.phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            "12345",
            "“12345”不是有效的电话号码：手机为 11 位（如 13812345678），座机带区号（如 0830-5299105）",
        ),
        (
            "1312309130",
            "“1312309130”不是有效的电话号码：手机为 11 位（如 13812345678），座机带区号（如 0830-5299105）",
        ),
        ("5299105", "座机号码“5299105”缺少区号，如 0830-5299105"),
        (
            "12812345678",
            "“12812345678”不是有效的电话号码：手机为 11 位（如 13812345678），座机带区号（如 0830-5299105）",
        ),
    ],
)
def test_bad_phone(raw: str, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        cells.phone(raw)
    assert (caught.value.reason, caught.value.code) == (reason, "INVALID_PHONE")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", "2024-03-05"),
        ("2024/3/5", "2024-03-05"),
        ("2024年3月5日", "2024-03-05"),
        ("2024.3.5", "2024-03-05"),
        ("2024 年 3 月 5 日", "2024-03-05"),
        ("２０２４年３月５日", "2024-03-05"),
        ("20240305", "2024-03-05"),
        ("2024-03-05 00:00:00", "2024-03-05"),
        (45356.0, "2024-03-05"),
        (45356, "2024-03-05"),
        ("45356", "2024-03-05"),
        (date(2024, 3, 5), "2024-03-05"),
        (datetime(2024, 3, 5, 8, 30), "2024-03-05"),
        ("", None),
        (None, None),
    ],
)
def test_date(raw: object, expected: str | None) -> None:
    assert cells.iso_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2024-13-01", "“2024-13-01”不是有效日期"),
        ("2024-02-30", "“2024-02-30”不是有效日期"),
        ("去年三月", "“去年三月”不是日期：请写成 2024-03-05、2024/3/5 或 2024年3月5日"),
        (12.0, "“12”不是有效日期"),
        ("1900-01-01", "日期“1900-01-01”超出合理范围"),
    ],
)
def test_bad_date(raw: object, reason: str) -> None:
    with pytest.raises(CellError) as caught:
        cells.iso_date(raw)
    assert (caught.value.reason, caught.value.code) == (reason, "INVALID_DATE")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(48.0, 48), (48, 48), ("48", 48), ("48户", 48), ("1,234", 1234), ("１２", 12), ("", None)],
)
def test_count(raw: object, expected: int | None) -> None:
    assert cells.count(raw) == expected


def test_count_rejects_fractions_negatives_and_words() -> None:
    with pytest.raises(CellError, match=r"应为整数，收到 2\.5"):
        cells.count(2.5)
    with pytest.raises(CellError, match="不能为负数"):
        cells.count("-3")
    with pytest.raises(CellError, match="“很多”不是数字"):
        cells.count("很多")


def test_number_keeps_the_unit_written_after_it() -> None:
    assert cells.number("30万元") == (30.0, "万元")
    assert cells.number(12.0) == (12.0, None)
    assert cells.amount("28.5小时") == 28.5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张 三", "张三"),
        ("  张　三 ", "张三"),
        ("合江县 住房和城乡建设局", "合江县住房和城乡建设局"),
        ("合江县ＸＹＺ协会", "合江县XYZ协会"),
        ("阿卜杜 · 热合曼", "阿卜杜·热合曼"),
        ("John  Smith", "John Smith"),
        ("", None),
    ],
)
def test_name(raw: str, expected: str | None) -> None:
    assert cells.name(raw) == expected


def test_text_folds_letters_and_digits_but_keeps_chinese_punctuation() -> None:
    assert cells.text("千藤街４８号，低洼地带\n  雨水倒灌") == "千藤街48号，低洼地带 雨水倒灌"
    assert cells.text(1.0) == "1"
    assert cells.text("\u200b") is None


def test_names_split_on_every_separator() -> None:
    raw = "桂圆林社区、荔城社区，五里坡,兴隆；菜坝;马街\n少岷\r\n少岷"
    assert cells.names(raw) == ("桂圆林社区", "荔城社区", "五里坡", "兴隆", "菜坝", "马街", "少岷")
    assert cells.names(None) == ()
    assert cells.names(" 张 三 、李四") == ("张三", "李四")
    assert cells.names("大塘龙社区 桂木园社区居委会／黄贝岭|湖贝") == (
        "大塘龙社区", "桂木园社区居委会", "黄贝岭", "湖贝",
    )  # fmt: skip
    # spaces separate places' names only: a person's or a unit's name keeps them closed up
    assert cells.names("欧阳 娜娜") == ("欧阳娜娜",)
    assert cells.names("罗湖区 总工会") == ("罗湖区总工会",)


def test_vocabularies_accept_variants_and_explain_a_miss() -> None:
    matter = cells.vocab(MatterClass, "事项类型")
    assert matter("难事") is MatterClass.DIFFICULT
    assert cells.vocab(Urgency, "紧急程度")(" 加急 ") is Urgency.URGENT
    assert matter("") is None
    with pytest.raises(CellError) as caught:
        matter("大事情")
    assert caught.value.reason == "无法识别的事项类型“大事情”：可填 大事、实事、要事、急事、难事"
    assert caught.value.code == "UNKNOWN_CHOICE"


def test_display_shows_values_as_the_sender_typed_them() -> None:
    assert [cells.display(v) for v in (48.0, 2.5, None, date(2024, 3, 5), "x")] == [
        "48", "2.5", "", "2024-03-05", "x",
    ]  # fmt: skip
