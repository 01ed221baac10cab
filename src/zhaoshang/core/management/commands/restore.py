from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.core.backup import BackupError, restore


class Command(BaseCommand):
    help = _("把备份文件恢复到一个空数据库,并逐表核对行数和校验值")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file, **options):
        try:
            checks = restore(Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        bad = [c for c in checks if not c.matches]
        for check in checks:
            if check.rows or check.expected_rows:
                mark = "✓" if check.matches else "✗"
                self.stdout.write(f"{mark} {check.label}: {check.rows}/{check.expected_rows}")
        if bad:
            raise CommandError(_("恢复后有{n}张表与备份不一致。").format(n=len(bad)))
        self.stdout.write(_("恢复完成:{n}张表的行数和校验值均与备份一致。").format(n=len(checks)))
