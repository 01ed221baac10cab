"""Personal data is encrypted at rest and masked in the audit trail."""

import pytest
from django.db import connection

from factories import EnterpriseFactory
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.fields import decrypt, encrypt, is_masked, mask
from zhaoshang.core.services import record_create
from zhaoshang.enterprises.models import Contact
from zhaoshang.organisation.choices import Role

pytestmark = pytest.mark.django_db


def test_phone_is_stored_encrypted_and_read_in_clear(units, make_user):
    user = make_user(Role.REPORTER, unit=units.chuandian)
    user.phone = "13812345678"
    user.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM organisation_user WHERE id = %s", [user.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1:") and "13812345678" not in stored
    user.refresh_from_db()
    assert user.phone == "13812345678"


def test_contact_phone_masked_in_the_audit_trail(units, make_user):
    enterprise = EnterpriseFactory()
    contact = Contact(enterprise=enterprise, name="张经理", phone="13912345678")
    record_create(user=make_user(Role.BUREAU, region=units.chuandian.region), instance=contact)
    entry = AuditEntry.objects.get(model="enterprises.contact")
    assert entry.after["phone"] == "139****5678"
    assert "13912345678" not in str(entry.after)


def test_wrong_key_is_reported_not_garbled(settings):
    token = encrypt("13812345678")
    settings.FIELD_KEY = "another-key"
    with pytest.raises(ValueError, match="ZHAOSHANG_FIELD_KEY"):
        decrypt(token)


def test_masks():
    assert mask("13812345678") == "138****5678"
    assert mask("420103199001011234") == "4201**********1234"
    assert is_masked("138****5678") and not is_masked("13812345678")
