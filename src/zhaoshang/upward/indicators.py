"""The upper platforms' recognised funds as indicators, so that reports, the API and the assessment
can state either figure: ours (``funds_wan``, 上报/认定口径) or the province's / city's."""

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from zhaoshang.metrics.indicators import Indicator, register
from zhaoshang.projects.choices import Stage
from zhaoshang.upward.choices import Platform


def _on(platform: str):
    def refine(qs):
        return qs.filter(platform=platform).exclude(project__stage=Stage.WITHDRAWN)

    return refine


for platform, code, name in (
    (Platform.PROVINCE, "province_funds_wan", _("省平台认定到位资金(万元)")),
    (Platform.CITY, "city_funds_wan", _("市平台认定到位资金(万元)")),
):
    register(
        Indicator(
            code,
            name,
            _("万元"),
            model="upward.PlatformFunds",
            date_field="month",
            unit_path="project__introducing_unit",
            region_path="project__region",
            alive_path="project__is_deleted",
            basis_aware=False,
            money=True,
            value=lambda period, basis: Sum("recognised_amount_wan"),
            refine=_on(platform),
            definition=_(
                "上级平台按月认定的到位资金(由上级平台文件导入);与本级口径的差异见“向上报送·对账”。"
            ),
        )
    )
