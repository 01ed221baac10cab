"""``zhaoshang user add`` and the ``user_create`` service behind it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.models import AssessmentGroup, Region, Unit, User
from zhaoshang.organisation.services import split_chinese_name, user_create

pytestmark = pytest.mark.django_db

PASSWORD = "Zhaoshang@2022"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district():
    province = Region.objects.create(code="420000", name="湖北省", level="province")
    city = Region.objects.create(code="421000", name="荆州市", level="city", parent=province)
    return Region.objects.create(code="421003", name="荆州区", level="county", parent=city)


@pytest.fixture
def town(district):
    group = AssessmentGroup.objects.create(name="任务单位")
    return Unit.objects.create(
        name="川店镇", short_name="川店", kind="town", assessment_group=group, region=district, order=1
    )


def add(*args, password=PASSWORD):
    out = io.StringIO()
    call_command("user", "add", *args, "--password-stdin", stdin=io.StringIO(f"{password}\n"), stdout=out)
    return out.getvalue()


def test_add_reporter_by_unit_name(town):
    output = add("zhangsan", "--role", "reporter", "--unit", "川店镇", "--name", "张三丰")
    user = User.objects.get(username="zhangsan")
    assert user.role == "reporter"
    assert user.unit == town
    assert user.region is None
    assert user.scope_region == town.region
    assert user.check_password(PASSWORD)
    assert (user.last_name, user.first_name) == ("张", "三丰")
    assert "zhangsan" in output and "填报员" in output


def test_add_by_unit_short_name(town):
    add("lisi", "--role", "unit_head", "--unit", "川店")
    assert User.objects.get(username="lisi").unit == town


def test_add_bureau_with_region_code(district):
    add("tongji", "--role", "bureau", "--region", "421003")
    user = User.objects.get(username="tongji")
    assert user.region == district and user.unit is None


def test_region_role_defaults_to_unit_region(town):
    add("lingdao", "--role", "leader", "--unit", "川店镇")
    assert User.objects.get(username="lingdao").region == town.region


def test_admin_role_needs_no_unit_or_region(db):
    add("audit1", "--role", "auditor")
    user = User.objects.get(username="audit1")
    assert user.role == "auditor" and user.unit is None and user.region is None


def test_audit_row_without_password(town):
    add("wangwu", "--role", "reporter", "--unit", "川店镇")
    user = User.objects.get(username="wangwu")
    entry = AuditEntry.objects.get(model="organisation.user", object_id=str(user.pk))
    assert entry.action == "create"
    assert entry.after["username"] == "wangwu"
    assert entry.after["role"] == "reporter"
    assert entry.after["unit"] == town.pk
    assert "password" not in entry.after
    assert PASSWORD not in str(entry.after)


def test_unknown_unit(town):
    with pytest.raises(CommandError, match="未找到单位“不存在镇”"):
        add("x1", "--role", "reporter", "--unit", "不存在镇")
    assert not User.objects.filter(username="x1").exists()


def test_unknown_region(db):
    with pytest.raises(CommandError, match="未找到区划"):
        add("x2", "--role", "bureau", "--region", "999999")


def test_bad_role(town):
    with pytest.raises(CommandError, match="未知角色“admin”"):
        add("x3", "--role", "admin", "--unit", "川店镇")
    assert not User.objects.filter(username="x3").exists()


@pytest.mark.parametrize("password", ["12345678", "password", "abc"])
def test_weak_password(town, password):
    with pytest.raises(CommandError) as exc:
        add("x4", "--role", "reporter", "--unit", "川店镇", password=password)
    assert any("\u4e00" <= c <= "\u9fff" for c in str(exc.value))  # a Chinese message
    assert not User.objects.filter(username="x4").exists()
    assert not AuditEntry.objects.exists()


def test_reporter_without_unit(db):
    with pytest.raises(CommandError, match="填报员和单位负责人必须指定所属单位"):
        add("x5", "--role", "reporter")


def test_bureau_without_region(db):
    with pytest.raises(CommandError, match="必须指定管辖区划"):
        add("x6", "--role", "bureau")


def test_admin_with_unit_refused(town):
    with pytest.raises(CommandError, match="不属于任务单位"):
        add("x7", "--role", "sysadmin", "--unit", "川店镇")


def test_duplicate_username(town):
    add("dup", "--role", "reporter", "--unit", "川店镇")
    with pytest.raises(CommandError, match="已存在"):
        add("DUP", "--role", "reporter", "--unit", "川店镇")


def test_empty_stdin(town):
    with pytest.raises(CommandError, match="未从标准输入读到密码"):
        add("x8", "--role", "reporter", "--unit", "川店镇", password="")


def test_exit_code_from_command_line(town, capsys):
    # From the command line a CommandError exits with status 1 and the message on stderr.
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["zhaoshang", "user", "add", "x9", "--role", "nobody", "--password-stdin"])
    with pytest.raises(SystemExit) as exc:
        utility.execute()
    assert exc.value.code != 0
    assert "未知角色" in capsys.readouterr().err


def test_service_validation_messages(town):
    with pytest.raises(ValidationError) as exc:
        user_create(username="", role="reporter", password="", unit=None)
    messages = exc.value.message_dict
    assert {"username", "unit", "password"} <= set(messages)


def test_split_chinese_name():
    assert split_chinese_name("欧阳修") == ("欧阳", "修")
    assert split_chinese_name("王 芳") == ("王", "芳")
    assert split_chinese_name("") == ("", "")
