"""Writing templates and exports: one workbook shape for both, so that an export re-imports unchanged.

Sheet 1 holds the data under the template's header row (``*`` marks a required column); sheet 2
(填表说明) explains each column and its allowed values; a hidden sheet (选项) holds the lists the
drop-downs of sheet 1 draw on. Rows are streamed into the file (``exchange.xlsx``): a 100 000-row
export runs in constant memory.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.exchange import xlsx
from zhaoshang.exchange.base import Column
from zhaoshang.exchange.kinds import Sheet

# Drop-downs reach this many rows below the header in a template (an export: its rows and as many more).
TEMPLATE_ROWS = 2000

GENERAL_NOTES = [
    gettext_lazy("第一行为表头(表头上方可以有标题行,导入时自动跳过);带 * 的列必须填写。"),
    gettext_lazy(
        "也可导入 .xls(WPS、旧版Excel)和 .csv(UTF-8或GBK编码均可);跨行合并的单元格按每行都填了该值读取,"
        "“合计”“填表人”等表尾行和“一、……”分组标题行自动跳过。"
    ),
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


def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _validations(sheet: Sheet, lists: dict[str, list[str]], options_title: str, last_row: int):
    """List drop-downs for choice, yes/no and named-list columns, drawing on the hidden 选项 sheet;
    returns them and the options sheet's columns."""
    columns: list[list[str]] = []
    validations = []
    for index, column in enumerate(sheet.columns, start=1):
        values = (
            column.labels() if column.kind in ("choice", "bool") else lists.get(column.dropdown or "", [])
        )
        if not values:
            continue
        columns.append([column.header, *values])
        letter = xlsx.column_letter(len(columns))
        target = xlsx.column_letter(index)
        validations.append(
            xlsx.Validation(
                sqref=f"{target}2:{target}{last_row}",
                formula=f"{_quote_sheet(options_title)}!${letter}$2:${letter}${len(values) + 1}",
                prompt_title=column.header,
                prompt=str(column.help) if column.help else "",
            )
        )
    return validations, columns


def _explanation(sheet: Sheet, ws: xlsx.Sheet, lists: dict[str, list[str]]) -> None:
    ws.append([xlsx.Cell(_("{label}导入模板 · 填表说明").format(label=sheet.label), xlsx.TITLE)])
    ws.append([])
    for note in GENERAL_NOTES:
        ws.append([str(note)])
    ws.append([_("识别规则:{rule}").format(rule=sheet.identity)])
    ws.append([])
    ws.append([xlsx.Cell(text, xlsx.HEADER) for text in (_("列名"), _("必填"), _("说明"), _("可填写的值"))])
    for column in sheet.columns:
        allowed = column.labels() or lists.get(column.dropdown or "", [])
        synonyms = "、".join(column.synonyms)
        help_text = str(column.help or "")
        if synonyms:
            help_text = (help_text + "\n" if help_text else "") + _("也可用表头:{names}").format(
                names=synonyms
            )
        cells = [
            header_label(column),
            _("是") if column.required else "",
            help_text or None,
            "、".join(allowed[:200]) or None,
        ]
        ws.append([xlsx.Cell(value, xlsx.WRAP) for value in cells])
    if sheet.name == "targets":
        ws.append([])
        ws.append([_("也可使用宽表:年度、单位两列之后,每个指标一列(表头为指标名称),单元格填目标值。")])
        ws.append([_("可用的指标名称:")])
        for name in lists.get("indicators", []):
            ws.append([name])


def write_workbook(*, sheet: Sheet, rows: Iterable[Sequence[Any]], out, user, template: bool = False) -> int:
    """Write the workbook of ``sheet`` with ``rows`` (values in the order of ``sheet.columns``) to
    ``out`` (a path or a binary file); returns the number of data rows written."""
    lists = sheet.dropdown_lists(user)
    viewer = "" if user is None else (user.get_full_name() or user.get_username())
    stamp = f"{viewer} {timezone.localtime():%Y-%m-%d %H:%M}".strip()
    name = settings.ZHAOSHANG["DEPLOYMENT_NAME"]
    workbook = xlsx.Workbook(out, creator=name, description=stamp)
    options_title = _("选项")

    # Validations must be known before the rows are streamed; for an export the row count is not,
    # so its drop-downs cover a generous fixed range.
    last_row = TEMPLATE_ROWS + 1 if template else 200_001
    validations, option_columns = _validations(sheet, lists, options_title, last_row)
    data = workbook.sheet(
        str(sheet.label),
        widths={index: column.width for index, column in enumerate(sheet.columns, start=1)},
        freeze_header=True,
        print_header_right=name,
        print_footer_center=stamp,  # printed exports carry who took them and when (SPEC §6)
        validations=validations,
    )
    data.append(
        [
            xlsx.Cell(header_label(column), xlsx.HEADER_REQUIRED if column.required else xlsx.HEADER)
            for column in sheet.columns
        ]
    )
    count = data.extend(rows)
    data.close()

    notes = workbook.sheet(_("填表说明"), widths={1: 22, 2: 8, 3: 60, 4: 60})
    _explanation(sheet, notes, lists)
    notes.close()

    options = workbook.sheet(options_title, hidden=True)
    # The lists side by side, one column each.
    for r in range(max((len(c) for c in option_columns), default=0)):
        options.append([c[r] if r < len(c) else None for c in option_columns])
    options.close()
    workbook.close()
    return count
