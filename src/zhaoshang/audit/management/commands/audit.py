"""``zhaoshang audit verify``: check the audit trail's hash chain (SPEC §5).

Exit 0 and "审计日志哈希链完整,共N条" when every row matches its content and its predecessor; exit 1
naming the first bad row otherwise: an edited row fails its own hash, a deleted row breaks the link
of the row after it.
"""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditEntry
from zhaoshang.audit.services import ChainBroken, audit_purge, audit_verify


class Command(BaseCommand):
    help = _("审计日志的维护命令。verify:校验审计日志哈希链。")

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        actions.add_parser("verify", help=_("校验审计日志哈希链,发现被篡改或删除的记录时以状态1退出"))
        purge = actions.add_parser("purge", help=_("清理指定日期之前的审计日志(至少保留180天)"))
        purge.add_argument("--before", required=True, metavar="YYYY-MM-DD")

    def handle(self, *args, action: str, **options) -> None:
        if action == "verify":
            self.verify()
        elif action == "purge":
            self.purge(options["before"])

    def purge(self, before: str) -> None:
        import datetime

        from django.core.exceptions import ValidationError
        from django.core.management.base import CommandError

        try:
            day = datetime.date.fromisoformat(before)
            count = audit_purge(before=day)
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from exc
        except ValidationError as exc:
            raise CommandError("".join(exc.messages)) from exc
        self.stdout.write(_("已清理审计日志{n}条").format(n=count))

    def verify(self) -> None:
        try:
            bad = audit_verify()
        except ChainBroken as broken:
            self.stderr.write(_("审计日志末尾的记录(至编号{id})被删除").format(id=broken.args[0]))
            sys.exit(1)
        if bad is None:
            total = AuditEntry.objects.count()
            self.stdout.write(_("审计日志哈希链完整,共{n}条").format(n=total))
            return
        # Its position in the chain as it stands (1-based), and its id.
        position = AuditEntry.objects.filter(id__lte=bad.id).count()
        self.stderr.write(_("审计日志第{n}条(编号{id})被篡改或删除").format(n=position, id=bad.id))
        sys.exit(1)
