"""``zhaoshang report summary --from 2022-01 --to 2022-07`` on the demo district opens like seed 000
(全区2022年1-7月招商引资工作情况汇报): the demo reproduces the seed's records, the report its text."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_summary(django_db_setup, django_db_blocker):
    """Build the demo once, render the report, roll everything back."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", stdout=io.StringIO())
            out = io.StringIO()
            call_command(
                "report", "summary", "--from", "2022-01", "--to", "2022-07", "--format", "md", stdout=out
            )
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_opens_like_seed_000(demo_summary):
    lines = [line for line in demo_summary.splitlines() if line]
    assert lines[:2] == ["内部资料", "# 荆州区2022年1至7月招商引资工作情况汇报"]
    assert lines[2] == (
        "1至7月，全区签约亿元以上招商引资项目66个，同比增长40.4%，签约额345.7亿元，同比增长92.5%。"
        "其中20亿元以上项目3个，10-20亿元（不含20亿元）项目6个，5-10亿元（不含10亿元）项目27个。"
        "1至6月新增开工入库招商引资项目51个，同比增长18.6%，计划总投资126.93亿元，同比增长46.1%，"
        "其中10亿元以上重大项目2个。"
    )


def test_seed_000_sentences(demo_summary):
    text = demo_summary
    assert "1至7月共召开项目预审会7次，研判项目121个，通过项目预审88个。" in text
    assert "产业链项目48个，占比72.7%；主导产业项目35个，占比53%" in text
    assert "征地项目32个，占比48.5%；租赁厂房项目34个，占比51.5%。" in text
    assert (
        "1至7月签约引进10亿元以上项目9个，同比增加5个" in text
        or "签约引进10亿元以上项目9个，同比增加5个" in text
    )
    assert "其中有价值信息67条，占比34.2%" in text
    assert "1至7月无上报新信息单位6个，分别是：" in text
    silent = text.split("1至7月无上报新信息单位6个，分别是：")[1].split("。")[0].split("、")
    assert set(silent) == {"区委统战部", "团区委", "区科协", "区经信局", "区供销社", "八岭山镇"}
    assert "全区有4个任务单位外出招商少于（含）5次" in text
    assert "有6个任务单位出省招商少于（含）1次" in text
    assert "5个产业招商专班每月平均外出16天，均未达到每月20天的工作要求" in text


def test_demo_keeps_seed_scale_and_one_leader_per_post(demo_summary):
    """Issue 15: the district signs at seed 000's scale every year up to now (the flow draws 9–13
    signings for every full month since 2023, a few may be withdrawn later), and each leading post
    has one holder across every activity and project."""
    import datetime

    from zhaoshang.activities.models import Activity
    from zhaoshang.demo.names import LEADERS
    from zhaoshang.metrics.engine import measure
    from zhaoshang.metrics.periods import month
    from zhaoshang.organisation.models import Region
    from zhaoshang.projects.models import Project

    region = Region.objects.get(code="421003")
    today = datetime.date.today()
    y, m = 2023, 1
    while (y, m) < (today.year, today.month):
        assert measure("signed_projects", period=month(y, m), region=region) >= 6, (y, m)
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    holders: dict[str, set[str]] = {}
    texts = list(Activity.objects.exclude(leaders="").values_list("leaders", flat=True))
    texts += list(Project.objects.exclude(leader_in_charge="").values_list("leader_in_charge", flat=True))
    for text in texts:
        for title in ("区委书记", "区长"):
            for name, post in re.findall(r"([\u4e00-\u9fff]{2,3})\(([^)]*)\)", text):
                if post == title:
                    holders.setdefault(title, set()).add(name)
    assert holders == {"区委书记": {LEADERS["区委书记"]}, "区长": {LEADERS["区长"]}}


def test_demo_task_forces_bring_their_own_industry(demo_summary):
    """Issue 15: a 产业招商专班's projects are of its own industry (电子信息产业招商专班 → 电子信息 …)."""
    from zhaoshang.organisation.choices import UnitKind
    from zhaoshang.projects.models import Project

    rows = Project.objects.filter(introducing_unit__kind=UnitKind.TASK_FORCE).values_list(
        "introducing_unit__name", "industry__name"
    )
    assert rows
    wrong = [(unit, industry) for unit, industry in rows if not (industry and unit.startswith(industry))]
    assert not wrong, wrong[:5]
