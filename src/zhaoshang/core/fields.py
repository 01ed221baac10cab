"""Personal data (phone and ID numbers) encrypted at rest with the deployment's ZHAOSHANG_FIELD_KEY,
and masked wherever it leaves the record (exports, the audit trail, logs)."""

import base64
import hashlib
import re

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


def _fernet() -> Fernet:
    key = hashlib.sha256(settings.FIELD_KEY.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return PREFIX + _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored  # written before encryption was turned on
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:  # wrong ZHAOSHANG_FIELD_KEY: say so rather than show garbage
        raise ValueError("personal data cannot be decrypted: check ZHAOSHANG_FIELD_KEY") from exc


def mask(value: str) -> str:
    """138****5678 for a phone, 4201**********1234 for an ID number; short values fully masked."""
    value = value or ""
    digits = re.sub(r"\s", "", value)
    if len(digits) >= 15:
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def is_masked(value: str) -> bool:
    return "*" in (value or "")


class EncryptedCharField(models.TextField):
    """A text value stored encrypted; it cannot be searched or sorted in the database."""

    personal = True

    def __init__(self, *args, max_length=None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def formfield(self, **kwargs):
        from django import forms

        return forms.CharField(
            max_length=self.plain_max_length,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )
