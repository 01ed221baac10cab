"""Model invariants: each is enforced twice, by the database (a constraint: ``save()`` raises
IntegrityError) and by ``full_clean()`` (forms and imports: ValidationError with the Chinese message)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factories import (
    ActivityFactory,
    CampaignFactory,
    EnterpriseFactory,
    FundsRecordFactory,
    LeadFactory,
    ProjectFactory,
    TargetFactory,
    valid_credit_code,
)
from zhaoshang.activities.choices import ActivityKind
from zhaoshang.organisation.choices import RegionLevel, Role
from zhaoshang.organisation.models import Region, User
from zhaoshang.projects.choices import ProjectKind, Stage
from zhaoshang.targets.models import Target

pytestmark = pytest.mark.django_db

D = datetime.date


def clean_errors(obj) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value


def assert_invalid(obj, message: str, field: str | None = None) -> None:
    error = clean_errors(obj)
    if field:
        assert message in error.message_dict.get(field, []), error.message_dict
    else:
        assert message in error.messages, error.messages


def assert_db_rejects(obj, constraint: str | None = None) -> None:
    """``save()`` bypasses ``full_clean()``: the database itself must refuse the row."""
    # The savepoint keeps the test's transaction usable after the error (PostgreSQL aborts it).
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        obj.save()
    if constraint:  # CHECK violations name the constraint on SQLite and PostgreSQL alike
        assert constraint in str(exc.value)


# ---------------------------------------------------------------------------------------- projects

STAGE_DATE_PAIRS = [
    ("negotiated_on", "signed_on", "签约日期不能早于洽谈日期。"),
    ("signed_on", "commenced_on", "开工日期不能早于签约日期。"),
    ("commenced_on", "in_production_on", "投产日期不能早于开工日期。"),
    ("in_production_on", "effective_on", "达效日期不能早于投产日期。"),
]


@pytest.mark.parametrize(("earlier", "later", "message"), STAGE_DATE_PAIRS)
def test_stage_dates_out_of_order_are_refused(earlier, later, message):
    project = ProjectFactory()
    setattr(project, earlier, D(2022, 5, 10))
    setattr(project, later, D(2022, 5, 9))

    assert_invalid(project, message, field=later)
    assert_db_rejects(project, f"project_{earlier}_before_{later}")


@pytest.mark.parametrize(("earlier", "later", "message"), STAGE_DATE_PAIRS)
def test_stage_dates_on_the_same_day_are_allowed(earlier, later, message):
    project = ProjectFactory()
    setattr(project, earlier, D(2022, 5, 10))
    setattr(project, later, D(2022, 5, 10))
    project.full_clean()
    project.save()


def test_stage_dates_are_in_order_across_an_empty_stage():
    # Signed, never commenced, "in production" before the signing: clean() compares filled dates.
    project = ProjectFactory(signed_on=D(2022, 5, 10))
    project.in_production_on = D(2022, 5, 1)
    assert_invalid(project, "投产日期不能早于签约日期。", field="in_production_on")


def test_a_signed_stage_needs_its_signing_date():
    project = ProjectFactory()
    project.stage = Stage.SIGNED
    assert_invalid(project, "项目阶段为“签约”时必须填写签约日期。", field="signed_on")


@pytest.mark.parametrize(
    ("field", "message", "constraint"),
    [
        ("total_investment_wan", "总投资不能为负数。", "project_total_investment_wan_non_negative"),
        ("added_investment_wan", "新增投资不能为负数。", "project_added_investment_wan_non_negative"),
        ("foreign_amount", "外资金额不能为负数。", "project_foreign_amount_non_negative"),
        ("foreign_usd_wan", "外资(万美元)不能为负数。", "project_foreign_usd_wan_non_negative"),
        ("land_area_mu", "用地面积不能为负数。", "project_land_area_mu_non_negative"),
    ],
)
def test_project_amounts_are_non_negative(field, message, constraint):
    project = ProjectFactory()
    setattr(project, field, Decimal("-0.01"))
    assert_invalid(project, message)
    assert_db_rejects(project, constraint)


def test_zero_amounts_are_allowed():
    project = ProjectFactory(total_investment_wan=Decimal("0"), added_investment_wan=Decimal("0"))
    project.full_clean()


@pytest.mark.parametrize("stage", [Stage.TERMINATED, Stage.WITHDRAWN])
def test_terminated_or_withdrawn_needs_a_reason(stage):
    project = ProjectFactory()
    project.stage = stage
    project.end_reason = ""
    assert_invalid(project, "终止或退库的项目必须填写原因。", field="end_reason")
    assert_db_rejects(project, "project_end_has_reason")

    project.end_reason = "投资方资金链断裂"
    project.full_clean()
    project.save()


@pytest.mark.parametrize("kind", [ProjectKind.EXPANSION, ProjectKind.CAPITAL_INCREASE])
def test_expansion_needs_added_investment(kind):
    project = ProjectFactory(total_investment_wan=Decimal("50000"))
    project.kind = kind
    assert_invalid(project, "扩建、增资项目请填写新增投资。", field="added_investment_wan")

    project.added_investment_wan = Decimal("20000")
    project.full_clean()


def test_added_investment_within_total():
    project = ProjectFactory(
        kind=ProjectKind.EXPANSION,
        total_investment_wan=Decimal("50000"),
        added_investment_wan=Decimal("20000"),
    )
    project.added_investment_wan = Decimal("50000.0001")
    assert_invalid(project, "新增投资不能大于总投资。", field="added_investment_wan")
    assert_db_rejects(project, "project_added_within_total")


@pytest.mark.parametrize(
    ("kind", "total", "added", "counted"),
    [
        (ProjectKind.NEW, "50000", None, "50000"),
        (ProjectKind.CONTINUED, "50000", None, "50000"),
        (ProjectKind.EXPANSION, "50000", "20000.5", "20000.5"),
        (ProjectKind.CAPITAL_INCREASE, "50000", "8000", "8000"),
        # A new project's added investment, if filled in by mistake, does not count.
        (ProjectKind.NEW, "50000", "8000", "50000"),
    ],
)
def test_counted_investment_is_the_added_investment_for_an_expansion(kind, total, added, counted):
    project = ProjectFactory(
        kind=kind, total_investment_wan=Decimal(total), added_investment_wan=Decimal(added) if added else None
    )
    project.refresh_from_db()
    assert project.counted_investment_wan == Decimal(counted)
    assert isinstance(project.counted_investment_wan, Decimal)


# ------------------------------------------------------------------------------------------- funds


def test_one_funds_record_per_project_and_month():
    first = FundsRecordFactory(month=D(2022, 3, 1))
    again = FundsRecordFactory.build(project=first.project, month=D(2022, 3, 1), amount_wan=Decimal("5"))
    assert_invalid(again, "该项目该月份已有到位资金记录。")
    assert_db_rejects(again)

    next_month = FundsRecordFactory.build(project=first.project, month=D(2022, 4, 1))
    next_month.full_clean()
    next_month.save()


def test_a_mid_month_date_is_that_month():
    first = FundsRecordFactory(month=D(2022, 3, 1))
    again = FundsRecordFactory.build(project=first.project, month=D(2022, 3, 18))
    assert_invalid(again, "该项目该月份已有到位资金记录。")
    assert again.month == D(2022, 3, 1)


@pytest.mark.parametrize(
    ("values", "message", "constraint"),
    [
        # A negative amount also breaks "其中…不能大于到位资金"; both databases report this one first.
        ({"amount_wan": Decimal("-1")}, "到位资金不能为负数。", "funds_amount_wan_non_negative"),
        ({"outside_city_wan": Decimal("-1")}, "市外资金不能为负数。", "funds_outside_city_wan_non_negative"),
        (
            {"outside_province_wan": Decimal("1000.0001")},
            "其中省外资金不能大于到位资金。",
            "funds_outside_province_within_total",
        ),
        (
            {"foreign_usd_wan": Decimal("10"), "foreign_cash_usd_wan": Decimal("11")},
            "现汇进资不能大于外资到位。",
            "funds_cash_within_foreign",
        ),
    ],
)
def test_funds_amounts(values, message, constraint):
    record = FundsRecordFactory(amount_wan=Decimal("1000"))
    for field, value in values.items():
        setattr(record, field, value)
    assert_invalid(record, message)
    assert_db_rejects(record, constraint)


def test_lead_and_target_amounts_are_non_negative():
    lead = LeadFactory()
    lead.intended_investment_wan = Decimal("-1")
    assert_invalid(lead, "拟投资额不能为负数。")
    assert_db_rejects(lead, "lead_investment_non_negative")

    target = TargetFactory()
    target.value = Decimal("-1")
    assert_invalid(target, "目标值不能为负数。")
    assert_db_rejects(target, "target_value_non_negative")


# ------------------------------------------------------------------------------------- enterprises


def test_a_credit_code_belongs_to_one_enterprise():
    code = valid_credit_code(424242)
    EnterpriseFactory(credit_code=code)
    other = EnterpriseFactory.build(credit_code=code)
    assert_invalid(other, "该统一社会信用代码已登记为另一家企业。")
    assert_db_rejects(other)


def test_an_invalid_credit_code_is_refused_with_the_checksum_message():
    code = valid_credit_code(424242)
    wrong_check = code[:-1] + ("0" if code[-1] != "0" else "1")
    enterprise = EnterpriseFactory.build(credit_code=wrong_check)
    assert_invalid(enterprise, "统一社会信用代码校验位不正确,请核对。", field="credit_code")

    enterprise.credit_code = "91110000600037341L"  # a real one (stdnum's example)
    enterprise.full_clean()


def test_an_empty_credit_code_may_repeat():
    EnterpriseFactory(credit_code="")
    second = EnterpriseFactory.build(credit_code="")
    second.full_clean()
    second.save()


# -------------------------------------------------------------------------------------- activities


def test_activity_cannot_end_before_it_starts():
    activity = ActivityFactory(started_on=D(2022, 7, 10))
    activity.ended_on = D(2022, 7, 9)
    assert_invalid(activity, "结束日期不能早于开始日期。", field="ended_on")
    assert_db_rejects(activity, "activity_dates_in_order")


@pytest.mark.parametrize(
    ("started", "ended", "days"),
    [
        (D(2022, 7, 3), None, 1),
        (D(2022, 7, 3), D(2022, 7, 3), 1),
        (D(2022, 7, 3), D(2022, 7, 5), 3),
        (D(2022, 7, 30), D(2022, 8, 2), 4),
    ],
)
def test_activity_days_count_calendar_days_inclusive(started, ended, days):
    activity = ActivityFactory(kind=ActivityKind.TRIP, started_on=started, ended_on=ended)
    assert activity.days == days


def test_campaign_cannot_end_before_it_starts():
    campaign = CampaignFactory()
    campaign.ends_on = campaign.starts_on - datetime.timedelta(days=1)
    assert_invalid(campaign, "结束日期不能早于开始日期。")
    assert_db_rejects(campaign, "campaign_dates_in_order")


# ----------------------------------------------------------------------------- regions and users


def test_region_path_holds_the_codes_from_the_root(region_tree):
    assert region_tree.province.path == "/420000/"
    assert region_tree.city.path == "/420000/421000/"
    assert region_tree.jingzhou.path == "/420000/421000/421003/"


def test_region_subtree(region_tree):
    town = Region.objects.create(
        code="421003100", name="川店镇", level=RegionLevel.TOWN, parent=region_tree.jingzhou
    )
    t = region_tree
    assert set(t.province.subtree()) == {t.province, t.city, t.shashi, t.jingzhou, town}
    assert set(t.city.subtree()) == {t.city, t.shashi, t.jingzhou, town}
    assert set(t.jingzhou.subtree()) == {t.jingzhou, town}
    assert set(t.shashi.subtree()) == {t.shashi}


def test_region_code_is_digits():
    region = Region(code="42A000", name="某地", level=RegionLevel.CITY)
    assert_invalid(region, "区划代码应为数字(GB/T 2260)。", field="code")


def test_unit_roles_need_a_unit(region_tree):
    user = User(username="nobody", role=Role.REPORTER, region=region_tree.jingzhou)
    user.set_unusable_password()
    assert_invalid(user, "填报员和单位负责人必须属于一个任务单位。")
    assert_db_rejects(user, "user_unit_role_has_unit")


# ----------------------------------------------------------------------------------------- targets


@pytest.fixture
def campaign():
    return CampaignFactory(name="百日会战")


@pytest.mark.parametrize(
    ("for_unit", "in_campaign", "message"),
    [
        (True, False, "该单位该年度该指标的目标已存在。"),
        (False, False, "该区划该年度该指标的目标已存在。"),
        (True, True, "该单位该专项行动该指标的目标已存在。"),
        (False, True, "该区划该专项行动该指标的目标已存在。"),
    ],
)
def test_one_target_per_indicator_and_holder(units, campaign, for_unit, in_campaign, message):
    unit = units.chuandian if for_unit else None
    values = {
        "year": 2022,
        "unit": unit,
        "region": units.chuandian.region,
        "indicator": "signed_projects",
        "campaign": campaign if in_campaign else None,
    }
    TargetFactory(**values, value=Decimal("10"))
    again = TargetFactory.build(**values, value=Decimal("12"))
    assert_invalid(again, message)
    assert_db_rejects(again)


def test_targets_that_may_coexist(units, campaign):
    region = units.chuandian.region
    same = {"year": 2022, "indicator": "signed_projects", "region": region}
    TargetFactory(**same, unit=units.chuandian)
    for other in [
        Target(**same, unit=units.mashan, value=1),  # another unit
        Target(**same, unit=None, value=20),  # the region's own target
        Target(**same, unit=units.chuandian, campaign=campaign, value=3),  # a campaign target
        Target(**same, unit=None, campaign=campaign, value=8),  # the region's campaign target
        Target(**{**same, "year": 2023}, unit=units.chuandian, value=12),  # next year
        Target(**{**same, "indicator": "funds_in_place_wan"}, unit=units.chuandian, value=1),
    ]:
        other.full_clean()
        other.save()
    assert Target.objects.count() == 7
