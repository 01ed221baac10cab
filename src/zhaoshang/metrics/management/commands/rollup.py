"""``zhaoshang rollup rebuild|settle|compact|verify``: the monthly summary the metrics engine reads (``metrics.rollup``)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.metrics import rollup
from zhaoshang.metrics.numbers import fixed


class Command(BaseCommand):
    help = _(
        "月度汇总:rebuild 从记录重新生成;settle 处理待刷新标记;compact 合并追加的汇总行;verify 与记录逐项核对(不一致时以1退出)"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("rebuild", "settle", "compact", "verify"))

    def handle(self, *args, action: str, **options) -> None:
        started = time.monotonic()
        if action != "verify":
            if action == "rebuild":
                n, message = rollup.rebuild(), _("月度汇总已重新生成:{n}行,用时{seconds}秒。")
            elif action == "compact":
                n, message = rollup.compact(), _("月度汇总已合并:减少{n}行,用时{seconds}秒。")
            else:
                n = rollup.RollupMark.objects.count()
                rollup.settle()
                message = _("已处理{n}个待刷新标记,用时{seconds}秒。")
            self.stdout.write(message.format(n=n, seconds=fixed(time.monotonic() - started, 1)))
            return
        problems = rollup.verify()
        for line in problems[:50]:
            self.stdout.write(line)
        if problems:
            self.stdout.write(
                _("月度汇总与记录不一致{n}处。请执行 zhaoshang rollup rebuild。").format(n=len(problems))
            )
            raise CommandError(_("月度汇总与记录不一致"))
        self.stdout.write(
            _("月度汇总与记录一致(用时{seconds}秒)。").format(seconds=fixed(time.monotonic() - started, 1))
        )
