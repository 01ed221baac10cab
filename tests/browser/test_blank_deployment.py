"""Day one on a blank deployment, through the web pages (issue 12): the first-run page, the bureau's
first login and its forced password change, the units, projects, leads, activities, funds and targets
spreadsheets imported from the import pages (units without 所属区划), the month's assessment, and the
month's bulletin downloaded as .docx — with the figures computed by hand from the files below."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import docx
import openpyxl
import pyotp
import pytest
from django.utils import timezone

from zhaoshang.organisation.divisions import load_divisions
from zhaoshang.organisation.models import Division, Unit
from zhaoshang.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORDS = {
    "bureau": "Zhaoshang@2026a",
    "sysadmin": "Zhaoshang@2026b",
    "secadmin": "Zhaoshang@2026c",
    "auditor": "Zhaoshang@2026d",
}
NEW_PASSWORD = "Jingzhou#2026z"


def last_full_month(today: datetime.date) -> tuple[int, int]:
    """The month before ``today`` (December of last year in January): over, so the defaults apply."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


@pytest.fixture(autouse=True)
def blank(settings, tmp_path):
    """A blank deployment as production runs it: the account policy enforced (first login changes
    the password), uploads kept under tmp_path. The national catalogue comes with ``migrate``; a
    transactional test run before this one may have flushed it, so it is put back when missing."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "ENFORCE_ACCOUNT_POLICY": True}
    if not Division.objects.exists():
        load_divisions(Division)


def workbook(path, header, *rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_blank_deployment_through_the_pages(live_server, page, shot, tmp_path):
    base = live_server.url
    year, month = last_full_month(timezone.localdate())
    ym = f"{year}-{month:02d}"
    day = datetime.date(year, month, 10)

    # 1. The first-run page: nobody has an account yet, so / leads there.
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/setup/")
    assert "本部署还没有任何账号" in page.locator("main").inner_text()
    page.fill("#id_region", "421003")
    page.fill("#id_bureau", "荆州区招商局")
    for username, password in PASSWORDS.items():
        page.fill(f"#id_{username}_password", password)
    shot("blank-setup")
    page.click("button[type=submit]:has-text('完成初始化')")
    page.wait_for_url(f"{base}/accounts/login/")
    assert (
        "初始化完成:本地区划荆州区,招商局“荆州区招商局”,已建立账号 bureau、sysadmin、secadmin、auditor。"
        in page.locator("body").inner_text()
    )
    assert page.goto(f"{base}/setup/").status == 404  # the page closes once there is an account
    shot("blank-setup-closed")

    def first_login(username: str) -> None:
        """Sign in with the password set on the first-run page; the first login must change it."""
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORDS[username])
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/accounts/password/**")
        # The bell's badge (htmx) asks too while the change is due: it must not be redirected into
        # the navbar as a second copy of this page.
        page.wait_for_load_state("networkidle")
        assert page.locator("main").count() == 1
        assert "首次登录或密码已使用超过90天,请先修改密码。" in page.locator("main").inner_text()
        shot(f"blank-password-change-{username}")
        page.fill("#id_old_password", PASSWORDS[username])
        page.fill("#id_new_password1", NEW_PASSWORD)
        page.fill("#id_new_password2", NEW_PASSWORD)
        page.click("button[type=submit]:has-text('修改密码')")

    def import_file(kind: str, path, created: int, shot_name: str | None = None) -> None:
        """/exchange/ → 导入 → upload → the check runs by itself → preview → 确认导入."""
        page.goto(f"{base}/exchange/")
        page.locator(f'a[href="/exchange/import/{kind}/"]').click()
        page.wait_for_url(f"{base}/exchange/import/{kind}/")
        page.set_input_files("#id_file", str(path))
        page.click("button[type=submit]:has-text('上传并检查')")
        page.wait_for_url(f"{base}/exchange/jobs/*/")
        summary = page.locator("#job-result .alert")
        summary.wait_for()
        assert "检查通过(未写入)" in summary.inner_text(), summary.inner_text()
        assert f"将新增{created}条" in summary.inner_text(), summary.inner_text()
        page.click("button:has-text('确认导入')")
        done = page.locator("#job-result .alert-success")
        done.wait_for()
        assert f"新增{created}条" in done.inner_text(), done.inner_text()
        if shot_name:
            shot(shot_name)

    # 2. The units are configuration (系统配置, 三员分立): the system administrator imports them. Its
    # first login changes the password, then binds the second factor (动态口令) as a person would,
    # typing the code an authenticator app computes from the key the page shows.
    first_login("sysadmin")
    page.wait_for_url(f"{base}/accounts/otp/**")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#id_code", pyotp.TOTP(secret).now())
    shot("blank-second-factor")
    page.click("button[type=submit]:has-text('验证')")
    page.wait_for_url(lambda url: "/accounts/" not in url)

    units = workbook(
        tmp_path / "单位.xlsx",
        ["单位名称*", "单位类型*", "考核组别", "所属区划", "排序号"],
        ("川店镇", "乡镇", "任务单位", None, 1),
        ("马山镇", "乡镇", "任务单位", None, 2),
        ("八岭山镇", "乡镇", "任务单位", None, 3),
    )
    import_file("units", units, 3, "blank-import-units")
    # 所属区划 left blank: the home region the first-run page set.
    assert set(Unit.objects.filter(kind="town").values_list("region__code", flat=True)) == {"421003"}
    page.click("button[type=submit]:has-text('退出')")
    page.wait_for_url(f"{base}/accounts/login/**")

    # 3. The bureau's first login, then its spreadsheets (recognised as they come in).
    first_login("bureau")
    page.wait_for_url(f"{base}/")
    assert "密码已修改。" in page.locator("body").inner_text()
    page.goto(f"{base}/exchange/import/projects/")
    assert "导入的记录直接认定" in page.locator("main").inner_text()

    projects = workbook(
        tmp_path / "项目.xlsx",
        ["项目名称*", "投资方*", "引进单位*", "总投资(万元)*", "项目阶段*", "签约日期"],
        ("荆州新能源电池项目", "湖北楚能电池有限公司", "川店镇", "2亿", "签约", day),
        ("川店镇冷链物流项目", "荆州冷链物流有限公司", "川店镇", "1.5亿", "签约", day),
        ("马山镇农产品加工项目", "荆州绿源食品有限公司", "马山镇", "5000万", "签约", day),
        ("马山镇文旅康养项目", "湖北楚风文旅有限公司", "马山镇", "1.2亿", "签约", day),
    )
    import_file("projects", projects, 4, "blank-import-projects")
    assert set(Project.objects.values_list("review_status", flat=True)) == {"recognised"}

    leads = workbook(
        tmp_path / "招商信息.xlsx",
        ["信息名称*", "上报单位*", "上报日期*", "企业名称", "拟投资额(万元)"],
        ("某储能企业拟建生产基地", "川店镇", day, "深圳储能科技有限公司", "3亿"),
        ("某食品企业拟扩产", "马山镇", day, "武汉食品有限公司", 8000),
    )
    import_file("leads", leads, 2)

    activities = workbook(
        tmp_path / "招商活动.xlsx",
        ["活动类型*", "单位*", "开始日期*", "结束日期", "目的地"],
        ("外出招商", "川店镇", day, day + datetime.timedelta(days=2), "深圳"),
        ("外出招商", "马山镇", day, day + datetime.timedelta(days=1), "武汉"),
    )
    import_file("activities", activities, 2)

    funds = workbook(
        tmp_path / "到位资金.xlsx",
        ["项目名称*", "引进单位*", "月份*", "到位资金(万元)*"],
        ("荆州新能源电池项目", "川店镇", ym, 3000),
        ("马山镇文旅康养项目", "马山镇", ym, 1000),
    )
    import_file("funds", funds, 2)

    targets = workbook(
        tmp_path / "目标任务.xlsx",
        ["年度*", "单位*", "指标*", "目标值*"],
        (year, "川店镇", "签约亿元以上项目", 1),
        (year, "川店镇", "签约额", "2.5亿"),
        (year, "马山镇", "签约亿元以上项目", 20),
        (year, "马山镇", "签约额", "20亿"),
        (year, "八岭山镇", "签约亿元以上项目", 1),
        (year, "八岭山镇", "签约额", "1亿"),
    )
    import_file("targets", targets, 6, "blank-import-targets")

    # 4. The month's assessment, from /assessments/.
    page.goto(f"{base}/assessments/")
    page.fill("#id_period", ym)
    page.select_option("#id_basis", "recognised")
    page.click("button[type=submit]:has-text('计算考核结果')")
    page.wait_for_url(f"{base}/assessments/*/")
    # The 任务单位 scheme scores 签约亿元以上项目 30分 and 签约额 20分 here, each 分值 × min(完成率 ÷
    # 序时进度, 1.2) rounded to 0.01; its other items have no target (no points), and nobody signed a
    # 10亿元以上 project or missed an agreed start date. 序时进度 = month ÷ 12 (at most 1).
    # 川店镇: 2 of 1 (200%) and 3.5亿 of 2.5亿 (140%), both above 1.2 × 序时进度: 30 × 1.2 + 20 × 1.2 = 60.
    # 马山镇: 1 of 20 (5%) and 1.7亿 of 20亿 (8.5%), below 1.2 × 序时进度 in any month: for November,
    #   30 × 0.05 ÷ 11/12 = 1.636… → 1.64 and 20 × 0.085 ÷ 11/12 = 1.854… → 1.85, 3.49 in all.
    # 八岭山镇: nothing signed, 0.
    progress = Fraction(month, 12)

    def points(weight: int, done: Fraction) -> Decimal:
        value = weight * min(done / progress, Fraction(6, 5))
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    mashan = points(30, Fraction(1, 20)) + points(20, Fraction(17, 200))
    ranking = page.locator("#ranking > tbody > tr:not(.collapse)")
    lines = [ranking.nth(i).locator("td").all_inner_texts()[:3] for i in range(ranking.count())]
    assert [(rank, unit) for rank, unit, _score in lines] == [
        ("1", "川店镇"),
        ("2", "马山镇"),
        ("3", "八岭山镇"),
    ]
    assert [Decimal(score) for _rank, _unit, score in lines] == [Decimal(60), mashan, Decimal(0)]
    shot("blank-assessment")

    # 5. The month's bulletin on /reports/, downloaded as .docx.
    page.goto(f"{base}/reports/")
    page.select_option("#id_kind", "bulletin")
    page.fill("#id_end", ym)
    page.select_option("#id_basis", "recognised")
    page.click("button[name=view]")
    page.wait_for_url(f"{base}/reports/*/")
    assert f"关于{year}年{month}月全区招商引资工作情况的通报" in page.locator("article").inner_text()
    shot("blank-bulletin")
    with page.expect_download() as info:
        page.locator('a[href$="/download/docx/"]').click()
    assert info.value.suggested_filename.endswith(".docx")
    path = tmp_path / "bulletin.docx"
    info.value.save_as(path)
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    # Signed 亿元以上 in the month: 2亿 + 1.5亿 (川店镇) + 1.2亿 (马山镇) = 3 projects, 4.7亿元 (马山镇's
    # 5000万 is below 1亿元); 2 leads; nothing the year before (a blank deployment). Funds in place
    # to date: 3000万 + 1000万 = 0.4亿元.
    assert (
        f"{month}月当月，全区签约亿元以上项目3个，上年同期为0；亿元以上项目签约额4.7亿元，上年同期为0；"
        "新开工项目0个，上年同期为0；招商信息2条，上年同期为0。"
    ) in text, text
    ytd = f"{month}月" if month == 1 else f"1至{month}月"
    assert "亿元以上项目签约额4.7亿元，上年同期为0；新开工项目0个，上年同期为0；实际到位资金0.4亿元" in text
    assert f"{ytd}，排名依次为：川店镇、马山镇、八岭山镇。" in text
    assert f"{month}月无任何上报记录（招商信息、招商活动、签约项目均为0）的单位1个：八岭山镇。" in text
