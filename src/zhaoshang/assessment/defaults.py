"""Default 考核办法 modelled on the seeds, for a new year or the demo: ``create_default_schemes``.

- 任务单位 (seed 000's 乡镇街道、园区、区直部门): 签约亿元以上项目 30分, 签约额 20分, 新开工项目 15分,
  实际到位资金 15分, 招商信息 10分, 外出招商 10分 — each 分值 × min(完成率 ÷ 序时进度, 1.2);
- 产业招商专班 (seed 000's 五大招商专班): 签约亿元以上项目 30, 签约额 20, 有价值信息 15, 外出天数 15,
  拜访企业 10, 来访考察 10;
- both: 加分 2分 per 10亿元以上 project signed; 扣分 1分 per project past its agreed start date (at
  most 5); 扣分 5分 per falsified project and 一票否决; any other matter the bureau vetoes;
- a city or province also ranks its counties (seed 003): 签约亿元以上项目 40, 实际到位资金 40,
  新开工项目 20, 加分 2分 per 10亿元以上 project.
"""

from decimal import Decimal

from django.db import transaction

from zhaoshang.assessment.choices import ItemKind, ScoringRule, VetoRule
from zhaoshang.assessment.models import Scheme, SchemeItem
from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.organisation.choices import RegionLevel, UnitKind
from zhaoshang.organisation.models import AssessmentGroup, Region, Unit

D = Decimal
CAP = D("1.2")


def _completion(code: str, weight: int) -> dict:
    return {"indicator": code, "rule": ScoringRule.COMPLETION, "weight": D(weight), "cap": CAP}


BONUS_AND_DEDUCTIONS = [
    {
        "indicator": "signed_projects_1b",
        "label": "签约10亿元以上项目加分",
        "kind": ItemKind.BONUS,
        "rule": ScoringRule.PER_ITEM,
        "points_per_item": D(2),
    },
    {
        "indicator": "overdue_start_projects",
        "label": "项目逾期未开工扣分",
        "kind": ItemKind.DEDUCTION,
        "rule": ScoringRule.PER_ITEM,
        "points_per_item": D(1),
        "weight": D(5),
    },
    {
        "indicator": "falsified_projects",
        "label": "项目弄虚作假",
        "kind": ItemKind.DEDUCTION,
        "rule": ScoringRule.PER_ITEM,
        "points_per_item": D(5),
        "veto": VetoRule.OCCURRED,
    },
    {
        "indicator": "veto_findings",
        "kind": ItemKind.DEDUCTION,
        "rule": ScoringRule.PER_ITEM,
        "points_per_item": D(0),
        "veto": VetoRule.OCCURRED,
    },
]

TASK_UNIT_ITEMS = [
    _completion("signed_projects_100m", 30),
    _completion("signed_amount_wan", 20),
    _completion("commenced_projects", 15),
    _completion("funds_wan", 15),
    _completion("leads", 10),
    _completion("trips", 10),
    *BONUS_AND_DEDUCTIONS,
]
TASK_FORCE_ITEMS = [
    _completion("signed_projects_100m", 30),
    _completion("signed_amount_wan", 20),
    _completion("valuable_leads", 15),
    _completion("days_away", 15),
    _completion("visits", 10),
    _completion("inspections", 10),
    *BONUS_AND_DEDUCTIONS,
]
REGION_ITEMS = [
    _completion("signed_projects_100m", 40),
    _completion("funds_wan", 40),
    _completion("commenced_projects", 20),
    BONUS_AND_DEDUCTIONS[0],
]
TASK_FORCE_KINDS = (UnitKind.TASK_FORCE, UnitKind.RESIDENT_OFFICE)
# The assessment groups a blank deployment starts with (seed 000 ranks 任务单位 and 专班 apart), with
# the items their default scheme scores before any unit is in them.
DEFAULT_GROUPS = {"任务单位": (1, TASK_UNIT_ITEMS), "产业招商专班": (2, TASK_FORCE_ITEMS)}


def default_groups() -> list[AssessmentGroup]:
    """The default assessment groups, created where missing (a units import names them in 考核组别)."""
    return [
        AssessmentGroup.objects.get_or_create(name=name, defaults={"order": order})[0]
        for name, (order, _items) in DEFAULT_GROUPS.items()
    ]


def scheme_create(*, user, items: list[dict], **fields) -> Scheme:
    """A scheme and its items (dicts of ``SchemeItem`` fields), audited with the items listed."""
    scheme = Scheme.objects.create(**fields)
    SchemeItem.objects.bulk_create(
        [SchemeItem(scheme=scheme, order=(i + 1) * 10, **spec) for i, spec in enumerate(items)]
    )
    after = snapshot(scheme)
    after["items"] = [
        [s["indicator"], s["rule"], str(s.get("weight") or s.get("points_per_item"))] for s in items
    ]
    audit_record(action=AuditAction.CREATE, obj=scheme, after=after, user=user)
    return scheme


def create_default_schemes(
    *, year: int, region: Region, user=None, with_default_groups: bool = False
) -> list[Scheme]:
    """The default schemes of ``year`` for ``region``: one per assessment group with active units in
    the region, and a county ranking for a city or a province. ``with_default_groups`` covers the
    default groups too while no unit is in them yet (a blank deployment). Existing schemes are left as
    they are; returns the schemes created."""
    created = []
    with transaction.atomic():
        units = Unit.objects.filter(
            is_active=True, assessment_group__isnull=False, region__path__startswith=region.path
        ).values_list("assessment_group_id", "kind")
        kinds: dict[int, list[str]] = {}
        for group_id, kind in units:
            kinds.setdefault(group_id, []).append(kind)
        taken = set(
            Scheme.objects.filter(year=year, assessment_group__isnull=False).values_list(
                "assessment_group_id", flat=True
            )
        )
        groups = AssessmentGroup.objects.filter(pk__in=kinds)
        if with_default_groups:
            groups = groups | AssessmentGroup.objects.filter(name__in=DEFAULT_GROUPS)
        for group in groups.distinct().order_by("order", "name"):
            if group.pk in taken:
                continue
            if group.pk in kinds:
                forces = sum(1 for k in kinds[group.pk] if k in TASK_FORCE_KINDS)
                items = TASK_FORCE_ITEMS if forces * 2 > len(kinds[group.pk]) else TASK_UNIT_ITEMS
            else:
                items = DEFAULT_GROUPS[group.name][1]
            created.append(
                scheme_create(
                    user=user,
                    items=items,
                    year=year,
                    name=f"{group.name}招商引资考核办法",
                    region=region,
                    assessment_group=group,
                    bottom_count=1,
                )
            )
        if (
            region.level in (RegionLevel.PROVINCE, RegionLevel.CITY)
            and region.children.exists()
            and not Scheme.objects.filter(year=year, region=region, assessment_group__isnull=True).exists()
        ):
            created.append(
                scheme_create(
                    user=user,
                    items=REGION_ITEMS,
                    year=year,
                    name=f"{region.name}招商引资考核(县市区排名)",
                    region=region,
                    assessment_group=None,
                )
            )
    return created
