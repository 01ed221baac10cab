"""``zhaoshang assess --period YYYY-MM|YYYY-Qn|YYYY-H1|YYYY-H2|YYYY [--publish] [--basis …]`` (SPEC §5).

Computes every scheme of the period's year that runs on that kind of period (the assessment groups'
and the region ranking), and prints each ranking ("排名 单位 得分"). With ``--publish`` the results
are frozen. A period already published is not recomputed: its frozen result is printed again.
The command line acts for the bureau and defaults to the recognised basis (认定口径).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.utils.translation import gettext as _

from zhaoshang.assessment.choices import PeriodKind, RunStatus
from zhaoshang.assessment.models import Run, Scheme
from zhaoshang.assessment.periods import parse
from zhaoshang.assessment.services import assessment_run
from zhaoshang.core.formatting import plain
from zhaoshang.metrics.formatting import pct
from zhaoshang.metrics.indicators import Basis


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def remarks(line) -> str:
    parts = []
    if line.vetoed:
        reasons = "、".join(e["name"] for e in line.explanation if e.get("veto"))
        parts.append(_("一票否决({reasons})").format(reasons=reasons) if reasons else _("一票否决"))
    if line.consecutive_bottom:
        parts.append(_("连续{n}期末位").format(n=line.bottom_streak))
    elif line.is_bottom:
        parts.append(_("末位"))
    return ";".join(parts)


class Command(BaseCommand):
    help = _("计算考核结果(--publish 发布并冻结)。期间:YYYY-MM、YYYY-Qn、YYYY-H1、YYYY-H2 或 YYYY。")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--period", required=True, metavar="PERIOD", help=_("考核期间,如 2022-07、2022-Q2")
        )
        parser.add_argument("--publish", action="store_true", help=_("发布并冻结考核结果"))
        parser.add_argument(
            "--basis",
            default=Basis.RECOGNISED,
            choices=Basis.values,
            help=_("口径:recognised(认定,默认)或 reported(上报)"),
        )

    def handle(self, *args, period: str, publish: bool, basis: str, **options) -> None:
        try:
            assessment_period = parse(period)
        except ValueError as error:
            raise CommandError(str(error)) from error
        schemes = list(
            Scheme.objects.filter(year=assessment_period.year)
            .select_related("assessment_group", "region")
            .order_by(F("assessment_group__order").asc(nulls_last=True), "assessment_group__name", "pk")
        )
        if not schemes:
            raise CommandError(
                _("{year}年没有考核办法,请先运行 zhaoshang scheme init {year}(或 --from 往年)。").format(
                    year=assessment_period.year
                )
            )
        kind = PeriodKind(assessment_period.kind)
        schemes = [s for s in schemes if s.runs_on(kind)]
        if not schemes:
            raise CommandError(
                _("{year}年没有开展{kind}的考核办法。").format(year=assessment_period.year, kind=kind.label)
            )
        for scheme in schemes:
            published = Run.objects.filter(
                scheme=scheme, period_code=assessment_period.code, status=RunStatus.PUBLISHED
            ).first()
            if published is not None:
                self.stderr.write(
                    _("“{scheme}”{period}的考核结果已发布,不再重新计算,以下为发布结果。").format(
                        scheme=scheme, period=published.period_label
                    )
                )
                run = published
            else:
                try:
                    run = assessment_run(
                        user=None, scheme=scheme, period=assessment_period, basis=basis, publish=publish
                    )
                except ValidationError as error:
                    raise CommandError("".join(error.messages)) from error
            self.print_run(run)

    def print_run(self, run: Run) -> None:
        scheme = run.scheme
        group = str(scheme.assessment_group) if scheme.assessment_group_id else _("区划排名")
        title = _("{period}{kind} · {group}(累计{window},序时进度{tp}%,{basis},{status})").format(
            period=run.period_label,
            kind=run.get_period_kind_display(),
            group=group,
            window=run.window_label,
            tp=pct(run.time_progress),
            basis=run.get_basis_display(),
            status=run.get_status_display(),
        )
        subject = _("区划") if scheme.ranks_regions else _("单位")
        rows = [
            [str(line.rank), line.name, plain(line.score, 2), remarks(line)]
            for line in run.lines.order_by("position")
        ]
        self.stdout.write(title)
        self.stdout.write(format_table([_("排名"), subject, _("得分"), _("备注")], rows))
        self.stdout.write("")
