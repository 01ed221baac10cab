"""Report actions: build a report (a pure read), keep it as a draft, edit the draft (optimistic
locking, audited), export it (audited: who took which document out, SPEC §6)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record
from zhaoshang.core.services import record_create, record_update
from zhaoshang.metrics.closing import is_closed
from zhaoshang.metrics.indicators import Basis
from zhaoshang.metrics.periods import Period
from zhaoshang.organisation.choices import UnitKind
from zhaoshang.organisation.models import Region, Unit
from zhaoshang.organisation.selectors import home_region
from zhaoshang.reports.choices import ExportFormat, ReportKind
from zhaoshang.reports.document import Meta, Report
from zhaoshang.reports.exports import export
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.generators import generate
from zhaoshang.reports.models import ReportDraft, SentReport
from zhaoshang.reports.periods import report_period
from zhaoshang.targets.models import Campaign

DEFAULT_CLASSIFICATION = "内部资料"


def default_issuer(region: Region) -> str:
    """发文单位: the region's bureau (a unit of kind 招商局) if there is one, else its leading group's
    office, as seed 000 ("区招商引资工作领导小组")."""
    bureau = (
        Unit.objects.filter(kind=UnitKind.BUREAU, region=region, is_active=True).order_by("order").first()
    )
    if bureau is not None:
        return bureau.name
    return _("{region}招商引资工作领导小组办公室").format(region=region.name)


def campaign_by_name(name: str | None) -> Campaign | None:
    if not name:
        return None
    campaign = Campaign.objects.filter(name=name.strip()).first()
    if campaign is None:
        raise ValidationError(_("未找到专项行动“{name}”。").format(name=name))
    return campaign


def report_build(
    *,
    kind: str,
    region: Region,
    basis: str = Basis.RECOGNISED,
    start: str | None = None,
    end: str | None = None,
    week: str | None = None,
    campaign: Campaign | None = None,
    today: datetime.date | None = None,
) -> tuple[Report, Period]:
    """Generate a report. ``ValidationError`` for a bad kind, period or basis.

    A bulletin, 龙虎榜 or 季评比 of a closed month comes back exactly as first produced after the
    close (``SentReport``, kept then): SPEC §4, a bulletin already sent reproduces exactly."""
    today = today or timezone.localdate()
    if kind not in ReportKind.values:
        raise ValidationError(_("未知的报告类型“{kind}”。").format(kind=kind))
    if basis not in Basis.values:
        raise ValidationError(_("口径应为 recognised(认定)或 reported(上报)。"))
    try:
        period = report_period(kind, start=start, end=end, week=week, campaign=campaign, today=today)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    if kind in KEPT_KINDS and is_closed(period.end):
        return report_kept(kind=kind, region=region, basis=basis, period=period, today=today), period
    ctx = ReportContext(region=region, period=period, basis=basis, today=today, campaign=campaign)
    return generate(kind, ctx), period


# The periodic reports a bureau sends for a month (SPEC §4: reproducible once the month is closed).
KEPT_KINDS = (ReportKind.BULLETIN, ReportKind.LEADERBOARD, ReportKind.QUARTERLY)


def report_kept(*, kind: str, region: Region, basis: str, period: Period, today: datetime.date) -> Report:
    """The kept report of a closed period: the one produced first after the close, produced now if
    there is none yet (from the closed month's frozen figures)."""
    key = {
        "region": region,
        "kind": kind,
        "basis": basis,
        "period_start": period.start,
        "period_end": period.end,
        "superseded_at__isnull": True,
    }
    kept = SentReport.objects.filter(**key).first()
    if kept is None:
        ctx = ReportContext(region=region, period=period, basis=basis, today=today)
        report = generate(kind, ctx)
        with transaction.atomic():
            kept, _created = SentReport.objects.get_or_create(
                **key,
                defaults={
                    "period_label": period.label,
                    "title": report.title[:200],
                    "markdown": report.markdown,
                    "charts": report.charts,
                    "kept_at": timezone.now(),
                },
            )
    return Report(
        kind=kind,
        title=kept.title,
        markdown=kept.markdown,
        charts=kept.charts,
        period_label=kept.period_label,
        basis=basis,
    )


def reports_keep(*, month: datetime.date, today: datetime.date | None = None) -> int:
    """At a month's close: keep its bulletin (both bases) for the home region now, so that what is
    reproduced later is what the figures said at the close."""
    region = home_region()
    if region is None:
        return 0
    today = today or timezone.localdate()
    period = report_period(ReportKind.BULLETIN, end=f"{month:%Y-%m}", today=today)
    for basis in Basis.values:
        report_kept(kind=ReportKind.BULLETIN, region=region, basis=basis, period=period, today=today)
    return len(Basis.values)


def reports_supersede(*, month: datetime.date) -> int:
    """At a month's reopening: its kept reports no longer stand (they stay, marked superseded)."""
    return SentReport.objects.filter(
        superseded_at__isnull=True, period_end__year=month.year, period_end__month=month.month
    ).update(superseded_at=timezone.now())


def default_issued_on(period, today: datetime.date) -> datetime.date:
    """成文日期 by default: the period's closing date for a past period (a 1–7月 report generated in
    December is dated 7月31日, not the day it was generated), today while the period runs."""
    return min(period.end, today)


def report_draft_create(
    *,
    user,
    kind: str,
    region: Region,
    basis: str = Basis.RECOGNISED,
    start: str | None = None,
    end: str | None = None,
    week: str | None = None,
    campaign: Campaign | None = None,
    today: datetime.date | None = None,
) -> ReportDraft:
    """Generate a report and keep it as a draft the bureau can edit before exporting."""
    today = today or timezone.localdate()
    report, period = report_build(
        kind=kind, region=region, basis=basis, start=start, end=end, week=week, campaign=campaign, today=today
    )
    draft = ReportDraft(
        region=region,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        campaign=campaign,
        basis=basis,
        title=report.title[:120],
        generated_markdown=report.markdown,
        charts=report.charts,
        generated_at=timezone.now(),
        classification=DEFAULT_CLASSIFICATION,
        issuer=default_issuer(region),
        issued_on=default_issued_on(period, today),
    )
    return record_create(user=user, instance=draft)


def report_draft_edit(
    *,
    user,
    draft: ReportDraft,
    markdown: str,
    read_version: int | None,
    doc_number: str = "",
    classification: str = "",
    issuer: str = "",
    issued_on: datetime.date | None = None,
) -> ReportDraft:
    """Keep the bureau's edited text (and the 公文 elements) with who edited it and when; a save at a
    stale version raises ``core.services.StaleEdit`` rather than overwrite another person's edit."""
    text = markdown.replace("\r\n", "\n")
    draft.edited_markdown = "" if text.strip() == draft.generated_markdown.strip() else text
    draft.doc_number = doc_number.strip()
    draft.classification = classification.strip()
    draft.issuer = issuer.strip()
    draft.issued_on = issued_on
    draft.edited_by = user if user is not None and user.pk else None
    draft.edited_at = timezone.now()
    return record_update(user=user, instance=draft, read_version=read_version)


def watermark_for(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    name = user.get_full_name() or user.get_username()
    return f"{name} {timezone.localtime():%Y-%m-%d %H:%M}"


def meta_for(draft: ReportDraft, *, viewer=None) -> Meta:
    return Meta(
        title=draft.title,
        classification=draft.classification,
        doc_number=draft.doc_number,
        issuer=draft.issuer,
        issued_on=draft.issued_on,
        watermark=watermark_for(viewer),
    )


def report_draft_export(*, user, draft: ReportDraft, fmt: str) -> bytes:
    """The draft (edited text when there is one) as a file; the export is written to the audit
    trail (who took which document out, in which format)."""
    if fmt not in ExportFormat.values:
        raise ValidationError(_("不支持的格式“{fmt}”。").format(fmt=fmt))
    content = export(text=draft.markdown, charts=draft.charts, meta=meta_for(draft, viewer=user), fmt=fmt)
    audit_record(
        action=AuditAction.EXPORT,
        obj=draft,
        after={"format": fmt, "version": draft.version, "edited": draft.is_edited},
        user=user,
    )
    return content
