"""Reads for upward reporting: the reconciliation of our funds figures with an upper platform's."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext as _

from zhaoshang.core import access
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.metrics.periods import Period
from zhaoshang.projects.models import FundsRecord, Project
from zhaoshang.upward.choices import PlatformStatus
from zhaoshang.upward.models import PlatformFunds, PlatformRecord

ZERO = Decimal(0)
REPORTED_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.RECOGNISED)


@dataclass
class ReconciliationRow:
    project: Project
    month: datetime.date
    record: PlatformRecord | None
    reported: Decimal  # 上报口径: submitted or recognised records, as reported
    recognised: Decimal  # 认定口径: recognised records, at the amount the bureau recognised
    upper: Decimal | None  # what the upper platform recognised; None when it sent nothing
    upper_note: str

    @property
    def difference_reported(self) -> Decimal:
        """上级认定 − 本级上报."""
        return (self.upper or ZERO) - self.reported

    @property
    def difference_recognised(self) -> Decimal:
        """上级认定 − 本级认定."""
        return (self.upper or ZERO) - self.recognised

    @property
    def differs(self) -> bool:
        return self.difference_recognised != 0 or self.difference_reported != 0

    @property
    def reason(self) -> str:
        """Why the figures differ: the upper platform's own note when it gave one, else what our
        records show (not registered there, refused there, nothing sent back, not recognised here)."""
        if not self.differs:
            return ""
        if self.upper_note:
            return self.upper_note
        record = self.record
        if record is None or record.status == PlatformStatus.NOT_REGISTERED:
            return _("项目未在上级平台登记")
        if record.status == PlatformStatus.REFUSED:
            return _("上级平台不予认定:{reason}").format(reason=record.refusal_reason)
        if self.upper is None:
            return _("上级平台无该月认定数")
        if self.reported == 0:
            return _("本级无该月上报的到位资金")
        if self.recognised == 0:
            return _("本级尚未认定")
        return _("上级认定数与本级认定数不一致")


@dataclass
class Reconciliation:
    rows: list[ReconciliationRow]

    @property
    def reported(self) -> Decimal:
        return sum((r.reported for r in self.rows), ZERO)

    @property
    def recognised(self) -> Decimal:
        return sum((r.recognised for r in self.rows), ZERO)

    @property
    def upper(self) -> Decimal:
        return sum((r.upper or ZERO for r in self.rows), ZERO)

    @property
    def difference_reported(self) -> Decimal:
        return self.upper - self.reported

    @property
    def difference_recognised(self) -> Decimal:
        return self.upper - self.recognised

    @property
    def differing(self) -> list[ReconciliationRow]:
        return [r for r in self.rows if r.differs]


def reconciliation(*, user, platform: str, period: Period, region=None) -> Reconciliation:
    """Per project and month of ``period``: our reported and recognised funds in place beside the
    amount ``platform`` recognised (口径: as ``metrics`` counts 实际到位资金 — reported = submitted or
    recognised records; recognised = recognised records at the bureau's recognised amount). Every
    project-month that either side has is listed. Fixed number of queries."""
    in_period = Q(month__gte=period.start.replace(day=1), month__lte=period.end)
    ours = access.restrict(
        FundsRecord.objects.filter(in_period, project__is_deleted=False, project__duplicate_hold=False), user
    )
    theirs = access.restrict(PlatformFunds.objects.filter(in_period, platform=platform), user)
    if region is not None:
        ours = ours.filter(project__region__path__startswith=region.path)
        theirs = theirs.filter(project__region__path__startswith=region.path)
    cells: dict[tuple[int, datetime.date], dict] = {}
    for row in ours.filter(review_status__in=REPORTED_STATUSES).values(
        "project_id", "month", "amount_wan", "recognised_amount_wan", "review_status"
    ):
        cell = cells.setdefault((row["project_id"], row["month"]), {"reported": ZERO, "recognised": ZERO})
        cell["reported"] += row["amount_wan"]
        if row["review_status"] == ReviewStatus.RECOGNISED:
            amount = row["recognised_amount_wan"]
            cell["recognised"] += row["amount_wan"] if amount is None else amount
    for row in theirs.values("project_id", "month", "recognised_amount_wan", "note"):
        cell = cells.setdefault((row["project_id"], row["month"]), {"reported": ZERO, "recognised": ZERO})
        cell["upper"] = row["recognised_amount_wan"]
        cell["note"] = row["note"]
    project_ids = {pid for pid, _month in cells}
    projects = Project.objects.in_bulk(project_ids)
    records = {
        r.project_id: r for r in PlatformRecord.objects.filter(project_id__in=project_ids, platform=platform)
    }
    rows = [
        ReconciliationRow(
            project=projects[pid],
            month=month,
            record=records.get(pid),
            reported=cell["reported"],
            recognised=cell["recognised"],
            upper=cell.get("upper"),
            upper_note=cell.get("note", ""),
        )
        for (pid, month), cell in cells.items()
    ]
    rows.sort(key=lambda r: (r.project.name, r.project.pk, r.month))
    return Reconciliation(rows)


def registrations(*, user, platform: str, search: str = ""):
    """The projects ``user`` sees (signed or not, alive), each with its ``platform`` record if any:
    ``p.on_platform_code`` / ``p.on_platform_status`` / ``p.on_platform_reason``. One query per page."""
    queryset = (
        access.restrict(Project.objects.all(), user)
        .annotate(
            on_platform=FilteredRelation("platform_records", condition=Q(platform_records__platform=platform))
        )
        .annotate(
            on_platform_code=models.F("on_platform__code"),
            on_platform_status=models.F("on_platform__status"),
            on_platform_reason=models.F("on_platform__refusal_reason"),
        )
        .select_related("introducing_unit", "region")
        .order_by("-signed_on", "-id")
    )
    search = search.strip()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(on_platform__code__icontains=search))
    return queryset
