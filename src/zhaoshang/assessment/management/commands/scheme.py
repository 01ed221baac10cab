"""``zhaoshang scheme init YEAR [--from YEAR]`` (SPEC §5): the year's assessment schemes (考核办法).

Without ``--from`` the default schemes (``assessment/defaults.py``) are created for the home region;
with it the earlier year's schemes are copied, items included, to be adjusted on the schemes page
(/assessments/schemes/). Refused when the year has schemes already.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.assessment.services import scheme_year_init


class Command(BaseCommand):
    help = _("考核办法。init:建立某年度的默认考核办法,或复制往年的考核办法。")

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        init = actions.add_parser("init", help=_("建立年度考核办法"))
        init.add_argument("year", type=int, metavar="YEAR", help=_("年度,如 2026"))
        init.add_argument(
            "--from", dest="from_year", type=int, metavar="YEAR", help=_("复制该年度的考核办法(含考核项目)")
        )

    def handle(self, *args, action: str, year: int, from_year: int | None, **options) -> None:
        try:
            schemes = scheme_year_init(year=year, from_year=from_year)
        except ValidationError as error:
            raise CommandError("".join(error.messages)) from error
        source = _("复制{year}年").format(year=from_year) if from_year else _("默认")
        self.stdout.write(
            _("已建立{year}年考核办法{n}个({source}):{names}").format(
                year=year, n=len(schemes), source=source, names="、".join(s.name for s in schemes)
            )
        )
