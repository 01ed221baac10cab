"""The upper platforms' file layouts: the fields we can put in (or read from) a sheet, and the
default column order and headers of each platform. A ``ColumnMap`` row overrides a default (the
provincial 招商引资项目管理系统 changes its template from year to year)."""

from django.utils.translation import gettext_lazy as _

from zhaoshang.upward.choices import Platform, Sheet

# sheet → field key → label (the getters live with the export; labels show in the admin and errors).
FIELDS: dict[str, dict[str, str]] = {
    Sheet.PROJECTS: {
        "platform_code": _("平台项目编号"),
        "name": _("项目名称"),
        "investor": _("投资方"),
        "credit_code": _("统一社会信用代码"),
        "introducing_unit": _("引进单位"),
        "region_code": _("落地区划代码"),
        "region": _("落地区划"),
        "kind": _("项目类别"),
        "industry": _("所属产业"),
        "total_investment_wan": _("总投资(万元)"),
        "counted_investment_wan": _("计入投资额(万元)"),
        "signed_on": _("签约日期"),
        "commenced_on": _("开工日期"),
        "stage": _("项目阶段"),
        "platform_status": _("平台状态"),
    },
    Sheet.FUNDS: {
        "platform_code": _("平台项目编号"),
        "name": _("项目名称"),
        "month": _("月份"),
        "amount_wan": _("到位资金(万元)"),
        "recognised_amount_wan": _("认定到位资金(万元)"),
        "outside_province_wan": _("其中省外资金(万元)"),
        "outside_city_wan": _("其中市外资金(万元)"),
        "foreign_usd_wan": _("外资到位(万美元)"),
    },
    # What the upper platform sends back.
    Sheet.RECOGNISED: {
        "platform_code": _("平台项目编号"),
        "name": _("项目名称"),
        "month": _("月份"),
        "recognised_amount_wan": _("认定到位资金(万元)"),
        "status": _("认定状态"),
        "reason": _("说明"),
    },
}

_PROVINCE_PROJECTS = [
    ["platform_code", "项目编号"],
    ["name", "项目名称"],
    ["investor", "投资主体"],
    ["credit_code", "统一社会信用代码"],
    ["region_code", "行政区划代码"],
    ["industry", "产业类别"],
    ["counted_investment_wan", "计划总投资(万元)"],
    ["signed_on", "签约时间"],
    ["commenced_on", "开工时间"],
    ["stage", "项目进度"],
]
_PROVINCE_FUNDS = [
    ["platform_code", "项目编号"],
    ["name", "项目名称"],
    ["month", "报送月份"],
    ["recognised_amount_wan", "本月实际到位资金(万元)"],
    ["outside_province_wan", "其中省外资金(万元)"],
]
_PROVINCE_RECOGNISED = [
    ["platform_code", "项目编号"],
    ["name", "项目名称"],
    ["month", "报送月份"],
    ["recognised_amount_wan", "认定到位资金(万元)"],
    ["status", "认定状态"],
    ["reason", "审核意见"],
]
_CITY_PROJECTS = [
    ["platform_code", "平台编号"],
    ["name", "项目名称"],
    ["investor", "投资方"],
    ["introducing_unit", "引进单位"],
    ["region", "县市区"],
    ["total_investment_wan", "总投资(万元)"],
    ["signed_on", "签约日期"],
    ["stage", "项目阶段"],
]
_CITY_FUNDS = [
    ["platform_code", "平台编号"],
    ["name", "项目名称"],
    ["month", "月份"],
    ["recognised_amount_wan", "到位资金(万元)"],
    ["outside_city_wan", "其中市外资金(万元)"],
]
_CITY_RECOGNISED = [
    ["platform_code", "平台编号"],
    ["name", "项目名称"],
    ["month", "月份"],
    ["recognised_amount_wan", "市认定到位资金(万元)"],
    ["status", "认定状态"],
    ["reason", "说明"],
]

DEFAULTS: dict[tuple[str, str], list[list[str]]] = {
    (Platform.PROVINCE, Sheet.PROJECTS): _PROVINCE_PROJECTS,
    (Platform.PROVINCE, Sheet.FUNDS): _PROVINCE_FUNDS,
    (Platform.PROVINCE, Sheet.RECOGNISED): _PROVINCE_RECOGNISED,
    (Platform.CITY, Sheet.PROJECTS): _CITY_PROJECTS,
    (Platform.CITY, Sheet.FUNDS): _CITY_FUNDS,
    (Platform.CITY, Sheet.RECOGNISED): _CITY_RECOGNISED,
}


def columns_for(platform: str, sheet: str) -> list[tuple[str, str]]:
    """[(field key, header)] of ``sheet`` on ``platform``: the configured map, else the default."""
    from zhaoshang.upward.models import ColumnMap

    configured = (
        ColumnMap.objects.filter(platform=platform, sheet=sheet).values_list("columns", flat=True).first()
    )
    return [(key, str(header)) for key, header in (configured or DEFAULTS[(platform, sheet)])]
