"""Reading single cells the tolerant way real workbooks need.

Labels are compared after normalising spaces, line breaks and full-width
punctuation; amounts may be numbers or text with (full-width) thousands
separators; whole numbers and codes may arrive as floats.  Every parser
returns a value or raises ``CellError`` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from juesuan.model.money import Unit
from juesuan.readers.limits import MAX_AMOUNT

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－（）【】：；“”", "0123456789.,-()[]:;\"\"")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_ORDINAL = re.compile(r"^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+[、.]|\(\d+\)|\d+[、.](?!\d))?(其中:)?")
_FORMAT_PLACES = re.compile(r"^#?,?#*0(\.(0+))?$")
BLANK_MARKS = {"", "-", "—", "——", "--"}


class CellError(ValueError):
    """A cell whose content does not fit its column."""


def norm(text: Any) -> str:
    """A label as compared: no spaces or line breaks, half-width punctuation."""
    if text is None:
        return ""
    return _SPACES.sub("", str(text)).translate(_FULLWIDTH)


def norm_label(text: Any) -> str:
    """A row label as compared: also without its ordinal prefix (一、 (二) 3.) and a "其中：" lead."""
    return _ORDINAL.sub("", norm(text))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and norm(value) in BLANK_MARKS)


def cell_text(value: Any) -> str:
    """A cell's content as text (numbers without a spurious .0, dates as ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def format_places(number_format: str | None) -> int | None:
    """Decimal places a plain number format shows (``#,##0.00`` → 2), else None."""
    m = _FORMAT_PLACES.match(number_format or "")
    if not m:
        return None
    return len(m.group(2) or "")


def parse_amount(value: Any, number_format: str | None = None) -> Decimal:
    """A money cell as Decimal (never via float arithmetic); raises CellError."""
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是数字")
    if isinstance(value, dt.date | dt.time | dt.timedelta):  # a number shown as a date or time
        raise CellError(f"是日期或时间（“{cell_text(value)}”），不是金额：请把单元格格式设为数值并填写金额")
    if isinstance(value, int | float):
        if isinstance(value, float) and value != value:  # NaN
            raise CellError("不是数字")
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        places = format_places(number_format)
        places = 2 if places is None else places
        if -amount.as_tuple().exponent <= places:  # type: ignore[operator]
            amount = amount.quantize(Decimal(1).scaleb(-places))
    elif isinstance(value, str):
        text = norm(value).replace(",", "").replace("¥", "").replace("￥", "")
        if text in BLANK_MARKS:
            return Decimal(0)
        if text.startswith("(") and text.endswith(")"):
            text = "-" + text[1:-1]
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(f"“{value}”不是数字") from None
        if not amount.is_finite():
            raise CellError(f"“{value}”不是数字")
    else:
        raise CellError(f"“{cell_text(value)}”不是数字")
    if amount < 0:
        raise CellError(f"金额不能为负数（填写的是“{cell_text(value)}”）")
    if amount > MAX_AMOUNT:
        raise CellError(f"数值过大（“{cell_text(value)[:40]}”），超过 10^15，不是合理的金额")
    return amount.copy_abs() if amount.is_zero() else amount  # -0.00 is 0.00


def parse_int(value: Any) -> int:
    """A count or a year: a whole number, possibly typed as text or stored as float."""
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是整数")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", norm(value).replace(",", "")):
        number = int(norm(value).replace(",", ""))
    else:
        raise CellError(f"“{cell_text(value)}”不是整数")
    if number < 0:
        raise CellError(f"不能为负数（填写的是“{number}”）")
    return number


def parse_unit(value: Any) -> Unit:
    try:
        return Unit.parse(norm(value).replace("单位:", ""))
    except ValueError:
        raise CellError(f"未知的金额单位“{cell_text(value)}”：只能是“元”或“万元”") from None


def code_text(value: Any) -> str:
    """A code cell as text: 2010601 typed as a number stays 2010601."""
    return norm(cell_text(value))


UNIT_MARK = re.compile(r"(?<!编制)(?<!报送)单位[:：]\s*([^\s,，;；]+)")


def declared_unit(text: Any) -> str | None:
    """The unit a "单位：万元" line declares, or None."""
    if not isinstance(text, str):
        return None
    m = UNIT_MARK.search(norm(text))
    return m.group(1) if m else None
