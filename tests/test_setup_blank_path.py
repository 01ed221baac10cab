"""The blank path of issue 12, from the command line only: ``setup``, then the units (without
所属区划), projects, leads, activities, funds and targets spreadsheets, then ``assess`` and the
month's bulletin as docx — on a fresh database, no demo, no admin.

Hand computation (2025-06, 序时进度 6/12 = 50%, 任务单位 scheme: 分值 × min(完成率 ÷ 50%, 1.2)):

川店镇: 签约亿元以上 2/4 → 30; 签约额 80000/100000 → ratio 1.6, capped 1.2 → 24; 新开工 1/2 → 15;
        到位资金 8000/20000 → 0.8 → 12; 招商信息 3/10 → 0.6 → 6; 外出招商 1/4 → 0.5 → 5 — total 92.
马山镇: 签约亿元以上 1/4 → 15; 签约额 17000/100000 → 0.34 → 6.8; 新开工 0; 到位资金 2000/20000 →
        0.2 → 3; 招商信息 1/10 → 0.2 → 2; 外出招商 0 — total 26.8.
Bulletin, 1-6月: 亿元以上 signed 30000 + 50000 + 12000 = 92000万元 = 9.2亿元, three projects (the
5000万元 one is below 1亿); funds 8000 + 2000 = 10000万元 = 1亿元.
"""

import io

import docx
import pytest
from django.core.management import call_command

from test_exchange_support import run_import, write_xlsx
from zhaoshang.organisation.models import Unit

pytestmark = pytest.mark.django_db


def test_blank_path_from_setup_to_bulletin(tmp_path):
    stdin = io.StringIO("Jz#Alpha2025\nJz#Beta2025\nJz#Gamma2025\nJz#Delta2025\n")
    call_command(
        "setup", "--region", "421003", "--bureau", "荆州区招商局", "--year", "2025", "--password-stdin",
        stdin=stdin, stdout=io.StringIO(),
    )  # fmt: skip

    sheets = {
        "units": [
            ["单位名称", "简称", "单位类型", "考核组别", "排序号"],
            ["川店镇", "川店", "乡镇街道", "任务单位", 1],
            ["马山镇", "马山", "乡镇街道", "任务单位", 2],
            ["汽车零部件产业招商专班", "汽车专班", "产业招商专班", "产业招商专班", 3],
        ],
        "projects": [
            ["项目名称", "投资方", "引进单位", "总投资(万元)", "项目阶段", "签约日期", "开工日期"],
            ["汽车零部件项目", "荆州甲有限公司", "川店镇", 30000, "开工", "2025-03-10", "2025-05-01"],
            ["生物医药项目", "荆州乙有限公司", "川店镇", "5亿", "签约", "2025-04-15", None],
            ["物流园项目", "荆州丙有限公司", "马山镇", 12000, "签约", "2025-02-01", None],
            ["食品加工项目", "荆州丁有限公司", "马山镇", 5000, "签约", "2025-06-10", None],
        ],
        "funds": [
            ["项目名称", "引进单位", "月份", "到位资金(万元)"],
            ["汽车零部件项目", "川店镇", "2025-05", 8000],
            ["物流园项目", "马山镇", "2025-06", 2000],
        ],
        "leads": [
            ["信息名称", "上报单位", "上报日期", "是否有价值"],
            ["某新能源企业扩产信息", "川店镇", "2025-01-15", "是"],
            ["某电子企业转移信息", "川店镇", "2025-03-02", "否"],
            ["某食品企业选址信息", "川店镇", "2025-05-20", "是"],
            ["某物流企业布局信息", "马山镇", "2025-04-08", "是"],
        ],
        "activities": [
            ["活动类型", "单位", "开始日期", "结束日期", "目的地", "是否出省"],
            ["外出招商", "川店镇", "2025-04-02", "2025-04-04", "深圳", "是"],
        ],
        "targets": [
            [
                "年度",
                "单位",
                "签约亿元以上项目",
                "签约额(万元)",
                "新开工项目",
                "实际到位资金(万元)",
                "招商信息",
                "外出招商",
            ],
            [2025, "川店镇", 4, 100000, 2, 20000, 10, 4],
            [2025, "马山镇", 4, 100000, 2, 20000, 10, 4],
        ],
    }
    for kind, rows in sheets.items():
        status, _out, err = run_import(kind, str(write_xlsx(tmp_path / f"{kind}.xlsx", rows)))
        assert (kind, status, err) == (kind, 0, ""), err
    assert {u.name: u.region.code for u in Unit.objects.exclude(kind="bureau")} == {
        "川店镇": "421003",
        "马山镇": "421003",
        "汽车零部件产业招商专班": "421003",
    }

    out = io.StringIO()
    call_command("assess", "--period", "2025-06", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    first, second = (line.split() for line in lines[3:5])
    assert first[:3] == ["1", "川店镇", "92"], out.getvalue()
    assert second[:3] == ["2", "马山镇", "26.8"], out.getvalue()

    path = tmp_path / "bulletin.docx"
    call_command(
        "report", "bulletin", "--from", "2025-06", "--to", "2025-06", "--format", "docx", "-o", str(path),
        stdout=io.StringIO(),
    )  # fmt: skip
    document = docx.Document(str(path))
    text = "\n".join(
        [p.text for p in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert "1至6月累计，全区签约亿元以上项目3个" in text, text[:3000]
    assert "亿元以上项目签约额9.2亿元" in text
    assert "实际到位资金1亿元" in text
