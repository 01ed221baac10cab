"""Day one on a blank deployment (issue 12): the national division catalogue, ``zhaoshang setup`` and
the first-run page, one home region, ``zhaoshang scheme init`` and the schemes page, and the whole
blank path from the command line down to the month's bulletin."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from test_exchange_support import run_import, write_xlsx
from zhaoshang.assessment.models import SCHEME_ITEM_FIELDS, Scheme, SchemeItem
from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.choices import Role, UnitKind
from zhaoshang.organisation.models import Deployment, Division, Region, Unit, User
from zhaoshang.organisation.selectors import home_region
from zhaoshang.organisation.services import SETUP_ACCOUNTS
from zhaoshang.security.models import AccountSecurity

pytestmark = pytest.mark.django_db

PASSWORDS = ["Jz#Alpha2025", "Jz#Beta2025", "Jz#Gamma2025", "Jz#Delta2025"]


def setup(*args: str, passwords: list[str] | None = PASSWORDS) -> str:
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{p}\n" for p in passwords)) if passwords else None
    extra = ["--password-stdin"] if passwords else []
    call_command("setup", *args, *extra, stdout=out, stdin=stdin)
    return out.getvalue()


# --- the catalogue ----------------------------------------------------------------------------------


def test_national_catalogue_is_loaded_by_migrate():
    jingzhou = Division.objects.get(code="421003")
    assert (jingzhou.name, jingzhou.level, jingzhou.parent_code) == ("荆州区", "county", "421000")
    city = Division.objects.get(code="421000")
    assert (city.name, city.level, city.parent_code) == ("荆州市", "city", "420000")
    assert Division.objects.get(code="420000").name == "湖北省"
    # A county directly under its province (GB/T 2260 has no 省直辖县级行政区划 prefecture).
    assert Division.objects.get(code="429004").parent_code == "420000"
    # A municipality's districts hang under it directly; no placeholder 市辖区 prefecture.
    assert Division.objects.get(code="110101").parent_code == "110000"
    assert not Division.objects.filter(name="市辖区").exists()
    assert not Division.objects.filter(code="421071").exists()  # statistics-only functional zone
    assert Division.objects.filter(level="province").count() == 31
    assert Division.objects.filter(level="city").count() == 333
    assert 2800 < Division.objects.filter(level="county").count() < 2900
    # Every parent is in the catalogue.
    codes = set(Division.objects.values_list("code", flat=True))
    assert set(Division.objects.exclude(parent_code="").values_list("parent_code", flat=True)) <= codes


# --- setup ------------------------------------------------------------------------------------------


def test_setup_on_a_blank_database_creates_the_five_things():
    out = setup("--region", "421003", "--bureau", "荆州区招商局", "--year", "2025")

    home = Region.objects.get(code="421003")
    assert home.path == "/420000/421000/421003/"
    assert set(Region.objects.values_list("code", flat=True)) == {"420000", "421000", "421003"}
    assert Deployment.objects.get().home_region == home
    assert home_region() == home

    bureau = Unit.objects.get(name="荆州区招商局")
    assert (bureau.kind, bureau.region) == (UnitKind.BUREAU, home)

    accounts = {u.username: u for u in User.objects.all()}
    assert {name: accounts[name].role for name, _role in SETUP_ACCOUNTS} == {
        "bureau": Role.BUREAU,
        "sysadmin": Role.SYSADMIN,
        "secadmin": Role.SECADMIN,
        "auditor": Role.AUDITOR,
    }
    assert (accounts["bureau"].unit, accounts["bureau"].region) == (bureau, home)
    assert accounts["sysadmin"].unit is None and accounts["sysadmin"].is_staff
    for name, password in zip(("bureau", "sysadmin", "secadmin", "auditor"), PASSWORDS, strict=True):
        assert accounts[name].check_password(password)
    assert all(s.must_change_password for s in AccountSecurity.objects.all())
    assert "初始密码" not in out  # given on stdin: nothing to print

    schemes = Scheme.objects.filter(year=2025).order_by("assessment_group__order")
    assert [s.assessment_group.name for s in schemes] == ["任务单位", "产业招商专班"]
    assert [str(i.weight) for i in schemes[0].items.filter(kind="basic")] == [
        "30.00",
        "20.00",
        "15.00",
        "15.00",
        "10.00",
        "10.00",
    ]
    assert AuditEntry.objects.filter(model="organisation.unit", action="create").count() == 1


def test_setup_twice_is_refused_and_changes_nothing():
    setup("--region", "421003", "--bureau", "荆州区招商局")
    users = User.objects.count()
    with pytest.raises(CommandError, match="已完成初始化"):
        setup("--region", "421000", "--bureau", "荆州市招商局")
    assert (User.objects.count(), Unit.objects.count()) == (users, 1)
    assert Deployment.objects.get().home_region.code == "421003"


def test_setup_refuses_an_unknown_code_and_a_weak_password():
    with pytest.raises(CommandError, match="全国行政区划中没有代码“999999”"):
        setup("--region", "999999", "--bureau", "某某招商局")
    with pytest.raises(CommandError, match="至少8位"):
        setup("--region", "421003", "--bureau", "荆州区招商局", passwords=["Ab1!", *PASSWORDS[1:]])
    assert not User.objects.exists() and not Region.objects.exists()


def test_setup_without_passwords_prints_each_generated_password_once():
    out = setup("--region", "421003", "--bureau", "荆州区招商局", passwords=None)
    lines = [line for line in out.splitlines() if "初始密码:" in line]
    assert len(lines) == 4
    for line in lines:
        username = line.split()[1].split("(")[0]
        password = line.rsplit("初始密码:", 1)[1]
        assert User.objects.get(username=username).check_password(password)


def test_a_city_deployment_gets_its_counties_and_a_county_ranking():
    setup("--region", "421000", "--bureau", "荆州市招商局", "--year", "2025")
    counties = Region.objects.get(code="421000").children.order_by("code")
    # 荆州市's eight county-level divisions (2023 edition), the functional zone 421071 left out.
    assert [r.name for r in counties] == [
        "沙市区",
        "荆州区",
        "公安县",
        "江陵县",
        "石首市",
        "洪湖市",
        "松滋市",
        "监利市",
    ]
    ranking = Scheme.objects.get(year=2025, assessment_group__isnull=True)
    assert ranking.name == "荆州市招商引资考核(县市区排名)"


# --- one home region --------------------------------------------------------------------------------


def test_home_region_has_one_answer(units, region_tree, settings):
    # Before any setup: the smallest region holding every unit (荆州区 and 沙市区 → 荆州市).
    assert home_region() == region_tree.city
    from zhaoshang.organisation.services import home_region_set

    home_region_set(region=region_tree.jingzhou)
    assert home_region() == region_tree.jingzhou
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "HOME_REGION_CODE": "421002"}
    assert home_region() == region_tree.shashi  # the environment overrides what is stored


def test_no_home_region_without_setup():
    assert home_region() is None


# --- importing units without 所属区划 -----------------------------------------------------------------

UNIT_HEADER = ["单位名称", "简称", "单位类型", "考核组别", "所属区划", "排序号"]


def test_units_without_region_land_in_the_home_region(tmp_path):
    setup("--region", "421000", "--bureau", "荆州市招商局")
    path = write_xlsx(
        tmp_path / "units.xlsx",
        [
            UNIT_HEADER,
            ["城区招商组", None, "区直部门", "任务单位", None, 1],
            ["荆州区", None, "乡镇街道", "任务单位", "荆州区", 2],
        ],
    )
    status, _out, err = run_import("units", str(path))
    assert (status, err) == (0, ""), err
    assert Unit.objects.get(name="城区招商组").region.code == "421000"
    assert Unit.objects.get(name="荆州区").region.code == "421003"


def test_a_catalogue_division_named_in_an_import_joins_the_tree(tmp_path, settings):
    # The home region set by the environment only: its counties are not in the tree yet.
    Region.objects.create(code="421000", name="荆州市", level="city")
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "HOME_REGION_CODE": "421000"}
    path = write_xlsx(
        tmp_path / "units.xlsx", [UNIT_HEADER, ["公安县招商局", None, "区直部门", None, "公安县", 1]]
    )
    status, _out, err = run_import("units", str(path))
    assert (status, err) == (0, ""), err
    region = Unit.objects.get(name="公安县招商局").region
    assert (region.code, region.parent.code, region.path) == ("421022", "421000", "/421000/421022/")


def test_units_without_region_on_a_deployment_not_set_up_say_so(tmp_path):
    path = write_xlsx(tmp_path / "units.xlsx", [UNIT_HEADER, ["川店镇", None, "乡镇街道", None, None, 1]])
    status, _out, err = run_import("units", str(path))
    assert status == 1
    assert "第2行 〈所属区划〉: 尚未设置本地区划,请先运行 zhaoshang setup" in err


# --- scheme init ------------------------------------------------------------------------------------


def test_scheme_init_defaults_then_copy_with_adjusted_weights():
    setup("--region", "421003", "--bureau", "荆州区招商局", "--year", "2025")
    with pytest.raises(CommandError, match="2025年已有考核办法"):
        call_command("scheme", "init", "2025", stdout=io.StringIO())
    town_scheme = Scheme.objects.get(year=2025, assessment_group__name="任务单位")
    SchemeItem.objects.filter(scheme=town_scheme, indicator="leads").update(weight=Decimal("12.5"))

    out = io.StringIO()
    call_command("scheme", "init", "2026", "--from", "2025", stdout=out)
    assert "已建立2026年考核办法2个(复制2025年)" in out.getvalue()
    copy = Scheme.objects.get(year=2026, assessment_group__name="任务单位")
    assert copy.pk != town_scheme.pk and copy.region == town_scheme.region
    pairs = list(copy.items.values_list("indicator", "weight", "cap", "points_per_item", "veto"))
    assert pairs == list(
        town_scheme.items.values_list("indicator", "weight", "cap", "points_per_item", "veto")
    )
    assert {i: w for i, w, *_ in pairs}["leads"] == Decimal("12.50")

    with pytest.raises(CommandError, match="2019年没有考核办法可以复制"):
        call_command("scheme", "init", "2027", "--from", "2019", stdout=io.StringIO())
    call_command("scheme", "init", "2027", stdout=io.StringIO())
    assert Scheme.objects.get(year=2027, assessment_group__name="任务单位").items.get(
        indicator="leads"
    ).weight == Decimal("10")


# --- the first-run page -----------------------------------------------------------------------------


def test_first_run_page_sets_up_then_is_gone():
    client = Client()
    assert client.get("/accounts/login/").headers["Location"] == "/setup/"
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/setup/"
    page = client.get("/setup/").content.decode()
    assert '<option value="421003 湖北省荆州市荆州区">' in page

    refused = client.post("/setup/", {"region": "荆州", "bureau": "荆州区招商局"})
    assert "未找到区划“荆州”" in refused.content.decode()
    assert not User.objects.exists()

    form = {
        "region": "421003 湖北省荆州市荆州区",
        "bureau": "荆州区招商局",
        **{f"{name}_password": p for (name, _role), p in zip(SETUP_ACCOUNTS, PASSWORDS, strict=True)},
    }
    response = client.post("/setup/", form)
    assert response.headers["Location"] == "/accounts/login/"
    assert home_region().code == "421003"
    assert User.objects.get(username="bureau").unit.name == "荆州区招商局"
    assert client.get("/setup/").status_code == 404
    assert client.post("/setup/", form).status_code == 404
    assert client.get("/accounts/login/").status_code == 200


def test_first_run_page_checks_csrf():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/setup/", {"region": "421003"}).status_code == 403


# --- the schemes page -------------------------------------------------------------------------------


def _formset_data(scheme, version, **changes) -> dict:
    items = list(scheme.items.order_by("order", "pk"))
    data = {
        "version": version,
        "items-TOTAL_FORMS": len(items),
        "items-INITIAL_FORMS": len(items),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for i, item in enumerate(items):
        for field in SCHEME_ITEM_FIELDS:
            value = getattr(item, field)
            data[f"items-{i}-{field}"] = "" if value is None else value
        data[f"items-{i}-id"] = item.pk
        data[f"items-{i}-scheme"] = scheme.pk
        data.update({f"items-{i}-{k}": v for k, v in changes.get(item.indicator, {}).items()})
    return data


def test_schemes_page_edits_a_weight_and_refuses_a_stale_version(client_as, make_user, units):
    setup("--region", "421003", "--bureau", "荆州区招商局", "--year", "2025")
    bureau = User.objects.get(username="bureau")
    AccountSecurity.objects.filter(user=bureau).update(must_change_password=False)
    client = client_as(bureau)
    page = client.get("/assessments/schemes/?year=2025").content.decode()
    assert "任务单位招商引资考核办法" in page
    scheme = Scheme.objects.get(year=2025, assessment_group__name="任务单位")
    assert client.get(f"/assessments/schemes/{scheme.pk}/").status_code == 200

    read_at = scheme.version
    response = client.post(
        f"/assessments/schemes/{scheme.pk}/", _formset_data(scheme, read_at, leads={"weight": "12.5"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme.refresh_from_db()
    assert scheme.version == read_at + 1
    assert scheme.items.get(indicator="leads").weight == Decimal("12.50")
    change = AuditEntry.objects.filter(model="assessment.scheme", action="update").get()
    weights = {i["indicator"]: i["weight"] for i in change.after["items"]}
    assert weights["leads"] == "12.50"
    assert {i["indicator"]: i["weight"] for i in change.before["items"]}["leads"] == "10"

    # A second page read at the old version: refused, nothing written.
    stale = client.post(
        f"/assessments/schemes/{scheme.pk}/",
        _formset_data(scheme, read_at, leads={"weight": "99"}),
        follow=True,
    )
    assert "已被他人修改" in stale.content.decode()
    assert scheme.items.get(indicator="leads").weight == Decimal("12.50")

    # An invalid rule combination is refused with the constraint's message.
    invalid = client.post(
        f"/assessments/schemes/{scheme.pk}/", _formset_data(scheme, scheme.version, leads={"weight": ""})
    )
    assert "完成率计分的项目必须填写分值" in invalid.content.decode()

    # Only the bureau configures schemes.
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    assert client_as(reporter).get("/assessments/schemes/").status_code == 403
    assert client_as(reporter).get(f"/assessments/schemes/{scheme.pk}/").status_code == 403


def test_schemes_page_creates_a_year_by_copying_the_last(client_as):
    setup("--region", "421003", "--bureau", "荆州区招商局", "--year", "2025")
    bureau = User.objects.get(username="bureau")
    AccountSecurity.objects.filter(user=bureau).update(must_change_password=False)
    client = client_as(bureau)
    assert "2026年还没有考核办法" in client.get("/assessments/schemes/?year=2026").content.decode()
    response = client.post("/assessments/schemes/init/", {"year": 2026, "from_year": 2025})
    assert response.headers["Location"] == "/assessments/schemes/?year=2026"
    assert Scheme.objects.filter(year=2026).count() == 2
    again = client.post("/assessments/schemes/init/", {"year": 2026, "from_year": 2025}, follow=True)
    assert "2026年已有考核办法" in again.content.decode()
    assert Scheme.objects.filter(year=2026).count() == 2
