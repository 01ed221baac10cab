"""Read representations of the records (ids for relations, names beside them for display)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from zhaoshang.activities.models import Activity
from zhaoshang.api.models import ApiToken
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.leads.models import Lead
from zhaoshang.metrics.indicators import Basis
from zhaoshang.organisation.models import Region, Unit
from zhaoshang.projects.models import FundsRecord, Project
from zhaoshang.targets.models import Target
from zhaoshang.upward.choices import Platform, PlatformStatus
from zhaoshang.upward.models import PlatformFunds, PlatformRecord

REVIEW = ("review_status", "submitted_at", "recognised_at", "return_reason", "version")


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ("id", "code", "name", "level", "parent", "path")


class UnitSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Unit
        fields = ("id", "name", "short_name", "kind", "region", "region_name", "parent", "order", "is_active")


class PlatformRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlatformRecord
        fields = (
            "id",
            "project",
            "platform",
            "code",
            "status",
            "refusal_reason",
            "recognised_investment_wan",
        )


class PlatformFundsSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlatformFunds
        fields = ("id", "project", "platform", "month", "recognised_amount_wan", "note")


class EnterpriseSerializer(serializers.ModelSerializer):
    """Master data without personal data (contacts and their phones stay on the pages)."""

    class Meta:
        model = Enterprise
        fields = ("id", "name", "credit_code", "location", "stock_code", "tags")


class ProjectSerializer(serializers.ModelSerializer):
    platform_records = PlatformRecordSerializer(many=True, read_only=True)
    investor_name = serializers.CharField(source="investor.name", read_only=True)
    introducing_unit_name = serializers.CharField(source="introducing_unit.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Project
        fields = (
            "id",
            "name",
            "investor",
            "investor_name",
            "introducing_unit",
            "introducing_unit_name",
            "region",
            "region_name",
            "kind",
            "stage",
            "total_investment_wan",
            "added_investment_wan",
            "foreign_usd_wan",
            "is_major",
            "is_leading_industry",
            "is_intention_agreement",
            "signed_on",
            "commenced_on",
            "in_production_on",
            "ended_on",
            *REVIEW,
            "platform_records",
        )


class FundsRecordSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)

    class Meta:
        model = FundsRecord
        fields = (
            "id",
            "project",
            "project_name",
            "month",
            "amount_wan",
            "outside_province_wan",
            "outside_city_wan",
            "foreign_usd_wan",
            "foreign_cash_usd_wan",
            "recognised_amount_wan",
            *REVIEW,
        )


class LeadSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Lead
        fields = (
            "id",
            "title",
            "unit",
            "unit_name",
            "reported_on",
            "intended_investment_wan",
            "is_valuable",
            "status",
            "assigned_unit",
            "project",
            *REVIEW,
        )


class ActivitySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Activity
        fields = (
            "id",
            "kind",
            "unit",
            "unit_name",
            "started_on",
            "ended_on",
            "destination",
            "out_of_province",
            "enterprise_count",
            "batches",
            *REVIEW,
        )


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ("id", "year", "campaign", "unit", "region", "indicator", "value")


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        label=_("退回原因"), required=False, allow_blank=True, max_length=500, default=""
    )


class TransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    review_status = serializers.CharField()
    version = serializers.IntegerField()


class MetricQuerySerializer(serializers.Serializer):
    indicator = serializers.CharField(label=_("指标代码"))
    period = serializers.CharField(label=_("期间"), help_text=_("YYYY-MM、YYYY-Qn、YYYY-H1/H2 或 YYYY"))
    scope = serializers.CharField(
        label=_("范围"),
        required=False,
        default="",
        allow_blank=True,
        help_text=_("region:<区划代码> 或 unit:<单位编号>;留空为本账号的管辖范围"),
    )
    basis = serializers.ChoiceField(label=_("口径"), choices=Basis.choices, default=Basis.RECOGNISED)


class MetricSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    period_label = serializers.CharField()
    basis = serializers.CharField()
    scope = serializers.CharField()
    value = serializers.DecimalField(max_digits=24, decimal_places=4)
    previous = serializers.DecimalField(max_digits=24, decimal_places=4)
    growth = serializers.DecimalField(max_digits=24, decimal_places=6, allow_null=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at")


class ReconciliationQuerySerializer(serializers.Serializer):
    platform = serializers.ChoiceField(label=_("上级平台"), choices=Platform.choices)
    period = serializers.CharField(label=_("期间"), help_text=_("YYYY-MM、YYYY-Qn、YYYY-H1/H2 或 YYYY"))


class ReconciliationRowSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project.pk")
    project_name = serializers.CharField(source="project.name")
    month = serializers.DateField()
    platform_code = serializers.CharField(source="record.code", default="")
    platform_status = serializers.CharField(source="record.status", default=PlatformStatus.NOT_REGISTERED)
    reported = serializers.DecimalField(max_digits=24, decimal_places=4)
    recognised = serializers.DecimalField(max_digits=24, decimal_places=4)
    upper = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    difference_reported = serializers.DecimalField(max_digits=24, decimal_places=4)
    difference_recognised = serializers.DecimalField(max_digits=24, decimal_places=4)
    reason = serializers.CharField()


class FundsWriteSerializer(serializers.Serializer):
    """The body of a funds report (validated by the same form as the page, ``FundsRecordForm``)."""

    project = serializers.IntegerField(label=_("项目"))
    month = serializers.CharField(label=_("月份"), help_text=_("YYYY-MM"))
    amount_wan = serializers.DecimalField(label=_("到位资金(万元)"), max_digits=18, decimal_places=4)
    outside_province_wan = serializers.DecimalField(max_digits=18, decimal_places=4, required=False)
    outside_city_wan = serializers.DecimalField(max_digits=18, decimal_places=4, required=False)
    foreign_usd_wan = serializers.DecimalField(max_digits=18, decimal_places=4, required=False)
    foreign_cash_usd_wan = serializers.DecimalField(max_digits=18, decimal_places=4, required=False)
    version = serializers.IntegerField(
        label=_("版本"), required=False, help_text=_("修改时填读取时的版本;他人已修改则返回 409")
    )
    submit = serializers.BooleanField(label=_("同时上报"), required=False, default=False)


class FundsPatchSerializer(FundsWriteSerializer):
    project = serializers.IntegerField(required=False)
    month = serializers.CharField(required=False)
    amount_wan = serializers.DecimalField(max_digits=18, decimal_places=4, required=False)


class RankingQuerySerializer(MetricQuerySerializer):
    by = serializers.ChoiceField(
        label=_("排名对象"), choices=[("unit", _("单位")), ("region", _("下级区划"))], default="unit"
    )


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    id = serializers.IntegerField()
    code = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=24, decimal_places=4)
