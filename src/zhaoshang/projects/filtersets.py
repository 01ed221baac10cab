import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import (
    DateFromFilter,
    DateToFilter,
    SearchFilterSet,
    review_status_filter,
    yes_no_filter,
)
from zhaoshang.organisation.models import Industry, Unit
from zhaoshang.projects.choices import (
    ComplaintStatus,
    DuplicateStatus,
    ProblemStatus,
    ProjectKind,
    Stage,
    Verdict,
)
from zhaoshang.projects.models import (
    Complaint,
    DuplicateCandidate,
    FundsRecord,
    PreReviewMeeting,
    Project,
    ProjectProblem,
)

SIZE_BANDS = [
    ("20yi", _("20亿元以上")),
    ("10-20yi", _("10–20亿元(不含20亿元)")),
    ("5-10yi", _("5–10亿元(不含10亿元)")),
    ("1-5yi", _("1–5亿元(不含5亿元)")),
    ("1yi", _("亿元以上")),
    ("lt1yi", _("1亿元以下")),
]
# SPEC §3: "X以上" includes X; bands are [low, high) in 万元.
_BAND_BOUNDS = {
    "20yi": (200000, None),
    "10-20yi": (100000, 200000),
    "5-10yi": (50000, 100000),
    "1-5yi": (10000, 50000),
    "1yi": (10000, None),
    "lt1yi": (None, 10000),
}


class ProjectFilterSet(SearchFilterSet):
    search_fields = ("name", "investor__name", "investor__credit_code", "note")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("项目阶段"), empty_label=_("全部"))
    introducing_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("引进单位"), empty_label=_("全部")
    )
    industry = django_filters.ModelChoiceFilter(
        queryset=Industry.objects.filter(kind="leading"), label=_("所属产业"), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(
        choices=ProjectKind.choices, label=_("项目类别"), empty_label=_("全部")
    )
    size = django_filters.ChoiceFilter(
        choices=SIZE_BANDS, method="filter_size", label=_("投资规模"), empty_label=_("全部")
    )
    signed_from = DateFromFilter("signed_on", _("签约日期从"))
    signed_to = DateToFilter("signed_on", _("签约日期至"))
    commenced_from = DateFromFilter("commenced_on", _("开工日期从"))
    commenced_to = DateToFilter("commenced_on", _("开工日期至"))
    is_major = yes_no_filter(_("重大项目"))
    is_leading_industry = yes_no_filter(_("主导产业"))
    review_status = review_status_filter()

    class Meta:
        model = Project
        fields = []

    def filter_size(self, queryset, name, value):
        low, high = _BAND_BOUNDS[value]
        condition = Q()
        if low is not None:
            condition &= Q(total_investment_wan__gte=low)
        if high is not None:
            condition &= Q(total_investment_wan__lt=high)
        return queryset.filter(condition)


class FundsRecordFilterSet(SearchFilterSet):
    search_fields = ("project__name", "project__investor__name")
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte", label=_("月份从"))
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte", label=_("月份至"))
    project__introducing_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("引进单位"), empty_label=_("全部")
    )
    review_status = review_status_filter()

    class Meta:
        model = FundsRecord
        fields = []


class PreReviewMeetingFilterSet(SearchFilterSet):
    search_fields = ("title", "departments", "verdicts__project__name")
    held_from = DateFromFilter("held_on", _("召开日期从"))
    held_to = DateToFilter("held_on", _("召开日期至"))
    verdict = django_filters.ChoiceFilter(
        field_name="verdicts__verdict",
        choices=Verdict.choices,
        label=_("含结论"),
        empty_label=_("全部"),
        distinct=True,
    )

    class Meta:
        model = PreReviewMeeting
        fields = []


class ProjectProblemFilterSet(SearchFilterSet):
    search_fields = ("description", "project__name", "resolution")
    status = django_filters.ChoiceFilter(
        choices=ProblemStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    owner_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("责任单位"), empty_label=_("全部")
    )
    deadline_to = DateToFilter("deadline", _("办结时限至"))

    class Meta:
        model = ProjectProblem
        fields = []


class ComplaintFilterSet(SearchFilterSet):
    search_fields = ("content", "enterprise__name", "project__name", "response")
    status = django_filters.ChoiceFilter(
        choices=ComplaintStatus.choices, label=_("状态"), empty_label=_("全部")
    )
    owner_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("承办单位"), empty_label=_("全部")
    )
    received_from = DateFromFilter("received_on", _("受理日期从"))
    received_to = DateToFilter("received_on", _("受理日期至"))

    class Meta:
        model = Complaint
        fields = []


class DuplicateCandidateFilterSet(SearchFilterSet):
    search_fields = ("project__name", "other__name", "project__investor__name", "other__investor__name")
    status = django_filters.ChoiceFilter(
        choices=DuplicateStatus.choices, label=_("核查结果"), empty_label=_("全部")
    )

    class Meta:
        model = DuplicateCandidate
        fields = []
