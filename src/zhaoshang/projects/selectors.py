"""Reads about projects that several areas share: duplicate candidates and extreme values (防水分).

SPEC §2 "Duplicate and inflated counting": the same project reported by two units, or reported again
after an upgrade, must count once; possible duplicates (same investor's credit code, similar name,
close amount, same location) go to a review pool before they count; extreme values (a single project
above 100亿元, funds in place above total investment) are flagged.
"""

import datetime
import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.formatting import plain, wan_to_yi
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

# How alike two names must be (difflib ratio of the normalised names) to count as "similar".
SIMILAR_NAME_RATIO = 0.8
# Project names follow templates ("XX动力电池回收利用项目"), so when the project name is the only
# thing two reports share — different investors — it must be closer still.
SIMILAR_PROJECT_ONLY_RATIO = 0.9
# How close two amounts must be: |a − b| ≤ 10% of the larger.
CLOSE_AMOUNT_SHARE = Decimal("0.1")
# A single project at or above 100亿元 (1 000 000 万元) is an extreme value ("X以上" includes X).
EXTREME_INVESTMENT_WAN = Decimal(1_000_000)

DUPLICATE_REASON_LABELS = {
    "credit_code": _("投资方统一社会信用代码相同"),
    "investor_name": _("投资方名称相近"),
    "project_name": _("项目名称相近"),
    "amount": _("投资额相近(相差不超过10%)"),
    "region": _("落地区划相同"),
}

_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "集团", "厂")
_PROJECT_WORDS = ("建设项目", "项目", "工程")
_PUNCTUATION = re.compile(r"[\s()\[\]{}<>《》“”\"'、,.,。·\-—_/]+")


def normalise_name(name: str, *, suffixes: Iterable[str] = ()) -> str:
    """A name reduced for comparison: full-width folded (NFKC), spaces, brackets and punctuation
    dropped, a trailing company-form or project word removed, lower-cased."""
    text = _PUNCTUATION.sub("", unicodedata.normalize("NFKC", name or "")).lower()
    stripped = True
    while stripped:  # "(集团)有限公司": the company form, then the group word
        stripped = False
        for suffix in suffixes:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text, stripped = text[: -len(suffix)], True
                break
    return text


def normalise_company(name: str) -> str:
    return normalise_name(name, suffixes=_COMPANY_SUFFIXES)


def normalise_project(name: str) -> str:
    return normalise_name(name, suffixes=_PROJECT_WORDS)


def similar(a: str, b: str, ratio: float = SIMILAR_NAME_RATIO) -> bool:
    """Whether two normalised names are alike (difflib ratio ≥ 0.8); the cheap upper bounds first."""
    if not a or not b:
        return False
    if a == b:
        return True
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio and matcher.ratio() >= ratio


def close_amounts(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return False
    high = max(a, b)
    if high == 0:
        return True
    return abs(a - b) <= high * CLOSE_AMOUNT_SHARE


@dataclass(frozen=True)
class _Profile:
    """What the comparison needs of a project, read once."""

    pk: int
    region_id: int
    amount: Decimal
    investor_id: int
    credit_code: str
    investor: str
    name: str

    @classmethod
    def of(cls, project: Project) -> "_Profile":
        return cls(
            project.pk,
            project.region_id,
            project.total_investment_wan,
            project.investor_id,
            project.investor.credit_code,
            normalise_company(project.investor.name),
            normalise_project(project.name),
        )


def duplicate_reasons(a: _Profile, b: _Profile) -> list[str]:
    """Why ``a`` and ``b`` may be one project, or [] when they are not alike enough.

    A pair is a candidate when the two land in the same region, their amounts are within 10% of each
    other, and something identifies them as one: the same investor (credit code or the same record),
    similar investor names (ratio ≥ 0.8), or similar project names (≥ 0.8 for the same or a similar
    investor; ≥ 0.9 when the investors differ — a changed investor keeps one record, SPEC §2).
    """
    if a.region_id != b.region_id or not close_amounts(a.amount, b.amount):
        return []
    identity = []
    if a.investor_id == b.investor_id or (a.credit_code and a.credit_code == b.credit_code):
        identity.append("credit_code")
    elif similar(a.investor, b.investor):
        identity.append("investor_name")
    if similar(a.name, b.name, SIMILAR_NAME_RATIO if identity else SIMILAR_PROJECT_ONLY_RATIO):
        identity.append("project_name")
    if not identity:
        return []
    return [*identity, "amount", "region"]


def _comparable() -> "Iterable[Project]":
    # Withdrawn (退库) projects never count, so they cannot double-count either.
    return (
        Project.objects.filter(is_deleted=False)
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("investor", "introducing_unit")
    )


def duplicate_candidates_for(project: Project) -> list[tuple[Project, list[str]]]:
    """The live projects that ``project`` may duplicate, with the reasons (one indexed query: same
    region, amount within 10%)."""
    amount = project.total_investment_wan or Decimal(0)
    others = _comparable().filter(
        region_id=project.region_id,
        total_investment_wan__gte=amount * (1 - CLOSE_AMOUNT_SHARE),
        total_investment_wan__lte=amount / (1 - CLOSE_AMOUNT_SHARE),
    )
    mine = _Profile.of(project)
    found = []
    for other in others.exclude(pk=project.pk).order_by("pk"):
        reasons = duplicate_reasons(mine, _Profile.of(other))
        if reasons:
            found.append((other, reasons))
    return found


def duplicate_pairs(
    projects: Iterable[Project] | None = None,
) -> Iterator[tuple[Project, Project, list[str]]]:
    """Every pair of live projects that may be one (the earlier-created first), for the daily scan.

    Projects are grouped by region and sorted by amount, so each is compared only with the few whose
    amount is within 10% of its own.
    """
    rows = list(
        projects if projects is not None else _comparable().order_by("region_id", "total_investment_wan")
    )
    by_region: dict[int, list[tuple[Project, _Profile]]] = {}
    for project in rows:
        by_region.setdefault(project.region_id, []).append((project, _Profile.of(project)))
    for members in by_region.values():
        members.sort(key=lambda item: item[1].amount)
        for i, (project, profile) in enumerate(members):
            for other, other_profile in members[i + 1 :]:
                if not close_amounts(profile.amount, other_profile.amount):
                    break
                reasons = duplicate_reasons(profile, other_profile)
                if reasons:
                    first, second = sorted((project, other), key=lambda p: p.pk)
                    yield second, first, reasons


# --- extreme values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """A value to verify: which rule, on which project, in words."""

    code: str
    project: Project
    text: str


FLAG_LABELS = {
    "extreme_investment": _("单个项目总投资100亿元以上"),
    "funds_above_investment": _("到位资金超过总投资"),
    "signed_in_future": _("签约日期晚于今天"),
}


def extreme_value_flags(
    *, projects=None, today: datetime.date, region=None, threshold: Decimal = EXTREME_INVESTMENT_WAN
) -> list[Flag]:
    """Extreme values to verify (SPEC §2 防水分): a single project of 100亿元 or more, funds in place
    (all months, every record not deleted) above the project's total investment, a signing date in
    the future. Three queries whatever the number of projects."""
    base = projects if projects is not None else Project.objects.all()
    base = base.filter(is_deleted=False).exclude(stage=Stage.WITHDRAWN).select_related("introducing_unit")
    if region is not None:
        base = base.filter(region__path__startswith=region.path)
    flags = []
    for project in base.filter(total_investment_wan__gte=threshold).order_by("pk"):
        flags.append(
            Flag(
                "extreme_investment",
                project,
                _("总投资{amount}亿元,达到{limit}亿元以上,请核实").format(
                    amount=wan_to_yi(project.total_investment_wan), limit=wan_to_yi(threshold)
                ),
            )
        )
    funded = base.annotate(funds_total=Sum("funds__amount_wan", filter=Q(funds__is_deleted=False))).filter(
        funds_total__gt=F("total_investment_wan")
    )
    for project in funded.order_by("pk"):
        flags.append(
            Flag(
                "funds_above_investment",
                project,
                _("累计到位资金{funds}万元,超过总投资{total}万元").format(
                    funds=plain(project.funds_total), total=plain(project.total_investment_wan)
                ),
            )
        )
    for project in base.filter(signed_on__gt=today).order_by("pk"):
        flags.append(
            Flag(
                "signed_in_future",
                project,
                _("签约日期{date}晚于今天").format(date=f"{project.signed_on:%Y-%m-%d}"),
            )
        )
    return flags
