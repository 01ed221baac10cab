"""三员分立: the system administrator configures but cannot grant roles or read the audit log; the
security administrator grants roles; the auditor only reads the audit log."""

import pytest
from django.test import Client

from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.choices import Role
from zhaoshang.organisation.models import User
from zhaoshang.organisation.services import user_create

pytestmark = pytest.mark.django_db
PASSWORD = "Zhaoshang@2022"


@pytest.fixture
def admins(db):
    return {
        role: user_create(username=role, role=role, password=PASSWORD, must_change_password=False)
        for role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
    }


@pytest.fixture
def target(units):
    return user_create(
        username="xiaowang", role=Role.REPORTER, password=PASSWORD, unit=units.chuandian, full_name="王小明"
    )


def as_client(user):
    client = Client()
    client.force_login(user)
    return client


def change_form_data(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": "",
        "role": user.role,
        "unit": user.unit_id or "",
        "region": user.region_id or "",
        "phone": "",
        "is_active": "on",
        "date_joined_0": "2022-01-01",
        "date_joined_1": "08:00:00",
    }
    data.update(changes)
    return data


def test_sysadmin_configures_units_but_cannot_grant_roles(admins, target):
    client = as_client(admins[Role.SYSADMIN])
    assert client.get("/admin/organisation/unit/").status_code == 200
    client.post(f"/admin/organisation/user/{target.pk}/change/", change_form_data(target, role=Role.BUREAU))
    target.refresh_from_db()
    assert target.role == Role.REPORTER
    assert client.get("/audit/").status_code == 404


def test_secadmin_grants_roles_only(admins, target):
    client = as_client(admins[Role.SECADMIN])
    response = client.post(
        f"/admin/organisation/user/{target.pk}/change/",
        change_form_data(target, role=Role.UNIT_HEAD, first_name="改名"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.UNIT_HEAD
    assert target.first_name == "小明"  # everything but the role and is_active is read-only
    assert client.get("/admin/organisation/unit/").status_code == 403
    assert client.get("/admin/organisation/user/add/").status_code == 403
    entry = AuditEntry.objects.filter(model="organisation.user", action="update").latest("id")
    assert (entry.before["role"], entry.after["role"]) == (Role.REPORTER, Role.UNIT_HEAD)


def test_secadmin_does_not_see_password_hashes(admins, target):
    """The security administrator's read-only password field says whether a password is set; it
    printed the stored hash itself."""
    page = as_client(admins[Role.SECADMIN]).get(f"/admin/organisation/user/{target.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    stored = target.password.split("$")
    assert target.password not in body and stored[-1] not in body and stored[-2] not in body
    assert "已设置(不显示)" in body


def test_auditor_has_no_admin_and_reads_the_log(admins):
    client = as_client(admins[Role.AUDITOR])
    assert client.get("/admin/").status_code == 302  # not staff: sent to the admin login
    assert client.get("/audit/").status_code == 200


def test_production_refuses_a_superuser(settings, admins):
    from zhaoshang.security.checks import no_superuser_in_production

    User.objects.create_superuser("root", password=PASSWORD, role=Role.SYSADMIN)
    assert no_superuser_in_production() == []  # outside production a superuser may exist
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "PRODUCTION": True}
    [error] = no_superuser_in_production()
    assert error.id == "zhaoshang.E001" and "root" in error.msg
    User.objects.filter(username="root").delete()
    assert no_superuser_in_production() == []
