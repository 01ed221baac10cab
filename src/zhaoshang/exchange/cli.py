"""What the exchange commands share: who is acting (the audit trail names the operating-system
account), a progress line on an interactive terminal, and months given as YYYY-MM."""

import contextlib
import getpass

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from zhaoshang.audit.context import Actor, current_actor, reset_actor, set_actor
from zhaoshang.exchange import cells


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


@contextlib.contextmanager
def acting(user=None):
    """Audit rows written inside name ``user``, or ``cli:<os account>`` for the command line."""
    token = None
    if current_actor() is None:
        if user is not None:
            token = set_actor(Actor(user_id=user.pk, username=user.get_username(), address=None))
        else:
            token = set_actor(Actor(user_id=None, username=f"cli:{_os_user()}", address=None))
    try:
        yield
    finally:
        if token is not None:
            reset_actor(token)


def find_user(username: str | None):
    if not username:
        return None
    from zhaoshang.organisation.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("未找到账号“{username}”").format(username=username))
    return user


def parse_month_option(value: str | None, option: str):
    if not value:
        return None
    try:
        return cells.parse_month(value)
    except cells.CellError as error:
        raise CommandError(_("{option} 应为 YYYY-MM:{error}").format(option=option, error=error)) from error


class ProgressLine:
    """``进度 1200/10000 行(12%)`` rewritten in place on stderr, only on an interactive terminal
    (or with --progress): a script reading stderr gets the problem lines alone."""

    def __init__(self, stream, *, force: bool = False):
        self.stream = getattr(stream, "_out", stream)  # under Django's OutputWrapper, which adds newlines
        self.enabled = force or bool(getattr(self.stream, "isatty", lambda: False)())
        self.shown = False
        self.force = force

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        percent = int(done * 100 / total) if total else 100
        text = _("进度 {done}/{total} 行({percent}%)").format(done=done, total=total, percent=percent)
        if self.force:
            self.stream.write(text + "\n")
        else:
            self.stream.write("\r" + text)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and not self.force:
            self.stream.write("\n")
            self.stream.flush()
