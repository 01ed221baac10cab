"""``zhaoshang audit verify``: check the audit trail's hash chain (SPEC §5).

Exit 0 and "审计日志哈希链完整,共N条" when every row matches its content and its predecessor; exit 1
naming the first bad row otherwise: an edited row fails its own hash, a deleted row breaks the link
of the row after it.
"""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditEntry
from zhaoshang.audit.services import audit_verify


class Command(BaseCommand):
    help = _("审计日志的维护命令。verify:校验审计日志哈希链。")

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        actions.add_parser("verify", help=_("校验审计日志哈希链,发现被篡改或删除的记录时以状态1退出"))

    def handle(self, *args, action: str, **options) -> None:
        if action == "verify":
            self.verify()

    def verify(self) -> None:
        bad = audit_verify()
        if bad is None:
            total = AuditEntry.objects.count()
            self.stdout.write(_("审计日志哈希链完整,共{n}条").format(n=total))
            return
        # Its position in the chain as it stands (1-based), and its id.
        position = AuditEntry.objects.filter(id__lte=bad.id).count()
        self.stderr.write(_("审计日志第{n}条(编号{id})被篡改或删除").format(n=position, id=bad.id))
        sys.exit(1)
