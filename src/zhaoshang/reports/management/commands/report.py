"""``zhaoshang report KIND [--from YYYY-MM] [--to YYYY-MM] [--week YYYY-Www] [--campaign NAME]
[--basis recognised|reported] [--format md|docx|xlsx|pdf] [-o FILE]`` (SPEC §5).

KIND ∈ summary (工作情况汇报), weekly (周报), bulletin (月通报), leaderboard (龙虎榜), quarterly
(季评比), campaign (专项行动总结), yearly (年度总结), assessment (考核结果). The command line acts for
the bureau: recognised basis (认定口径) by default, the deployment's home region unless ``--region``.
Without ``-o`` Markdown goes to stdout; the other formats need ``-o`` (the format is taken from the
file's extension when ``--format`` is not given). Nothing is written to the database.
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.metrics.indicators import Basis
from zhaoshang.organisation.models import Region
from zhaoshang.organisation.selectors import home_region
from zhaoshang.reports.choices import ExportFormat, ReportKind
from zhaoshang.reports.document import Meta
from zhaoshang.reports.exports import export
from zhaoshang.reports.services import (
    DEFAULT_CLASSIFICATION,
    campaign_by_name,
    default_issued_on,
    default_issuer,
    report_build,
)


class Command(BaseCommand):
    help = _("生成报告(工作情况汇报、周报、月通报、龙虎榜、季评比、专项行动总结、年度总结、考核结果)。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=ReportKind.values, help=_("报告类型"))
        parser.add_argument("--from", dest="start", metavar="YYYY-MM", help=_("起始月份"))
        parser.add_argument("--to", dest="end", metavar="YYYY-MM", help=_("截止月份"))
        parser.add_argument("--week", metavar="YYYY-Www", help=_("周次(周报),如 2022-W30"))
        parser.add_argument("--campaign", metavar="NAME", help=_("专项行动名称(专项行动总结)"))
        parser.add_argument(
            "--basis", choices=Basis.values, default=Basis.RECOGNISED, help=_("口径,默认认定口径")
        )
        parser.add_argument("--format", dest="fmt", choices=ExportFormat.values, help=_("格式,默认 md"))
        parser.add_argument("-o", "--output", metavar="FILE", help=_("输出文件;不指定时 md 输出到标准输出"))
        parser.add_argument("--region", metavar="CODE", help=_("区划代码,默认本部署的区划"))
        parser.add_argument("--number", default="", help=_("文号,如 荆区招办〔2022〕8号"))
        parser.add_argument("--classification", default=DEFAULT_CLASSIFICATION, help=_("密级,默认 内部资料"))
        parser.add_argument("--issuer", default=None, help=_("发文单位"))
        parser.add_argument(
            "--date",
            default=None,
            metavar="YYYY-MM-DD",
            help=_("成文日期,默认为统计期间的截止日(期间未结束时为今天)"),
        )

    def handle(self, *args, kind, start, end, week, campaign, basis, fmt, output, region, **options) -> None:
        if fmt is None:
            suffix = Path(output).suffix.lower().lstrip(".") if output else ""
            fmt = suffix if suffix in ExportFormat.values else ExportFormat.MD
        if fmt != ExportFormat.MD and not output:
            raise CommandError(_("{fmt} 格式请用 -o 指定输出文件。").format(fmt=fmt))
        if region:
            scope = Region.objects.filter(code=region.strip()).first()
            if scope is None:
                raise CommandError(_("未找到区划代码“{code}”。").format(code=region))
        else:
            scope = home_region()
            if scope is None:
                raise CommandError(_("还没有区划数据,请先导入区划或运行 zhaoshang demo。"))
        today = timezone.localdate()
        try:
            issued_on = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(_("成文日期格式应为 YYYY-MM-DD。")) from error
        try:
            report, period = report_build(
                kind=kind,
                region=scope,
                basis=basis,
                start=start,
                end=end,
                week=week,
                campaign=campaign_by_name(campaign),
                today=today,
            )
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        if issued_on is None:
            issued_on = default_issued_on(period, today)
        meta = Meta(
            title=report.title,
            classification=options["classification"] or "",
            doc_number=options["number"] or "",
            issuer=default_issuer(scope) if options["issuer"] is None else options["issuer"],
            issued_on=issued_on,
        )
        content = export(
            text=report.markdown, charts=report.charts, meta=meta, fmt=fmt, blocks=report.blocks()
        )
        if output:
            Path(output).write_bytes(content)
            self.stderr.write(_("已生成 {path}").format(path=output))
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
