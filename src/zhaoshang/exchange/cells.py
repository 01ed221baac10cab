"""Reading cells the way bureaus type them (SPEC §5 "Excel templates").

Pure functions, no database: each takes what a spreadsheet reader gives for one cell (``str``, ``int``,
``float``, ``bool``, ``date``/``datetime`` or ``None``) and returns the typed value, or raises
``CellError`` with a Chinese message saying what was expected. Empty cells give ``None`` (or ``""``
for text) so that the caller decides what "blank" means for its column.

The rules, with the forms they accept:

- **Amounts** (``parse_amount``) in 万 of the column's currency: ``1.2亿`` → 12000, ``8000万元`` → 8000,
  ``15`` under a header ``总投资(亿元)`` → 150000, full-width ``１５``, Chinese numerals ``一千二百万`` →
  1200, thousands separators ``12,000``, a ``¥`` in front. A unit written in the cell wins over the
  header's; a bare number is in the header's unit (万元 when the header names none).
- **Dates** (``parse_date``): ``2022-07-03``, ``2022/7/3``, ``2022.7.3``, ``2022年7月3日``, ``20220703``,
  ``二〇二二年七月三日``, an Excel date cell or an Excel serial number (44745).
- **Months** (``parse_month``): ``2022-07``, ``2022/7``, ``2022.7``, ``2022年7月``, ``202207``, any date
  (its month), and the number ``2022.07`` that Excel makes of a typed ``2022.07``.
- **Yes/no** (``parse_bool``): 是/否, √/×, Y/N, 有/无, 对/错, 1/0, TRUE/FALSE.
- **Names and text**: stray spaces (half- and full-width, line breaks) trimmed and collapsed.
- **Headers** (``header_key``): spaces and ``*`` removed, full-width brackets （） and 【】 read as (),
  a unit in brackets (``(亿元)``) split off so that ``总投资(亿元)`` matches the column 总投资(万元).
"""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from zhaoshang.metrics.numbers import round_half_up


class CellError(ValueError):
    """A cell that cannot be read; ``str(error)`` is the reason, in Chinese, for the problem list."""


# --- text -----------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def _number_as_text(value: float | int) -> str:
    """A number typed into a text column (a stock code, a phone number): no ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not _SPACES.sub("", value))


def parse_text(value, *, multiline: bool = False) -> str:
    """A name or a short text: spaces trimmed and runs of spaces collapsed to one.

    ``multiline`` keeps line breaks (成果, 备注) and trims each line instead.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int | float | Decimal):
        return _number_as_text(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if not (value.hour or value.minute or value.second) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if multiline:
        lines = [" ".join(_SPACES.sub(" ", line).split()) for line in text.replace("\r\n", "\n").split("\n")]
        return "\n".join(lines).strip("\n")
    return " ".join(_SPACES.sub(" ", text).split())


def parse_code(value) -> str:
    """A code (统一社会信用代码, 区划代码, a phone number): every space removed, full-width folded."""
    text = unicodedata.normalize("NFKC", parse_text(value))
    return _SPACES.sub("", text).upper()


_LIST_SEPARATORS = re.compile(r"[、,，;；\n\r]+")


def split_list(value) -> list[str]:
    """A 、-separated list (企业标签, 企业名称 of an activity); commas, semicolons and line breaks too."""
    if is_blank(value):
        return []
    text = value if isinstance(value, str) else parse_text(value)
    items = (parse_text(part) for part in _LIST_SEPARATORS.split(text))
    return list(dict.fromkeys(item for item in items if item))


# --- numbers --------------------------------------------------------------------------------------

_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_TOKEN = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|\.\d+)"
    r"|(?P<cn>[" + "".join(_CN_DIGITS) + r"])"
    r"|(?P<small>[" + "".join(_CN_SMALL_UNITS) + r"])"
    r"|(?P<big>[" + "".join(_CN_BIG_UNITS) + r"])"
    r"|(?P<point>[点點])"
)


def _normalise_number_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub("", text)
    # Thousands separators: 12,000 and 1,234,567.5 (a comma between digits, groups of three).
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return text


def parse_chinese_number(text: str) -> tuple[Decimal, bool]:
    """A number written with Arabic digits, Chinese numerals or both: ``1.2亿``, ``一千二百万``,
    ``3亿5000万``, ``一万五`` (colloquial: 15000), ``一点二亿``.

    Returns the value and whether a magnitude (万 or 亿) was written, in which case the value is absolute
    (``8000万`` → 80 000 000); otherwise it is a plain number in the column's unit.
    """
    text = _normalise_number_text(text)
    sign = 1
    if text[:1] in ("-", "−", "负"):
        sign, text = -1, text[1:]
    elif text[:1] == "+":
        text = text[1:]
    if not text:
        raise CellError(_("不是数字"))
    result = Decimal(0)  # 亿 groups done
    wan_part = Decimal(0)  # 万 groups of the current 亿 group
    small = Decimal(0)  # below 万
    number: Decimal | None = None  # digits waiting for a unit
    number_is_cn_digit = False
    last_unit: int | None = None  # the unit just written, for "一万五" = 1.5万
    zero_since_unit = False
    decimals: str | None = None  # digits after 点
    has_magnitude = False
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() != pos:
            raise CellError(_("含有无法识别的字符“{text}”").format(text=text[pos : match.start()]))
        pos = match.end()
        kind, token = match.lastgroup, match.group()
        if kind == "num":
            if number is not None:
                raise CellError(_("数字写法不正确"))
            number, number_is_cn_digit = Decimal(token), False
        elif kind == "cn":
            digit = _CN_DIGITS[token]
            if decimals is not None:
                decimals += str(digit)
            elif digit == 0:
                zero_since_unit = True
                if number is not None:  # "二〇二二": digits read one by one
                    number = number * 10
            elif number is not None and number_is_cn_digit:
                number = number * 10 + digit
            else:
                number, number_is_cn_digit = Decimal(digit), True
        elif kind == "point":
            if decimals is not None:
                raise CellError(_("数字写法不正确"))
            decimals = ""
            number = number or Decimal(0)
        else:
            if decimals is not None:
                number = (number or Decimal(0)) + (Decimal(f"0.{decimals}") if decimals else 0)
                decimals = None
            if kind == "small":
                unit = _CN_SMALL_UNITS[token]
                small += (number if number is not None else 1) * unit
            else:
                unit = _CN_BIG_UNITS[token]
                has_magnitude = True
                if unit == 10**4:
                    wan_part += (small + (number or 0)) * unit
                else:
                    result += (wan_part + small + (number or 0)) * unit
                    wan_part = Decimal(0)
                small = Decimal(0)
            number, number_is_cn_digit = None, False
            last_unit, zero_since_unit = unit, False
    if pos != len(text):
        raise CellError(_("含有无法识别的字符“{text}”").format(text=text[pos:]))
    if decimals is not None:
        number = (number or Decimal(0)) + (Decimal(f"0.{decimals}") if decimals else 0)
    if number is not None and number_is_cn_digit and last_unit and not zero_since_unit and number < 10:
        number = number * last_unit / 10  # 一万五 = 15000, 一千二 = 1200
    total = result + wan_part + small + (number or 0)
    return sign * total, has_magnitude


def _decimal_of(value) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("不是数字"))
    if isinstance(value, float):
        # The shortest text that reads back as this float: what Excel showed.
        return Decimal(repr(value))
    return Decimal(value)


# Money units that may appear in a header's brackets or at the end of a cell: (currency, yuan per unit).
MONEY_UNITS = {
    "元": ("CNY", Decimal(1)),
    "千元": ("CNY", Decimal(1000)),
    "万元": ("CNY", Decimal(10**4)),
    "百万元": ("CNY", Decimal(10**6)),
    "亿元": ("CNY", Decimal(10**8)),
    "美元": ("USD", Decimal(1)),
    "千美元": ("USD", Decimal(1000)),
    "万美元": ("USD", Decimal(10**4)),
    "百万美元": ("USD", Decimal(10**6)),
    "亿美元": ("USD", Decimal(10**8)),
}
# Other units a header may name in brackets; they change nothing but are not part of the name.
PLAIN_UNITS = {
    "亩",
    "个",
    "家",
    "次",
    "天",
    "条",
    "批",
    "批次",
    "场",
    "人",
    "人次",
    "%",
    "平方米",
    "万",
    "亿",
}
_CELL_SUFFIXES = ("个", "家", "次", "天", "条", "批次", "批", "场", "人次", "人", "亩", "项")
# Amounts are stored as DECIMAL(18, 4): at most 14 digits before the point.
AMOUNT_LIMIT = Decimal(10) ** 14


def _fit_amount(amount: Decimal, original) -> Decimal:
    """The amount rounded half-up to one yuan, or a clear problem when it cannot be stored."""
    if not amount.is_finite() or abs(amount) >= AMOUNT_LIMIT:
        raise CellError(_("金额“{value}”超出可记录的范围").format(value=parse_text(original)))
    return round_half_up(amount, 4)


def parse_amount(value, unit: str = "万元") -> Decimal | None:
    """An amount in 万 of the column's currency (万元 or 万美元), exact to four places (one yuan).

    ``unit`` is the unit the header names (``万元``, ``亿元``, ``元``, ``万美元`` …). A bare number is in
    that unit; a cell that writes its own magnitude (``1.2亿``, ``8000万元``, ``一千二百万``, ``500元``)
    is read as written. A cell in another currency than the column's is refused.
    """
    if is_blank(value):
        return None
    currency, per_unit = MONEY_UNITS.get(unit, ("", Decimal(10**4)))
    if not isinstance(value, str):
        try:
            amount = _decimal_of(value) * per_unit / Decimal(10**4)
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise CellError(_("无法识别的金额“{value}”").format(value=value)) from exc
        return _fit_amount(amount, value)
    text = _normalise_number_text(value)
    for prefix in ("¥", "RMB", "CNY", "人民币", "USD", "US$", "$"):
        if text.upper().startswith(prefix):
            text = text[len(prefix) :]
    written_currency = ""
    absolute = False
    if text.endswith("美元"):
        written_currency, text, absolute = "USD", text[: -len("美元")], True
    elif text.endswith("元"):
        written_currency, text, absolute = "CNY", text[:-1], True
    if written_currency and currency and written_currency != currency:
        raise CellError(
            _("金额“{value}”的币种与本列不符(本列为{unit})").format(value=parse_text(value), unit=unit)
        )
    try:
        number, has_magnitude = parse_chinese_number(text)
    except CellError as exc:
        raise CellError(_("无法识别的金额“{value}”").format(value=parse_text(value))) from exc
    # A magnitude written in the cell makes the number absolute; a bare one is in the header's unit.
    scale = Decimal(1) if absolute or has_magnitude else per_unit
    return _fit_amount(number * scale / Decimal(10**4), value)


def parse_number(value) -> Decimal | None:
    """A plain number (用地面积, 目标值 of a count, 排序号): digits in any width, Chinese numerals,
    thousands separators, a unit word after it (``120亩``, ``10个``) ignored."""
    if is_blank(value):
        return None
    if not isinstance(value, str):
        try:
            number = _decimal_of(value)
        except (InvalidOperation, ValueError, TypeError) as exc:
            raise CellError(_("无法识别的数字“{value}”").format(value=value)) from exc
        if not number.is_finite():
            raise CellError(_("无法识别的数字“{value}”").format(value=value))
        return number
    text = _normalise_number_text(value)
    for suffix in _CELL_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    try:
        number, _magnitude = parse_chinese_number(text)
    except CellError as exc:
        raise CellError(_("无法识别的数字“{value}”").format(value=parse_text(value))) from exc
    return number


def parse_int(value) -> int | None:
    """A whole number (年度, 批次, 排序号): ``2022``, ``2022年``, ``二〇二二``, ``2022.0``."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = _normalise_number_text(value).removesuffix("年度").removesuffix("年")
        value = text
    number = parse_number(value)
    if number is None or number != number.to_integral_value():
        raise CellError(_("应为整数,填写的是“{value}”").format(value=parse_text(value)))
    return int(number)


# --- yes / no -------------------------------------------------------------------------------------

_TRUE = {"是", "√", "✓", "✔", "☑", "y", "yes", "true", "t", "1", "对", "有", "是的", "有价值"}
_FALSE = {"否", "×", "✗", "✘", "☒", "x", "n", "no", "false", "f", "0", "错", "无", "不是", "没有", "无价值"}


def parse_bool(value) -> bool | None:
    """是/否, √/×, Y/N, 有/无, 对/错, 1/0, TRUE/FALSE and Excel's own TRUE/FALSE cells; blank → None."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = unicodedata.normalize("NFKC", parse_text(value)).lower().replace(" ", "")
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("应填“是”或“否”,填写的是“{value}”").format(value=parse_text(value)))


# --- dates ----------------------------------------------------------------------------------------

_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01, with Excel's 1900 leap-year bug
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?份?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


def _from_serial(serial: float) -> datetime.date:
    if not 1 <= serial < 2958466:
        raise CellError(_("无法识别的日期“{value}”").format(value=_number_as_text(serial)))
    return _EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def _chinese_date_text(text: str) -> str:
    """二〇二二年七月三日 → 2022年7月3日 (year digit by digit, month and day as numbers)."""
    if not re.search("[" + "".join(_CN_DIGITS) + "十]", text):
        return text
    parts = re.split(r"([年月日号])", text)
    out = []
    for part in parts:
        if part in ("年", "月", "日", "号") or not part:
            out.append(part)
            continue
        if all(ch in _CN_DIGITS or ch.isdigit() for ch in part) and len(part) == 4:
            out.append("".join(str(_CN_DIGITS[ch]) if ch in _CN_DIGITS else ch for ch in part))
        else:
            number, _magnitude = parse_chinese_number(part)
            out.append(str(int(number)))
    return "".join(out)


def _make_date(year: str | int, month: str | int, day: str | int, original) -> datetime.date:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise CellError(_("日期“{value}”不存在").format(value=parse_text(original))) from exc


def parse_date(value) -> datetime.date | None:
    """A day: a date cell, an Excel serial number, or text in the forms listed in the module doc."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("无法识别的日期“{value}”").format(value=value))
    if isinstance(value, int | float):
        if isinstance(value, int) or value.is_integer():
            digits = str(int(value))
            if len(digits) == 8:  # 20220703 typed as a number
                return _make_date(digits[:4], digits[4:6], digits[6:], value)
            return _from_serial(value)
        raise CellError(_("无法识别的日期“{value}”,请写成2022-07-03").format(value=value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"[T\s]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", text)  # a time after the date
    text = _SPACES.sub("", text)
    try:
        text = _chinese_date_text(text)
    except CellError as exc:
        raise CellError(_("无法识别的日期“{value}”").format(value=parse_text(value))) from exc
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _make_date(*match.groups(), original=value)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text))
    raise CellError(_("无法识别的日期“{value}”,请写成2022-07-03").format(value=parse_text(value)))


def parse_month(value) -> datetime.date | None:
    """A month, as its first day: ``2022-07``, ``2022年7月``, ``202207``, a date (its month), or the
    number 2022.07 that Excel makes of a typed "2022.07" (2022.1 is read as January: Excel has
    already dropped the 0 of "2022.10", so write October as 2022-10 or 2022年10月)."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    if isinstance(value, bool):
        raise CellError(_("无法识别的月份“{value}”").format(value=value))
    if isinstance(value, int | float):
        text = repr(value) if isinstance(value, float) else str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        match = re.fullmatch(r"(\d{4})\.(\d{1,2})", text)
        if match and 1900 <= int(match.group(1)) <= 2200:
            return _make_date(match.group(1), match.group(2), 1, value)
        if re.fullmatch(r"\d{6}", text):
            return _make_date(text[:4], text[4:], 1, value)
        if re.fullmatch(r"\d{8}", text):
            return _make_date(text[:4], text[4:6], text[6:], value).replace(day=1)
        if "." not in text:
            return _from_serial(value).replace(day=1)
        raise CellError(_("无法识别的月份“{value}”,请写成2022-07").format(value=value))
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))
    try:
        text = _chinese_date_text(text)
    except CellError as exc:
        raise CellError(_("无法识别的月份“{value}”").format(value=parse_text(value))) from exc
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            return _make_date(match.group(1), match.group(2), 1, value)
    try:
        return parse_date(value).replace(day=1)
    except CellError as exc:
        raise CellError(_("无法识别的月份“{value}”,请写成2022-07").format(value=parse_text(value))) from exc


# --- choices --------------------------------------------------------------------------------------


def choice_key(text: str) -> str:
    """How a choice label is compared: NFKC, no spaces, brackets folded, lower case."""
    text = unicodedata.normalize("NFKC", parse_text(text))
    return _SPACES.sub("", text).replace("【", "(").replace("】", ")").lower()


def parse_choice(value, options: dict[str, str]) -> str | None:
    """One of ``options`` (choice_key(label) → stored value); blank → None."""
    if is_blank(value):
        return None
    found = options.get(choice_key(parse_text(value)))
    if found is None:
        labels = "、".join(dict.fromkeys(options.values()))
        raise CellError(_("无法识别的选项“{value}”").format(value=parse_text(value)) + f"({labels})")
    return found


# --- headers --------------------------------------------------------------------------------------

_BRACKETS = str.maketrans(
    {"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"}
)
_UNIT_SUFFIX = re.compile(r"^(?P<base>.+?)\((?P<unit>[^()]*)\)$")


def header_text(value) -> str:
    """A header as the user sees it, without the required-column mark: for messages (〈总投资(亿元)〉)."""
    text = parse_text(value)
    return text.replace("*", "").replace("＊", "").replace("※", "").strip()


def header_key(value) -> tuple[str, str, str]:
    """(full key, key without unit, unit) of a header cell.

    ``"总 投 资（亿元）*"`` → ``("总投资(亿元)", "总投资", "亿元")``; a bracket that names no unit
    (``签约项目(集中签约)``) stays part of the name.
    """
    text = unicodedata.normalize("NFKC", parse_text(value)).translate(_BRACKETS)
    text = _SPACES.sub("", text).replace("*", "").replace("※", "").rstrip(":")
    match = _UNIT_SUFFIX.match(text)
    if match and (match.group("unit") in MONEY_UNITS or match.group("unit") in PLAIN_UNITS):
        return text, match.group("base"), match.group("unit")
    return text, text, ""
