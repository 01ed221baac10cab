"""``zhaoshang campaign add NAME --from YYYY-MM-DD --to YYYY-MM-DD`` (SPEC §5): a 专项行动 such as
seed 001's 百日会战. Its targets come in with ``zhaoshang import targets FILE --campaign NAME``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.exchange import cells
from zhaoshang.exchange.cli import acting
from zhaoshang.exchange.services import campaign_create


def _date(value: str, option: str):
    try:
        parsed = cells.parse_date(value)
    except cells.CellError as error:
        raise CommandError(f"{option}: {error}") from error
    if parsed is None:
        raise CommandError(_("{option} 应为 YYYY-MM-DD").format(option=option))
    return parsed


class Command(BaseCommand):
    help = _("专项行动。add:新建专项行动;list:列出专项行动。")

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        add = actions.add_parser("add", help=_("新建专项行动"))
        add.add_argument("name", metavar="NAME", help=_("名称,如“百日会战”"))
        add.add_argument("--from", dest="starts_on", required=True, metavar="YYYY-MM-DD", help=_("开始日期"))
        add.add_argument("--to", dest="ends_on", required=True, metavar="YYYY-MM-DD", help=_("结束日期"))
        add.add_argument("--description", default="", help=_("说明"))
        actions.add_parser("list", help=_("列出专项行动"))

    def handle(self, *args, action: str, **options) -> None:
        if action == "list":
            from zhaoshang.targets.models import Campaign

            for campaign in Campaign.objects.order_by("starts_on"):
                self.stdout.write(f"{campaign.name}\t{campaign.starts_on}\t{campaign.ends_on}")
            return
        starts_on = _date(options["starts_on"], "--from")
        ends_on = _date(options["ends_on"], "--to")
        try:
            with acting():
                campaign = campaign_create(
                    name=options["name"],
                    starts_on=starts_on,
                    ends_on=ends_on,
                    description=options["description"],
                )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stdout.write(
            _("已创建专项行动“{name}”({start} 至 {end})").format(
                name=campaign.name, start=campaign.starts_on, end=campaign.ends_on
            )
        )
