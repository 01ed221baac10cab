"""Writing templates and exports: one workbook shape for both, so that an export re-imports unchanged.

Sheet 1 holds the data under the template's header row (``*`` marks a required column); sheet 2
(填表说明) explains each column and its allowed values; a hidden sheet (选项) holds the lists the
drop-downs of sheet 1 draw on. openpyxl's write-only mode streams rows to disk: a 100 000-row
export runs in constant memory.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from zhaoshang.exchange.base import Column
from zhaoshang.exchange.kinds import Sheet

HEADER_FILL = PatternFill("solid", fgColor="FDE8E6")
REQUIRED_FONT = Font(bold=True, color="B3261E")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Drop-downs reach this many rows below the header in a template (an export: its rows and as many more).
TEMPLATE_ROWS = 2000

GENERAL_NOTES = [
    gettext_lazy("第一行为表头(表头上方可以有标题行,导入时自动跳过);带 * 的列必须填写。"),
    gettext_lazy("表头按名称识别,列的顺序可以调整,不需要的非必填列可以删除;删除的列导入时保持原值不变。"),
    gettext_lazy(
        "金额默认单位为万元(外资为万美元);可以写成1.2亿、8000万元、一千二百万、12,000;"
        "表头写成“总投资(亿元)”时,不带单位的数字按亿元读取。"
    ),
    gettext_lazy(
        "日期可写成2022-07-03、2022/7/3、2022.7.3、2022年7月3日,或使用Excel日期格式;月份写成2022-07或2022年7月。"
    ),
    gettext_lazy("是/否列可填:是/否、√/×、Y/N。"),
    gettext_lazy("单位填写全称或简称;企业按统一社会信用代码识别,未填代码时按企业名称。"),
    gettext_lazy(
        "同一文件全部行检查通过才会导入;有任何一行有问题,所有行都不会导入,并逐条列出问题所在的行和列。"
    ),
    gettext_lazy("重复导入同一文件不会产生重复记录:记录按下表“识别规则”对应,内容相同的行保持不变。"),
    gettext_lazy("导出文件中按权限打码的手机号码(如138****5678)导入时表示“不修改”。"),
]


def header_label(column: Column) -> str:
    return f"{column.header}*" if column.required else column.header


def cell_value(value: Any) -> Any:
    """A value as the spreadsheet cell holds it: exact decimals as numbers (or text past the 15
    digits a spreadsheet number keeps), empty text as an empty cell."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        if len(value.normalize().as_tuple().digits) > 15:
            return format(value.normalize(), "f")
        return float(value)
    return str(value) if not isinstance(value, int | float | datetime.date | bool) else value


def _validations(sheet: Sheet, ws, lists: dict[str, list[str]], options_ws, last_row: int) -> list:
    """List drop-downs for choice, yes/no and named-list columns, drawing on the hidden 选项 sheet."""
    columns: list[list[str]] = []
    validations = []
    for index, column in enumerate(sheet.columns, start=1):
        values = (
            column.labels() if column.kind in ("choice", "bool") else lists.get(column.dropdown or "", [])
        )
        if not values:
            continue
        columns.append([column.header, *values])
        letter = get_column_letter(len(columns))
        source = f"{quote_sheetname(options_ws.title)}!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=False)
        validation.promptTitle = column.header[:32]
        validation.prompt = str(column.help)[:255] if column.help else None
        validation.showInputMessage = bool(column.help)
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{last_row}")
        validations.append(validation)
    # The options sheet is written row by row (write-only): transpose the lists.
    height = max((len(c) for c in columns), default=0)
    for r in range(height):
        options_ws.append([c[r] if r < len(c) else None for c in columns])
    return validations


def _explanation(sheet: Sheet, ws, lists: dict[str, list[str]]) -> None:
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 60
    title = WriteOnlyCell(ws, value=_("{label}导入模板 · 填表说明").format(label=sheet.label))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([])
    for note in GENERAL_NOTES:
        ws.append([str(note)])
    ws.append([_("识别规则:{rule}").format(rule=sheet.identity)])
    ws.append([])
    header = []
    for text in (_("列名"), _("必填"), _("说明"), _("可填写的值")):
        cell = WriteOnlyCell(ws, value=text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    for column in sheet.columns:
        allowed = column.labels() or lists.get(column.dropdown or "", [])
        synonyms = "、".join(column.synonyms)
        help_text = str(column.help or "")
        if synonyms:
            help_text = (help_text + "\n" if help_text else "") + _("也可用表头:{names}").format(
                names=synonyms
            )
        cells = [
            WriteOnlyCell(ws, value=header_label(column)),
            WriteOnlyCell(ws, value=_("是") if column.required else ""),
            WriteOnlyCell(ws, value=help_text or None),
            WriteOnlyCell(ws, value="、".join(allowed[:200]) or None),
        ]
        for cell in cells:
            cell.alignment = WRAP
        ws.append(cells)
    if sheet.name == "targets":
        ws.append([])
        ws.append([_("也可使用宽表:年度、单位两列之后,每个指标一列(表头为指标名称),单元格填目标值。")])
        ws.append([_("可用的指标名称:")])
        for name in lists.get("indicators", []):
            ws.append([name])


def write_workbook(*, sheet: Sheet, rows: Iterable[dict[str, Any]], out, user, template: bool = False) -> int:
    """Write the workbook of ``sheet`` with ``rows`` (dicts by column key) to ``out`` (a path or a
    binary file); returns the number of data rows written."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(str(sheet.label)[:31])
    notes = workbook.create_sheet(_("填表说明"))
    options = workbook.create_sheet(_("选项"))
    options.sheet_state = "hidden"
    lists = sheet.dropdown_lists(user)

    viewer = "" if user is None else (user.get_full_name() or user.get_username())
    stamp = f"{viewer} {timezone.localtime():%Y-%m-%d %H:%M}".strip()
    data.oddFooter.center.text = stamp  # printed exports carry who took them and when (SPEC §6)
    data.oddHeader.right.text = settings.ZHAOSHANG["DEPLOYMENT_NAME"]
    workbook.properties.creator = settings.ZHAOSHANG["DEPLOYMENT_NAME"]
    workbook.properties.description = stamp
    data.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        data.column_dimensions[get_column_letter(index)].width = column.width

    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(data, value=header_label(column))
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    data.append(header)

    # Validations must be known before the rows are streamed; for an export the row count is not,
    # so its drop-downs cover a generous fixed range.
    last_row = TEMPLATE_ROWS + 1 if template else 200_001
    for validation in _validations(sheet, data, lists, options, last_row):
        data.data_validations.append(validation)

    count = 0
    keys = [column.key for column in sheet.columns]
    date_columns = {c.key for c in sheet.columns if c.kind == "date"}
    for row in rows:
        values = []
        for key in keys:
            value = cell_value(row.get(key))
            if key in date_columns and isinstance(value, datetime.date):
                cell = WriteOnlyCell(data, value=value)
                cell.number_format = "yyyy-mm-dd"
                value = cell
            values.append(value)
        data.append(values)
        count += 1
    _explanation(sheet, notes, lists)
    workbook.save(out)
    return count
