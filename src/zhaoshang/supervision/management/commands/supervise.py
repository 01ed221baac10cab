"""``zhaoshang supervise [--date YYYY-MM-DD] [--region CODE] [--rule CODE …] [--open-tickets] [--pool]``
(SPEC §5).

Runs the supervision and data-quality rules (``supervision.rules``) and prints what they find in
Chinese, grouped by rule; it exits 0 whatever it finds. Read only unless asked:

- ``--open-tickets`` opens a 督办单 for each new finding that has an owner unit (one per finding,
  ever) and escalates the tickets past their deadline (逾期升级, the leaders are told);
- ``--pool`` puts newly found possible duplicates into the review pool, which holds them out of
  every figure until the bureau resolves them (防水分).

Runs daily as the scheduled job ``supervise`` (zhaoshang.core.jobs.SCHEDULE, 07:00); without the
worker, cron or a systemd timer can run it directly::

    # /etc/cron.d/zhaoshang — every day at 07:30, as the application user
    30 7 * * *  zhaoshang  /opt/zhaoshang/.venv/bin/zhaoshang supervise --open-tickets --pool >> /var/log/zhaoshang/supervise.log 2>&1

    # or systemd: zhaoshang-supervise.service (Type=oneshot,
    #   ExecStart=/opt/zhaoshang/.venv/bin/zhaoshang supervise --open-tickets --pool)
    # and zhaoshang-supervise.timer (OnCalendar=*-*-* 07:30:00, Persistent=true)
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.context import Actor, reset_actor, set_actor
from zhaoshang.organisation.models import Region
from zhaoshang.supervision.rules import RULES, run_rules


class Command(BaseCommand):
    help = _("运行督查规则和数据质量检查,按规则列出发现的问题(无论结果如何均返回0)。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", metavar="YYYY-MM-DD", help=_("检查日期,默认今天"))
        parser.add_argument("--region", metavar="CODE", help=_("只检查该区划(区划代码)"))
        parser.add_argument(
            "--rule", action="append", choices=sorted(RULES), metavar="CODE", help=_("只运行指定规则,可重复")
        )
        parser.add_argument(
            "--open-tickets", action="store_true", help=_("为新发现的问题开具督办单,并将逾期督办单升级")
        )
        parser.add_argument("--pool", action="store_true", help=_("将新发现的疑似重复项目放入待核查池"))

    def handle(self, *args, **options) -> None:
        today = self._date(options.get("date"))
        region = None
        if options.get("region"):
            region = Region.objects.filter(code=options["region"].strip()).first()
            if region is None:
                raise CommandError(_("未找到区划代码“{code}”。").format(code=options["region"]))
        token = set_actor(Actor(user_id=None, username="cli:supervise", address=None))
        try:
            results = run_rules(today=today, region=region, codes=options.get("rule"))
            self._print(results, today, region)
            if options["pool"]:
                self._pool(results)
            if options["open_tickets"]:
                self._tickets(results, today)
        finally:
            reset_actor(token)

    @staticmethod
    def _date(text: str | None) -> datetime.date:
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from exc

    def _print(self, results, today, region) -> None:
        scope = f"{region.name}," if region is not None else ""
        self.stdout.write(
            _("督查规则检查({scope}截至{y}年{m}月{d}日)").format(
                scope=scope, y=today.year, m=today.month, d=today.day
            )
        )
        total = 0
        for result in results:
            findings = result.findings
            total += len(findings)
            self.stdout.write("")
            if not findings:
                self.stdout.write(_("【{title}】未发现问题").format(title=result.title))
                continue
            self.stdout.write(_("【{title}】{n}项").format(title=result.title, n=len(findings)))
            for i, finding in enumerate(findings, 1):
                self.stdout.write(f"  {i}. {finding.text}")
        self.stdout.write("")
        self.stdout.write(_("共发现{n}项问题。").format(n=total) if total else _("未发现问题。"))

    def _pool(self, results) -> None:
        from zhaoshang.projects.services import duplicate_pool_pair

        pooled = 0
        for result in results:
            for finding in result.findings:
                if finding.pair is not None:
                    project, other, reasons = finding.pair
                    if duplicate_pool_pair(user=None, project=project, other=other, reasons=reasons):
                        pooled += 1
        self.stdout.write(_("已将{n}对疑似重复项目放入待核查池。").format(n=pooled))

    def _tickets(self, results, today) -> None:
        from zhaoshang.supervision.services import findings_open_tickets, tickets_escalate_overdue

        opened = findings_open_tickets(user=None, results=results, today=today)
        escalated = tickets_escalate_overdue(today=today)
        self.stdout.write(_("已开具督办单{n}件,逾期升级{m}件。").format(n=len(opened), m=len(escalated)))
