"""The reports page (/reports/): who may use it, generating a draft, the HTML view with figures
linked to their records, editing with optimistic locking (the edited version kept with who edited
it), downloads in every format, audit rows for exports."""

import datetime
from decimal import Decimal

import pytest

from factories import ProjectFactory
from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.choices import Role
from zhaoshang.reports.models import ReportDraft

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def signed(units):
    for unit, amount, on in ((units.chuandian, 150000, D(2022, 3, 1)), (units.mashan, 30000, D(2022, 5, 1))):
        ProjectFactory(
            introducing_unit=unit,
            total_investment_wan=Decimal(amount),
            stage="signed",
            signed_on=on,
            review_status="recognised",
        )


@pytest.fixture
def bureau(make_user, region_tree):
    user = make_user(Role.BUREAU, region=region_tree.jingzhou, username="bureau")
    user.last_name, user.first_name = "周", "文静"
    user.save()
    return user


def generate(client, **extra):
    data = {"kind": "summary", "start": "2022-01", "end": "2022-07", "basis": "recognised", "fmt": "docx"}
    data.update(extra)
    return client.post("/reports/", data)


@pytest.mark.parametrize("role", [Role.REPORTER, Role.UNIT_HEAD, Role.SYSADMIN, Role.AUDITOR])
def test_other_roles_get_403(role, make_user, units, client_as):
    user = make_user(role, unit=units.chuandian if role in (Role.REPORTER, Role.UNIT_HEAD) else None)
    assert client_as(user).get("/reports/").status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_generate_view_edit_download(signed, bureau, client_as):
    client = client_as(bureau)
    assert client.get("/reports/").status_code == 200
    response = generate(client)
    draft = ReportDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{draft.pk}/"
    assert (draft.region.code, draft.kind, draft.period_label, draft.basis) == (
        "421003",
        "summary",
        "2022年1至7月",
        "recognised",
    )
    assert draft.created_by == bureau and draft.issuer == "荆州区招商引资工作领导小组办公室"

    page = client.get(f"/reports/{draft.pk}/").content.decode()
    assert "荆州区2022年1至7月招商引资工作情况汇报" in page
    # Each figure links to the records it counts.
    assert (
        '<a href="/projects/?signed_from=2022-01-01&amp;signed_to=2022-07-31&amp;size=1yi&amp;review_status=recognised"'
        ' class="zs-figure" title="查看统计明细">2个</a>'
    ) in page
    assert f"/reports/{draft.pk}/charts/trend.png" in page
    chart = client.get(f"/reports/{draft.pk}/charts/trend.png")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")

    edit = client.get(f"/reports/{draft.pk}/edit/")
    assert edit.status_code == 200
    text = draft.generated_markdown.replace(
        "# 荆州区2022年1至7月招商引资工作情况汇报", "# 荆州区1至7月招商引资工作汇报（修改稿）"
    )
    response = client.post(
        f"/reports/{draft.pk}/edit/",
        {
            "text": text,
            "read_version": draft.version,
            "doc_number": "荆区招办〔2022〕8号",
            "classification": "内部资料",
            "issuer": "荆州区招商局",
            "issued_on": "2022-08-03",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.edited_by == bureau and draft.edited_at is not None and draft.version == 2
    assert draft.markdown.startswith("# 荆州区1至7月招商引资工作汇报（修改稿）")
    assert draft.generated_markdown.startswith("# 荆州区2022年1至7月")  # the generated text is kept
    assert "荆州区1至7月招商引资工作汇报（修改稿）" in client.get(f"/reports/{draft.pk}/").content.decode()

    expected = {
        "md": "text/markdown; charset=utf-8",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }
    for fmt in ("md", "docx", "xlsx"):
        response = client.get(f"/reports/{draft.pk}/download/{fmt}/")
        assert response.status_code == 200 and response["Content-Type"] == expected[fmt]
        assert "attachment; filename*=UTF-8''" in response["Content-Disposition"]
    md = client.get(f"/reports/{draft.pk}/download/md/").content.decode()
    assert md.startswith("内部资料\n\n荆区招办〔2022〕8号\n\n# 荆州区1至7月招商引资工作汇报（修改稿）")
    exports = AuditEntry.objects.filter(action="export", model__icontains="reportdraft")
    assert exports.count() == 4 and exports.filter(username="bureau").exists()
    assert client.get(f"/reports/{draft.pk}/download/doc/").status_code == 404


def test_concurrent_edits_never_overwrite(signed, bureau, client_as, make_user, region_tree):
    other = make_user(Role.BUREAU, region=region_tree.jingzhou)
    client = client_as(bureau)
    generate(client)
    draft = ReportDraft.objects.get()
    form = {
        "classification": "内部资料",
        "issuer": "荆州区招商局",
        "issued_on": "2022-08-03",
        "doc_number": "",
    }
    first = client_as(other).post(
        f"/reports/{draft.pk}/edit/", {**form, "text": "# 甲的修改", "read_version": 1}
    )
    assert first.status_code == 302
    second = client.post(f"/reports/{draft.pk}/edit/", {**form, "text": "# 乙的修改", "read_version": 1})
    assert second.status_code == 409
    assert "编辑冲突" in second.content.decode()
    draft.refresh_from_db()
    assert draft.markdown == "# 甲的修改" and draft.edited_by == other


def test_leader_reads_but_does_not_edit(signed, bureau, make_user, region_tree, client_as):
    generate(client_as(bureau))
    draft = ReportDraft.objects.get()
    leader = client_as(make_user(Role.LEADER, region=region_tree.jingzhou))
    assert leader.get(f"/reports/{draft.pk}/").status_code == 200
    assert leader.get(f"/reports/{draft.pk}/edit/").status_code == 403
    assert leader.get(f"/reports/{draft.pk}/download/md/").status_code == 200


def test_other_regions_drafts_are_404(signed, bureau, make_user, region_tree, client_as):
    generate(client_as(bureau))
    draft = ReportDraft.objects.get()
    outsider = client_as(make_user(Role.BUREAU, region=region_tree.shashi))
    assert outsider.get(f"/reports/{draft.pk}/").status_code == 404
    assert outsider.get(f"/reports/{draft.pk}/download/pdf/").status_code == 404
    assert outsider.get(f"/reports/{draft.pk}/charts/trend.png").status_code == 404
    assert "荆州区" not in outsider.get("/reports/").content.decode().split("最近的报告草稿")[1]


def test_download_button_generates_and_downloads(signed, bureau, client_as):
    response = generate(
        client_as(bureau), kind="leaderboard", start="", end="2022-05", fmt="xlsx", download=""
    )
    draft = ReportDraft.objects.get()
    assert response["Location"] == f"/reports/{draft.pk}/download/xlsx/"
    assert draft.title == "荆州区2022年5月招商引资项目签约龙虎榜"


def test_form_errors(bureau, client_as, units):
    client = client_as(bureau)
    response = generate(client, kind="campaign")
    assert response.status_code == 200 and "专项行动总结需要选择专项行动" in response.content.decode()
    response = generate(client, kind="weekly", week="2022-30")
    assert "周次格式应为" in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_edited_markdown_is_sanitised(signed, bureau, client_as):
    client = client_as(bureau)
    generate(client)
    draft = ReportDraft.objects.get()
    text = (
        "# 标题\n\n<script>alert(1)</script>\n\n[外链](https://evil.example/) 与 [站内](/projects/)\n\n"
        "![x](https://evil.example/a.png)"
    )
    client.post(
        f"/reports/{draft.pk}/edit/",
        {
            "text": text,
            "read_version": 1,
            "classification": "",
            "issuer": "",
            "issued_on": "",
            "doc_number": "",
        },
    )
    page = client.get(f"/reports/{draft.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "evil.example" not in page
    assert '<a href="/projects/" class="zs-figure"' in page
    pdf = client.get(f"/reports/{draft.pk}/download/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
