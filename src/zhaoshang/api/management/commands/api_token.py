"""``zhaoshang api_token create|list|revoke``: tokens for systems that have no person to click."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.api import services
from zhaoshang.api.models import ApiToken
from zhaoshang.exchange.cli import acting
from zhaoshang.organisation.models import User


class Command(BaseCommand):
    help = "创建、列出或吊销接口令牌"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="op", required=True)
        create = sub.add_parser("create")
        create.add_argument("--user", required=True)
        create.add_argument("--name", required=True)
        listing = sub.add_parser("list")
        listing.add_argument("--user")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("id", type=int)

    def handle(self, *args, op, **options):
        if op == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"没有用户 {options['user']}")
            try:
                with acting():
                    token, key = services.token_create(user=user, name=options["name"], actor=None)
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
            self.stdout.write(f"{token.pk}\t{key}")
            self.stderr.write("令牌只显示这一次,请妥善保存。")
        elif op == "list":
            tokens = ApiToken.objects.select_related("user")
            if options.get("user"):
                tokens = tokens.filter(user__username=options["user"])
            for t in tokens:
                state = "有效" if t.is_active else f"已吊销 {t.revoked_at:%Y-%m-%d %H:%M}"
                self.stdout.write(f"{t.pk}\t{t.user.username}\t{t.name}\t{t.prefix}…\t{state}")
        else:
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"没有令牌 {options['id']}")
            with acting():  # the audit row names the operating-system account (cli:…)
                services.token_revoke(token=token, actor=None)
            self.stdout.write(f"已吊销 {token.pk}")
