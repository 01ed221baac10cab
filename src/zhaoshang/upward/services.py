"""Upward-reporting writes: a project's registration on a platform, the export in the platform's
layout, and the import of the figures it recognised — each audited in its transaction."""

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core import access
from zhaoshang.exchange import cells, xlsx
from zhaoshang.exchange.readers import UnreadableFile, open_table
from zhaoshang.metrics.indicators import Basis, basis_filter
from zhaoshang.metrics.periods import Period
from zhaoshang.projects.models import FundsRecord, Project
from zhaoshang.upward.choices import Platform, PlatformStatus, Sheet
from zhaoshang.upward.layouts import FIELDS, columns_for
from zhaoshang.upward.models import PlatformFunds, PlatformRecord


def platform_record_set(
    *, user, project: Project, platform: str, code: str, status: str, refusal_reason: str = ""
) -> PlatformRecord:
    """Record ``project``'s code and status on ``platform`` (the bureau's act; audited)."""
    if not access.can(user, access.CHANGE, PlatformRecord):
        raise PermissionDenied(_("只有招商局可以登记上级平台信息。"))
    # The project must be one the bureau sees: a foreign one is "not found".
    access.get_restricted_or_404(Project.objects.all(), user, project.pk)
    with transaction.atomic():
        record = PlatformRecord.objects.select_for_update().filter(project=project, platform=platform).first()
        before = snapshot(record) if record else None
        if record is None:
            record = PlatformRecord(project=project, platform=platform)
        record.code = code.strip()
        record.status = status
        record.refusal_reason = refusal_reason.strip() if status == PlatformStatus.REFUSED else ""
        record.full_clean()
        if before is not None:
            record.version += 1
        record.save()
        audit_record(
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            obj=record,
            before=before,
            after=snapshot(record),
            user=user,
        )
    return record


# --- export ---------------------------------------------------------------------------------------


def _project_value(key: str, project: Project, record: PlatformRecord | None):
    match key:
        case "platform_code":
            return record.code if record else ""
        case "name":
            return project.name
        case "investor":
            return project.investor.name
        case "credit_code":
            return project.investor.credit_code or ""
        case "introducing_unit":
            return project.introducing_unit.name
        case "region_code":
            return project.region.code
        case "region":
            return project.region.name
        case "kind":
            return project.get_kind_display()
        case "industry":
            return project.industry.name if project.industry_id else ""
        case "total_investment_wan":
            return project.total_investment_wan
        case "counted_investment_wan":
            return project.counted_investment_wan
        case "signed_on":
            return project.signed_on
        case "commenced_on":
            return project.commenced_on
        case "stage":
            return project.get_stage_display()
        case "platform_status":
            return record.get_status_display() if record else PlatformStatus.NOT_REGISTERED.label
    raise KeyError(key)


def _funds_value(key: str, funds: FundsRecord, record: PlatformRecord | None):
    match key:
        case "platform_code":
            return record.code if record else ""
        case "name":
            return funds.project.name
        case "month":
            return f"{funds.month:%Y-%m}"
        case "amount_wan":
            return funds.amount_wan
        case "recognised_amount_wan":
            # The amount the bureau recognised (less than reported where it cut it).
            return funds.amount_wan if funds.recognised_amount_wan is None else funds.recognised_amount_wan
        case "outside_province_wan" | "outside_city_wan" | "foreign_usd_wan":
            return getattr(funds, key)
    raise KeyError(key)


def upward_export(*, user, platform: str, period: Period, basis: str = Basis.RECOGNISED) -> bytes:
    """The period's signed projects and funds in place, in ``platform``'s layout (``ColumnMap`` or the
    default), as an .xlsx with two sheets. 口径 as the metrics count them: signed in the period /
    funds of the period's months, on ``basis``; records held as possible duplicates excluded."""
    if not access.can(user, access.CHANGE, PlatformRecord):
        raise PermissionDenied(_("只有招商局可以导出上报文件。"))
    projects = (
        access.restrict(Project.objects.all(), user)
        .filter(
            basis_filter(basis), duplicate_hold=False, signed_on__gte=period.start, signed_on__lte=period.end
        )
        .select_related("investor", "introducing_unit", "region", "industry")
        .order_by("signed_on", "id")
    )
    funds = (
        access.restrict(FundsRecord.objects.all(), user)
        .filter(
            basis_filter(basis),
            Q(month__gte=period.start.replace(day=1), month__lte=period.end),
            project__is_deleted=False,
            project__duplicate_hold=False,
        )
        .select_related("project")
        .order_by("month", "project__name", "id")
    )
    records = {
        r.project_id: r
        for r in PlatformRecord.objects.filter(
            platform=platform,
            project_id__in=set(projects.values_list("pk", flat=True))
            | set(funds.values_list("project_id", flat=True)),
        )
    }
    out = io.BytesIO()
    book = xlsx.Workbook(out, creator="zhaoshang")
    for title, sheet, rows, value in (
        (_("项目"), Sheet.PROJECTS, projects, _project_value),
        (_("到位资金"), Sheet.FUNDS, funds, _funds_value),
    ):
        columns = columns_for(platform, sheet)
        ws = book.sheet(str(title), freeze_header=True)
        ws.append([xlsx.Cell(header, xlsx.HEADER) for _key, header in columns])
        for obj in rows:
            record = records.get(obj.pk if sheet == Sheet.PROJECTS else obj.project_id)
            ws.append([value(key, obj, record) for key, _header in columns])
        ws.close()
    book.close()
    audit_record(
        action=AuditAction.EXPORT,
        user=user,
        object_repr=_("向{platform}报送 {period}").format(
            platform=Platform(platform).label, period=period.label
        ),
        after={"platform": platform, "period": [str(period.start), str(period.end)], "basis": basis},
    )
    return out.getvalue()


# --- import ---------------------------------------------------------------------------------------

_STATUS_WORDS = {
    PlatformStatus.RECOGNISED: ("已认定", "认定", "通过", "审核通过"),
    PlatformStatus.REFUSED: ("不予认定", "未认定", "未通过", "不通过", "退回", "驳回"),
    PlatformStatus.REGISTERED: ("已登记", "登记", "待审核", "审核中"),
}


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _status_of(text: str) -> str | None:
    text = text.strip()
    for status, words in _STATUS_WORDS.items():
        if text in words:
            return status
    return None


def upward_import(*, user, platform: str, path, filename: str | None = None) -> ImportOutcome:
    """Read the figures ``platform`` recognised (its layout, ``Sheet.RECOGNISED``) and store them per
    project and month. Projects are matched by their code on the platform. All rows or none: any row
    in error and nothing is written; the errors name the row as Excel numbers it."""
    if not access.can(user, access.CHANGE, PlatformFunds):
        raise PermissionDenied(_("只有招商局可以导入上级认定数。"))
    outcome = ImportOutcome()
    wanted = columns_for(platform, Sheet.RECOGNISED)
    by_header = {cells.header_key(header)[0]: key for key, header in wanted}
    try:
        table = open_table(path, filename)
    except UnreadableFile as exc:
        outcome.errors.append(str(exc))
        return outcome
    positions: dict[str, int] | None = None
    parsed = []
    for number, values in table.rows:
        if all(cells.is_blank(v) for v in values):
            continue
        if positions is None:
            positions = {}
            for i, value in enumerate(values):
                key = by_header.get(cells.header_key(value)[0]) if not cells.is_blank(value) else None
                if key:
                    positions[key] = i
            missing = [header for key, header in wanted if key not in positions and key in _REQUIRED]
            if missing:
                outcome.errors.append(_("缺少列:{columns}").format(columns="、".join(missing)))
                return outcome
            continue

        def cell(key, values=values, positions=positions):
            i = positions.get(key)
            return values[i] if i is not None and i < len(values) else None

        try:
            code = cells.parse_code(cell("platform_code"))
            month = cells.parse_month(cell("month"))
            amount = cells.parse_amount(cell("recognised_amount_wan"))
        except cells.CellError as exc:
            outcome.errors.append(_("第{row}行:{message}").format(row=number, message=exc))
            continue
        status_text = cells.parse_text(cell("status"))
        reason = cells.parse_text(cell("reason"))[:300]
        status = _status_of(status_text) if status_text else None
        problems = []
        if not code:
            problems.append(_("未填写{column}").format(column=FIELDS[Sheet.RECOGNISED]["platform_code"]))
        if month is None:
            problems.append(_("未填写{column}").format(column=FIELDS[Sheet.RECOGNISED]["month"]))
        if amount is None and status != PlatformStatus.REFUSED:
            problems.append(
                _("未填写{column}").format(column=FIELDS[Sheet.RECOGNISED]["recognised_amount_wan"])
            )
        if amount is not None and amount < 0:
            problems.append(_("认定到位资金不能为负数"))
        if status_text and status is None:
            problems.append(_("无法识别的认定状态“{value}”").format(value=status_text))
        if status == PlatformStatus.REFUSED and not reason:
            problems.append(_("不予认定须写明原因"))
        if problems:
            outcome.errors.append(_("第{row}行:{message}").format(row=number, message=";".join(problems)))
            continue
        parsed.append((number, code, month, amount or Decimal(0), status, reason))
    if positions is None:
        outcome.errors.append(_("文件中没有数据。"))
        return outcome

    records = {
        r.code: r
        for r in access.restrict(PlatformRecord.objects.all(), user, access.CHANGE).filter(
            platform=platform, code__in={p[1] for p in parsed}
        )
    }
    seen: set[tuple[str, object]] = set()
    for number, code, month, *_rest in parsed:
        if code not in records:
            outcome.errors.append(
                _("第{row}行:平台项目编号“{code}”在本系统中没有对应项目(或不在本账号的管辖范围内)").format(
                    row=number, code=code
                )
            )
        if (code, month) in seen:
            outcome.errors.append(_("第{row}行:该项目该月份在文件中重复").format(row=number))
        seen.add((code, month))
    if outcome.errors:
        return outcome

    with transaction.atomic():
        for _number, code, month, amount, status, reason in parsed:
            record = records[code]
            _obj, created = PlatformFunds.objects.update_or_create(
                project_id=record.project_id,
                platform=platform,
                month=month,
                defaults={"recognised_amount_wan": amount, "note": reason},
            )
            if created:
                outcome.created += 1
            else:
                outcome.updated += 1
            if status and (record.status, record.refusal_reason) != (
                status,
                reason if status == PlatformStatus.REFUSED else "",
            ):
                record.status = status
                record.refusal_reason = reason if status == PlatformStatus.REFUSED else ""
                record.version += 1
                record.save(update_fields=["status", "refusal_reason", "version", "updated_at"])
        audit_record(
            action=AuditAction.IMPORT,
            user=user,
            object_repr=_("{platform}认定数 {file}").format(
                platform=Platform(platform).label, file=filename or str(path)
            )[:200],
            after={"platform": platform, "created": outcome.created, "updated": outcome.updated},
        )
    return outcome


_REQUIRED = ("platform_code", "month", "recognised_amount_wan")
