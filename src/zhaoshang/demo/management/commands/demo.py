"""``zhaoshang demo [--scale district|city|province] [--seed N]``: load the demo deployment (SPEC §5).

Idempotent by detection, not by wiping: when the demo district (区划代码 421003) is already there the
command says so and changes nothing. Wiping and rebuilding was rejected because by then the demo
database holds other rows that point at demo records with protected foreign keys — audit entries
(an append-only hash chain that must not be rewritten), assessments, tickets, records people added
while trying the product — and deleting demo rows would either fail or destroy that work. To start
over, start from a fresh database.

``--scale city|province`` loads synthetic data sized like a city or a province, for benchmarks
(``zhaoshang.demo.scale``); it is idempotent the same way, detected by the synthetic tree's root region.
"""

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.demo.district import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_REGION_CODE,
    build_district,
    demo_exists,
)
from zhaoshang.metrics.numbers import fixed
from zhaoshang.organisation.models import User


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = _("载入演示数据(可重复执行:已载入时不做任何修改)。")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            choices=("district", "city", "province"),
            default="district",
            help=_("规模:district(一个区,按样本000)、city、province(合成数据,用于性能测试)"),
        )
        parser.add_argument("--seed", type=int, default=0, help=_("随机数种子(默认0),相同种子生成相同数据"))

    def handle(self, *args, scale: str, seed: int, **options) -> None:
        if scale != "district":
            self.handle_synthetic(scale, seed)
            return
        if demo_exists():
            self.stdout.write(
                _("演示数据已存在(区划代码{code}),未做任何修改。如需重新生成,请使用新的数据库。").format(
                    code=DEMO_REGION_CODE
                )
            )
        else:
            started = time.monotonic()
            builder = build_district(seed=seed)
            counts = builder.summary()
            self.stdout.write(
                _(
                    "已生成荆州区演示数据(种子{seed},用时{seconds}秒):企业{enterprises}家、项目{projects}个、"
                    "招商信息{leads}条、招商活动{activities}次、到位资金{funds}条、预审会{meetings}次、目标任务{targets}项。"
                ).format(seed=seed, seconds=fixed(time.monotonic() - started, 1), **counts)
            )
        self.print_accounts()

    def handle_synthetic(self, scale: str, seed: int) -> None:
        """City and province scales: synthetic data for benchmarks (``zhaoshang.demo.scale``)."""
        from zhaoshang.demo.scale import SCALES, build_scale

        spec = SCALES[scale]
        try:
            result = build_scale(spec, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if result.skipped:
            self.stdout.write(
                _("合成数据“{name}”已存在(区划代码{code}),未做任何修改。").format(
                    name=spec.root_name, code=spec.root_code
                )
            )
            return
        counts = result.counts
        self.stdout.write(
            _(
                "已生成{name}合成数据(种子{seed},用时{seconds}秒):区划{regions}个、任务单位{units}个、"
                "企业{enterprises}家、项目{projects}个、招商信息{leads}条、招商活动{activities}次、"
                "到位资金{funds}条、预审会{prereview_meetings}次、目标任务{targets}项。"
            ).format(name=spec.root_name, seed=seed, seconds=fixed(result.seconds, 1), **counts)
        )
        self.stdout.write(
            _("账号:{accounts}(密码{password},可查看{name}全部数据)").format(
                accounts="、".join(result.accounts), password=DEMO_PASSWORD, name=spec.root_name
            )
        )

    def print_accounts(self) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).select_related(
                "unit", "region"
            )
        }
        rows = []
        for account in DEMO_ACCOUNTS:
            user = users.get(account.username)
            if user is None:
                continue
            scope = user.unit.name if user.unit_id else (user.region.name if user.region_id else "—")
            rows.append([user.username, str(user.get_role_display()), scope, DEMO_PASSWORD])
        self.stdout.write("")
        self.stdout.write(_("演示账号:"))
        self.stdout.write(format_table([_("用户名"), _("角色"), _("单位"), _("密码")], rows))
