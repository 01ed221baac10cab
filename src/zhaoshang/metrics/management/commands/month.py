"""``zhaoshang month close YYYY-MM`` / ``zhaoshang month reopen YYYY-MM --reason TEXT`` (SPEC §5)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.metrics.closing import month_close, month_reopen


def _month(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError as exc:
        raise CommandError(_("月份应写作 YYYY-MM,如 2026-11:{t}").format(t=text)) from exc


class Command(BaseCommand):
    help = _("月份关账(close)与重新开账(reopen,须写明原因);命令行代表招商局操作,均记入审计日志")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("close", "reopen"))
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--reason", default="", help=_("重新开账的原因"))

    def handle(self, *args, action: str, month: str, reason: str, **options) -> None:
        day = _month(month)
        try:
            if action == "close":
                closed = month_close(user=None, month=day)
                self.stdout.write(
                    _("已关账:{months}。").format(months="、".join(f"{m:%Y-%m}" for m in closed))
                )
            else:
                month_reopen(user=None, month=day, reason=reason)
                self.stdout.write(_("已重新开账:{m:%Y-%m}。").format(m=day))
        except ValidationError as exc:
            raise CommandError(";".join(exc.messages)) from exc
