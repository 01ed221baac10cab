from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.core.backup import BackupError, backup


class Command(BaseCommand):
    help = _("备份数据库和附件到一个经校验的文件")

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, metavar="FILE")

    def handle(self, *args, output, **options):
        path = Path(output)
        try:
            manifest = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            _("备份完成并已校验:{f}({t}张表,{r}行,{n}个附件)").format(
                f=path, t=len(manifest["tables"]), r=rows, n=len(manifest["files"])
            )
        )
