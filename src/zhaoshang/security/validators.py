"""Password rules of 等保 2.0 level 3 as adopted here: at least 8 characters, 3 of the 4 character
classes, not containing the username, none of the last 5 passwords."""

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HISTORY_DEPTH = 5


class CharacterClassesValidator:
    classes = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")

    def __init__(self, required: int = 3):
        self.required = required

    def validate(self, password, user=None):
        present = sum(1 for pattern in self.classes if re.search(pattern, password))
        if present < self.required:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、特殊字符中的至少{n}类。").format(n=self.required),
                code="password_classes",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、特殊字符中的至少{n}类。").format(n=self.required)


class NotContainingUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


class HistoryValidator:
    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        from zhaoshang.security.models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:HISTORY_DEPTH]
        if any(check_password(password, old) for old in recent):
            raise ValidationError(
                _("不能使用最近{n}次用过的密码。").format(n=HISTORY_DEPTH), code="password_reused"
            )

    def get_help_text(self):
        return _("不能使用最近{n}次用过的密码。").format(n=HISTORY_DEPTH)


class MinimumLengthValidator:
    """At least 8 characters (Django's own message has no Chinese translation in 5.2)."""

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码长度至少{n}位。").format(n=self.min_length), code="password_too_short"
            )

    def get_help_text(self):
        return _("密码长度至少{n}位。").format(n=self.min_length)
