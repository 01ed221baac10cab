"""Month close (关账, SPEC §4): once the bureau closes a month, every figure of it reproduces exactly as
sent, whatever is corrected later.

How. The monthly summary (``metrics.rollup``) always equals the records. Closing month M copies M's
summary rows into ``ClosedFigure`` as layer "base". From then on the engine reads a closed month from
its base rows, never from the live summary. When a record of a closed month changes afterwards (a
correction recognised in December to a project signed in October), ``rollup.settle`` finds the
closed month's live cells differing from what the ledger accounts for and posts the difference as an
"adjust" row into the open month the change was made in: the correction counts from the month it is
recognised in (on the 认定 basis the figures only move when the bureau recognises). So, for every
summary key and closed month m::

    live(m) = base(m) + Σ adjust(origin = m)          (``verify`` checks it)

and a figure over a period is Σ base (closed months) + Σ live (open months) + Σ adjust posted into
the period. Totals over all months still equal the records.

Months close in order and reopen in reverse order, like accounting periods: the closed months are
every month up to ``closed_through()``. Reopening the latest closed month (audited, with a reason)
drops its base rows and the adjustments that came from it, so its corrections go back into it; what
other months' corrections had posted into it stays.

Figures outside the summary (indicators it does not hold, periods that are not whole months) are
counted from the records as they are now; the bulletin of a closed month is kept as sent
(``reports.services``) so it reproduces byte for byte all the same.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record
from zhaoshang.metrics.models import ClosedFigure, ClosedMonth
from zhaoshang.metrics.periods import next_month


def closed_through() -> datetime.date | None:
    """The first day of the latest closed month, or None when no month is closed."""
    return ClosedMonth.objects.order_by("-month").values_list("month", flat=True).first()


def is_closed(month: datetime.date) -> bool:
    last = closed_through()
    return last is not None and month.replace(day=1) <= last


def _label(month: datetime.date) -> str:
    return _("{y}年{m}月").format(y=month.year, m=month.month)


def month_close(*, user, month: datetime.date, today: datetime.date | None = None) -> list[datetime.date]:
    """Close ``month`` and every open month before it; returns the months closed.

    Refused for a month not yet over. The summary is settled first, so that every change made before
    the close is in what is frozen.
    """
    from zhaoshang.metrics import rollup

    month = month.replace(day=1)
    today = today or timezone.localdate()
    if not rollup.enabled():
        raise ValidationError(_("月度汇总已关闭（ZHAOSHANG_ROLLUP=0），不能关账。"))
    if next_month(month) > today:
        raise ValidationError(_("{m}尚未结束，不能关账。").format(m=_label(month)))
    with transaction.atomic():
        rollup.settle()
        last = closed_through()
        if last is not None and month <= last:
            raise ValidationError(_("{m}已关账。").format(m=_label(month)))
        if last is not None:
            first = next_month(last)
        else:
            months = rollup.data_months()
            first = min(months[0], month) if months else month
        closing = rollup._months(first, month)
        now = timezone.now()
        ClosedMonth.objects.bulk_create(
            [ClosedMonth(month=m, closed_at=now, closed_by=user) for m in closing]
        )
        with connection.cursor() as c:
            c.execute(
                f"INSERT INTO {rollup.LEDGER} (layer, {rollup.KEY}, origin, value, records, created_at) "
                f"SELECT 'base', {rollup.KEY}, NULL, SUM(value), SUM(records), %s FROM {rollup.TABLE} "
                f"WHERE level <> 'meta' AND month >= %s AND month <= %s GROUP BY {rollup.KEY}",
                [now, first, month],
            )
        # The reports sent for the month, kept as the frozen figures give them (local import: the
        # reports phrase metrics, not the other way round).
        from zhaoshang.reports.services import reports_keep

        reports_keep(month=month, today=today)
        audit_record(
            action=AuditAction.CLOSE,
            user=user,
            object_repr=_("关账：{a}至{b}").format(a=_label(first), b=_label(month))
            if len(closing) > 1
            else _("关账：{m}").format(m=_label(month)),
            after={"months": [f"{m:%Y-%m}" for m in closing]},
        )
    return closing


def month_reopen(*, user, month: datetime.date, reason: str) -> None:
    """Reopen the latest closed month, with a reason (audited). Its corrections since the close go
    back into it: the adjustments they had posted into later months are dropped."""
    month = month.replace(day=1)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重新开账的原因。"))
    with transaction.atomic():
        last = closed_through()
        if last is None or month > last:
            raise ValidationError(_("{m}尚未关账。").format(m=_label(month)))
        if month != last:
            raise ValidationError(
                _("只能重新开账最近关账的月份（{m}）；请按时间倒序逐月重新开账。").format(m=_label(last))
            )
        closed = ClosedMonth.objects.get(month=month)
        ClosedFigure.objects.filter(layer="base", month=month).delete()
        ClosedFigure.objects.filter(layer="adjust", origin=month).delete()
        audit_record(
            action=AuditAction.REOPEN,
            user=user,
            object_repr=_("重新开账：{m}").format(m=_label(month)),
            before={"closed_at": closed.closed_at.isoformat(), "closed_by": closed.closed_by_id},
            after={"month": f"{month:%Y-%m}", "reason": reason},
        )
        closed.delete()
        from zhaoshang.reports.services import reports_supersede

        reports_supersede(month=month)
