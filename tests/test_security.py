"""Identity controls of 等保 2.0 level 3 — each a test that fails if the control is removed."""

import datetime

import pyotp
import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.choices import Role
from zhaoshang.organisation.services import user_create
from zhaoshang.security.models import AccountSecurity

pytestmark = pytest.mark.django_db
GOOD = "Zhaoshang@2022"


@pytest.fixture(autouse=True)
def enforce(settings):
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "ENFORCE_ACCOUNT_POLICY": True}


@pytest.fixture
def reporter(units):
    user = user_create(
        username="chuandian",
        role=Role.REPORTER,
        password=GOOD,
        unit=units.chuandian,
        must_change_password=False,
    )
    return user


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(reporter):
    assert reporter.password.startswith("argon2")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abcdefgh", "至少3类"),
        ("Abc@12", "密码长度至少8位"),
        ("Chuandian@2022x", "不能包含用户名"),
    ],
)
def test_password_rules(units, password, message):
    with pytest.raises(Exception) as error:
        user_create(username="chuandian", role=Role.REPORTER, password=password, unit=units.chuandian)
    assert message in str(error.value)


def test_last_five_passwords_may_not_be_reused(reporter):
    client = Client()
    client.force_login(reporter)
    history = [GOOD]
    for new in ["Second#Pass1", "Third#Pass22", "Fourth#Pass3"]:
        response = client.post(
            "/accounts/password/", {"old_password": history[-1], "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 302, response.content.decode()
        history.append(new)
    reused = client.post(
        "/accounts/password/", {"old_password": history[-1], "new_password1": GOOD, "new_password2": GOOD}
    )
    assert "不能使用最近5次用过的密码" in reused.content.decode()


def test_sixth_login_with_the_right_password_is_refused(reporter):
    client = Client()
    for _ in range(5):
        assert login(client, "chuandian", "Wrong#Pass99").status_code == 200
    response = login(client, "chuandian", GOOD)
    assert response.status_code == 200
    assert "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Per account, not per address: another client is refused too.
    assert "账号已锁定" in login(Client(REMOTE_ADDR="10.0.0.9"), "chuandian", GOOD).content.decode()
    # After 30 minutes the account opens again.
    AccountSecurity.objects.filter(user=reporter).update(
        locked_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert login(Client(), "chuandian", GOOD).status_code == 302
    results = list(AuditEntry.objects.filter(action="login_failed").values_list("result", flat=True))
    assert results.count("failure") == 4 and results.count("locked") >= 2
    assert AuditEntry.objects.filter(action="login", username="chuandian").exists()


def test_session_ends_after_30_idle_minutes(reporter):
    client = Client()
    assert login(client, "chuandian", GOOD).status_code == 302
    assert client.get("/projects/").status_code == 200
    key = client.session.session_key
    session = Session.objects.get(session_key=key)
    assert 29 * 60 < (session.expire_date - timezone.now()).total_seconds() <= 30 * 60
    # 31 minutes idle: the stored session has expired.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_change_forced_at_first_login(units):
    user_create(username="newcomer", role=Role.REPORTER, password=GOOD, unit=units.chuandian)
    client = Client()
    login(client, "newcomer", GOOD)
    response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password/")
    client.post(
        "/accounts/password/",
        {"old_password": GOOD, "new_password1": "Better#Pass77", "new_password2": "Better#Pass77"},
    )
    assert client.get("/projects/").status_code == 200


def test_htmx_fragments_are_not_redirected_into_the_page(units):
    """The bell's badge (htmx, on every page) asked while the password change is due: redirected, htmx
    would swap the whole password page into the navbar. It gets nothing on the password page itself,
    and elsewhere tells the browser to go to the password page."""
    user_create(username="newcomer", role=Role.REPORTER, password=GOOD, unit=units.chuandian)
    client = Client()
    login(client, "newcomer", GOOD)
    on_password_page = client.get(
        "/notifications/badge/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/accounts/password/?next=/"},
    )
    assert on_password_page.status_code == 204 and "HX-Redirect" not in on_password_page
    elsewhere = client.get(
        "/notifications/badge/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/projects/"},
    )
    assert elsewhere.status_code == 204
    assert elsewhere["HX-Redirect"] == "/accounts/password/?next=/projects/"


def test_password_change_forced_after_90_days(reporter):
    AccountSecurity.objects.filter(user=reporter).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    client = Client()
    login(client, "chuandian", GOOD)
    assert client.get("/").headers["Location"].startswith("/accounts/password/")


def test_administrators_need_a_second_factor(db):
    admin = user_create(username="sysadm", role=Role.SYSADMIN, password=GOOD, must_change_password=False)
    client = Client()
    login(client, "sysadm", GOOD)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/otp/")
    page = client.get("/accounts/otp/").content.decode()
    secret = AccountSecurity.objects.get(user=admin).totp_secret
    assert secret in page
    client.post("/accounts/otp/", {"code": pyotp.TOTP(secret).now()})
    assert client.get("/").status_code == 200
    assert AccountSecurity.objects.get(user=admin).totp_confirmed


def test_wrong_second_factor_is_refused(db):
    admin = user_create(username="secadm", role=Role.SECADMIN, password=GOOD, must_change_password=False)
    client = Client()
    login(client, "secadm", GOOD)
    client.get("/accounts/otp/")
    secret = AccountSecurity.objects.get(user=admin).totp_secret
    wrong = str((int(pyotp.TOTP(secret).now()) + 500000) % 1000000).zfill(6)
    response = client.post("/accounts/otp/", {"code": wrong})
    assert "动态口令不正确" in response.content.decode()
    assert client.get("/").status_code == 302


def test_accounts_unused_for_90_days_are_disabled(reporter):
    type(reporter).objects.filter(pk=reporter.pk).update(
        last_login=timezone.now() - datetime.timedelta(days=91)
    )
    response = login(Client(), "chuandian", GOOD)
    assert "超过90天未使用" in response.content.decode()
    reporter.refresh_from_db()
    assert not reporter.is_active


def test_logout_is_audited(reporter):
    client = Client()
    login(client, "chuandian", GOOD)
    client.post("/accounts/logout/")
    assert AuditEntry.objects.filter(action="logout", username="chuandian").exists()


def test_demo_policy_can_be_skipped_outside_production(settings, reporter):
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "ENFORCE_ACCOUNT_POLICY": False}
    AccountSecurity.objects.filter(user=reporter).update(must_change_password=True)
    client = Client()
    login(client, "chuandian", GOOD)
    assert client.get("/projects/").status_code == 200


def test_only_the_auditor_reads_the_audit_log(units, make_user, client_as, settings):
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "ENFORCE_ACCOUNT_POLICY": False}
    auditor = make_user(Role.AUDITOR)
    page = client_as(auditor).get("/audit/?action=login_failed")
    assert page.status_code == 200
    for role in (Role.SYSADMIN, Role.SECADMIN, Role.BUREAU, Role.LEADER):
        who = make_user(role, region=units.chuandian.region if role in (Role.BUREAU, Role.LEADER) else None)
        assert client_as(who).get("/audit/").status_code == 404


def test_security_headers_on_every_page(reporter, client):
    response = client.get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response.headers["Permissions-Policy"]
    page = response.content.decode()
    assert "<script>" not in page and "onclick=" not in page  # nothing the policy would block
