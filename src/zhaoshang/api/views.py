"""The REST API (SPEC: data screens, 政务微信/钉钉 and the city's system). Thin views: every queryset
goes through ``core.access.restrict`` (a foreign record is 404, as on the pages), workflow actions
through ``core.workflow.record_transition``, figures through ``metrics.engine``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from zhaoshang.activities import services as activities_services
from zhaoshang.activities.filtersets import ActivityFilterSet
from zhaoshang.activities.forms import ActivityForm
from zhaoshang.activities.models import Activity
from zhaoshang.api import selectors, serializers
from zhaoshang.api.writes import FormWriteMixin, write_schema
from zhaoshang.core import access, workflow
from zhaoshang.enterprises.filtersets import EnterpriseFilterSet
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.leads import services as leads_services
from zhaoshang.leads.filtersets import LeadFilterSet
from zhaoshang.leads.forms import LeadForm
from zhaoshang.leads.models import Lead
from zhaoshang.metrics import engine, periods
from zhaoshang.metrics.indicators import REGISTRY
from zhaoshang.metrics.numbers import round_half_up
from zhaoshang.organisation.choices import REGION_ROLES, UNIT_ROLES
from zhaoshang.projects import services as projects_services
from zhaoshang.projects.filtersets import FundsRecordFilterSet, ProjectFilterSet
from zhaoshang.projects.forms import FundsRecordForm, ProjectForm
from zhaoshang.projects.models import FundsRecord, Project
from zhaoshang.targets.filtersets import TargetFilterSet
from zhaoshang.targets.models import Target
from zhaoshang.upward import selectors as upward_selectors
from zhaoshang.upward.models import PlatformFunds, PlatformRecord


class RestrictedViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint over ``base_queryset`` restricted to what the user may view."""

    filter_backends = (DjangoFilterBackend,)

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return access.restrict(self.base_queryset(), self.request.user, access.VIEW)


NOT_FOUND = OpenApiResponse(description=_("记录不存在(或不属于本账号的范围)"))
TRANSITION_RESPONSES = {
    200: serializers.TransitionResultSerializer,
    400: OpenApiResponse(description=_("退回时未填写原因")),
    403: OpenApiResponse(description=_("没有权限")),
    404: NOT_FOUND,
    409: OpenApiResponse(description=_("当前状态不能执行此操作")),
}


class WorkflowMixin:
    """``POST …/{id}/submit/``, ``recognise/``, ``return/`` — the recognition workflow (SPEC §4)."""

    def _transition(self, request, name: str) -> Response:
        obj = self.get_object()  # 404 for a record the user may not see
        body = serializers.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        model = type(obj)
        try:
            moved = workflow.record_transition(
                user=request.user,
                model=model,
                pks=[obj.pk],
                transition=name,
                reason=body.validated_data["reason"],
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"reason": exc.messages}) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        if not moved:
            _sources, _target, needed, _audit = workflow.TRANSITIONS[name]
            if not access.restrict(model._default_manager.filter(pk=obj.pk), request.user, needed).exists():
                raise exceptions.PermissionDenied(_("您没有权限对该记录执行此操作。"))
            return Response(
                {
                    "detail": _("该记录当前状态为“{status}”,不能执行此操作。").format(
                        status=obj.get_review_status_display()
                    )
                },
                status=status.HTTP_409_CONFLICT,
            )
        obj.refresh_from_db()
        return Response({"id": obj.pk, "review_status": obj.review_status, "version": obj.version})

    @extend_schema(request=None, responses=TRANSITION_RESPONSES, summary=_("上报"))
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, "submit")

    @extend_schema(request=None, responses=TRANSITION_RESPONSES, summary=_("认定"))
    @action(detail=True, methods=["post"])
    def recognise(self, request, pk=None):
        return self._transition(request, "recognise")

    @extend_schema(
        request=serializers.TransitionSerializer, responses=TRANSITION_RESPONSES, summary=_("退回")
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._transition(request, "return")


def _read_schema(serializer):
    return extend_schema_view(retrieve=extend_schema(responses={200: serializer, 404: NOT_FOUND}))


@write_schema
@_read_schema(serializers.ProjectSerializer)
class ProjectViewSet(FormWriteMixin, WorkflowMixin, RestrictedViewSet):
    """招商项目 (written through the page's form: investor resolved, duplicate screening, audit)."""

    serializer_class = serializers.ProjectSerializer
    filterset_class = ProjectFilterSet
    form_class = ProjectForm
    create_service = projects_services.project_create
    update_service = projects_services.project_update

    def base_queryset(self):
        return (
            Project.objects.select_related("investor", "introducing_unit", "region")
            .prefetch_related("platform_records")
            .order_by("-signed_on", "-id")
        )


@write_schema
@_read_schema(serializers.FundsRecordSerializer)
class FundsRecordViewSet(FormWriteMixin, WorkflowMixin, RestrictedViewSet):
    """到位资金. Units report funds monthly (政务微信/钉钉 apps) through the page's form and services."""

    serializer_class = serializers.FundsRecordSerializer
    filterset_class = FundsRecordFilterSet
    form_class = FundsRecordForm
    create_service = projects_services.funds_create
    update_service = projects_services.funds_update

    def base_queryset(self):
        return FundsRecord.objects.select_related("project").order_by("-month", "project_id", "id")


@write_schema
@_read_schema(serializers.LeadSerializer)
class LeadViewSet(FormWriteMixin, WorkflowMixin, RestrictedViewSet):
    """招商信息."""

    serializer_class = serializers.LeadSerializer
    filterset_class = LeadFilterSet
    form_class = LeadForm
    create_service = leads_services.lead_create
    update_service = leads_services.lead_update

    def base_queryset(self):
        return Lead.objects.select_related("unit").order_by("-reported_on", "-id")


@write_schema
@_read_schema(serializers.ActivitySerializer)
class ActivityViewSet(FormWriteMixin, WorkflowMixin, RestrictedViewSet):
    """招商活动."""

    serializer_class = serializers.ActivitySerializer
    filterset_class = ActivityFilterSet
    form_class = ActivityForm
    create_service = activities_services.activity_create
    update_service = activities_services.activity_update

    def base_queryset(self):
        return Activity.objects.select_related("unit").order_by("-started_on", "-id")


@_read_schema(serializers.TargetSerializer)
class TargetViewSet(RestrictedViewSet):
    """目标任务."""

    serializer_class = serializers.TargetSerializer
    filterset_class = TargetFilterSet

    def base_queryset(self):
        return Target.objects.order_by("-year", "indicator", "id")


@_read_schema(serializers.EnterpriseSerializer)
class EnterpriseViewSet(RestrictedViewSet):
    """企业客商 (shared master data; no contacts)."""

    serializer_class = serializers.EnterpriseSerializer
    filterset_class = EnterpriseFilterSet

    def base_queryset(self):
        return Enterprise.objects.prefetch_related("tags").order_by("name", "id")


@_read_schema(serializers.PlatformRecordSerializer)
class PlatformRecordViewSet(RestrictedViewSet):
    """上级平台登记: a project's code and status on the provincial or city platform."""

    serializer_class = serializers.PlatformRecordSerializer
    filterset_fields = ("platform", "status", "project")

    def base_queryset(self):
        return PlatformRecord.objects.order_by("platform", "code", "id")


@_read_schema(serializers.PlatformFundsSerializer)
class PlatformFundsViewSet(RestrictedViewSet):
    """上级认定到位资金 (imported from the upper platform's file)."""

    serializer_class = serializers.PlatformFundsSerializer
    filterset_fields = ("platform", "project", "month")

    def base_queryset(self):
        return PlatformFunds.objects.order_by("-month", "project_id", "id")


@_read_schema(serializers.UnitSerializer)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """任务单位."""

    serializer_class = serializers.UnitSerializer

    def get_queryset(self):
        return selectors.units_visible(self.request.user)


@_read_schema(serializers.RegionSerializer)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """行政区划 (the account's region and below)."""

    serializer_class = serializers.RegionSerializer

    def get_queryset(self):
        return selectors.regions_visible(self.request.user)


def indicator_and_period(data: dict):
    """The indicator code and the period a metrics query names; 400 with the field's message."""
    code = data["indicator"].strip()
    if code not in REGISTRY:
        raise exceptions.ValidationError({"indicator": [_("没有这个指标:{code}。").format(code=code)]})
    try:
        period = periods.parse(data["period"])
    except ValueError as exc:
        raise exceptions.ValidationError(
            {"period": [_("期间格式应为 YYYY-MM、YYYY-Qn、YYYY-H1/H2 或 YYYY。")]}
        ) from exc
    return code, period


class MetricView(APIView):
    """One indicator for one scope and period, on one basis, with the same period a year earlier."""

    @extend_schema(
        parameters=[serializers.MetricQuerySerializer],
        responses={
            200: serializers.MetricSerializer,
            400: OpenApiResponse(description=_("参数错误")),
            403: OpenApiResponse(description=_("没有权限")),
            404: NOT_FOUND,
        },
        summary=_("指标数值"),
    )
    def get(self, request):
        query = serializers.MetricQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        code, period = indicator_and_period(data)
        region, unit, label = self._scope(request.user, data["scope"].strip())
        result = engine.figure(code, period=period, basis=data["basis"], region=region, unit=unit)
        growth = result.growth
        return Response(
            serializers.MetricSerializer(
                {
                    "indicator": code,
                    "name": str(result.indicator.name),
                    "unit": str(result.indicator.unit),
                    "period_start": period.start,
                    "period_end": period.end,
                    "period_label": str(period.label),
                    "basis": data["basis"],
                    "scope": label,
                    "value": result.value,
                    "previous": result.previous,
                    "growth": None if growth is None else round_half_up(growth, 6),
                }
            ).data
        )

    @staticmethod
    def _scope(user, text: str):
        """(region, unit, label) for ``scope``; 404 for a region or unit outside the account's."""
        if not user.is_superuser and user.role not in (*UNIT_ROLES, *REGION_ROLES):
            raise exceptions.PermissionDenied(_("您没有权限查看业务数据。"))
        kind, _sep, key = text.partition(":")
        if not text:
            if user.role in UNIT_ROLES and not user.is_superuser:
                return None, user.unit, f"unit:{user.unit_id}"
            region = user.scope_region
            if region is None:
                if user.is_superuser:
                    return None, None, ""
                raise exceptions.PermissionDenied(_("本账号没有管辖区划。"))
            return region, None, f"region:{region.code}"
        if kind == "region" and (user.is_superuser or user.role in REGION_ROLES):
            region = selectors.regions_visible(user).filter(code=key).first()
            if region is not None:
                return region, None, f"region:{region.code}"
        elif kind == "unit" and key.isdigit():
            unit = selectors.units_visible(user).filter(pk=int(key)).first()
            if unit is not None:
                return None, unit, f"unit:{unit.pk}"
        elif kind not in ("region", "unit"):
            raise exceptions.ValidationError(
                {"scope": [_("范围格式应为 region:<区划代码> 或 unit:<单位编号>。")]}
            )
        raise exceptions.NotFound(_("该范围不存在或不在本账号的管辖范围内。"))


class ReconciliationView(APIView):
    """Our reported and recognised funds in place against an upper platform's, per project and month."""

    @extend_schema(
        parameters=[serializers.ReconciliationQuerySerializer],
        responses={
            200: serializers.ReconciliationRowSerializer(many=True),
            400: OpenApiResponse(description=_("参数错误")),
        },
        summary=_("向上报送对账"),
    )
    def get(self, request):
        query = serializers.ReconciliationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            period = periods.parse(query.validated_data["period"])
        except ValueError as exc:
            raise exceptions.ValidationError(
                {"period": [_("期间格式应为 YYYY-MM、YYYY-Qn、YYYY-H1/H2 或 YYYY。")]}
            ) from exc
        result = upward_selectors.reconciliation(
            user=request.user, platform=query.validated_data["platform"], period=period
        )
        return Response(serializers.ReconciliationRowSerializer(result.rows, many=True).data)


def _ranked(entries: list[tuple[int, str, str, object]]) -> list[dict]:
    """Largest first; equal values share a rank and the next rank skips (1, 1, 3)."""
    entries = sorted(entries, key=lambda e: (-e[3], e[0]))
    out, rank = [], 0
    for i, (pk, code, name, value) in enumerate(entries):
        if i == 0 or value != entries[i - 1][3]:
            rank = i + 1
        out.append({"rank": rank, "id": pk, "code": code, "name": name, "value": value})
    return out


class RankingView(APIView):
    """The units, or the regions one level down (a city bureau: its counties), ranked by an indicator
    in a period on a basis — the city ranks the counties whose data flows to it. Fixed queries."""

    @extend_schema(
        parameters=[serializers.RankingQuerySerializer],
        responses={
            200: serializers.RankingRowSerializer(many=True),
            400: OpenApiResponse(description=_("参数错误")),
            403: OpenApiResponse(description=_("没有权限")),
            404: NOT_FOUND,
        },
        summary=_("排名"),
    )
    def get(self, request):
        query = serializers.RankingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        code, period = indicator_and_period(data)
        region, unit, _label = MetricView._scope(request.user, data["scope"].strip())
        if unit is not None or region is None:
            raise exceptions.PermissionDenied(_("排名须以区划为范围(招商局、领导、督查账号)。"))
        if data["by"] == "region":
            children = list(selectors.regions_visible(request.user).filter(parent=region).order_by("path"))
            indicator = REGISTRY[code]
            values = engine.measure_grouped(
                code,
                period=period,
                basis=data["basis"],
                group_by=f"{indicator.region_path}__path",
                region=region,
            )
            entries = [
                (
                    child.pk,
                    child.code,
                    child.name,
                    sum(
                        (v for path, v in values.items() if path and path.startswith(child.path)), engine.ZERO
                    ),
                )
                for child in children
            ]
        else:
            units = list(selectors.units_visible(request.user).filter(region__path__startswith=region.path))
            values = engine.measure_by_unit(
                code, period=period, basis=data["basis"], unit_ids=[u.pk for u in units]
            )
            entries = [(u.pk, "", u.name, values.get(u.pk, engine.ZERO)) for u in units]
        return Response(serializers.RankingRowSerializer(_ranked(entries), many=True).data)
