"""The district demo deployment (``zhaoshang demo --scale district``): 荆州区, modelled on seed 000.

Seed 000 is a district's report on January–July 2022. The data built here reproduces its figures
exactly on the recognised basis (认定口径):

- 1–7月 signed 66 projects of 1亿元 and more for 345.7亿元 (3 of 20亿元 and more, 6 of 10–20亿元,
  27 of 5–10亿元, 30 of 1–5亿元); 48 chain projects, 35 leading-industry projects, 41 manufacturing,
  27 strategic emerging, 3 by listed or leading companies, 6 by high-tech enterprises, 32 on acquired
  land and 34 in leased plants; 24 projects of 10亿元 and more under city dispatch (2021–2022);
- 1–6月 51 projects commenced for 126.93亿元, 2 of them of 10亿元 and more;
- 196 leads, 67 judged valuable; six units reported none;
- 7 pre-review meetings judged 121 projects and passed 88;
- trips: four units went out five times or fewer, six went out of the province once or never, the
  five task forces were away 16 days a month on average;
- the same period of 2021 (the 同比 base): 47 signed projects for 179.6亿元 (4 of 10亿元 and more),
  43 commenced in 1–6月 for 86.88亿元.

After 2022 a steady flow of records runs up to the current month, so that the demo looks alive on
the day it is opened; a handful of the last two months' records are left submitted or in draft so
that the recognition queue is not empty.

Rows are written with ``bulk_create`` (no audit rows: the demo is not anybody's work); the
accounts go through ``user_create`` like any other account.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.demo import names
from zhaoshang.enterprises.models import Contact, Enterprise, Tag
from zhaoshang.leads.choices import LeadStatus
from zhaoshang.leads.models import Lead
from zhaoshang.metrics.numbers import fixed, round_half_up, round_int
from zhaoshang.organisation.choices import IndustryKind, RegionLevel, Role, UnitKind
from zhaoshang.organisation.models import AssessmentGroup, Deployment, Industry, Region, Unit, User
from zhaoshang.organisation.services import home_region_set, split_chinese_name, user_create
from zhaoshang.projects.choices import LandMode, ProjectKind, Sector, Stage, Verdict
from zhaoshang.projects.models import FundsRecord, PreReviewMeeting, PreReviewVerdict, Project
from zhaoshang.targets.models import Target

DEMO_REGION_CODE = "421003"
DEMO_PASSWORD = "Zhaoshang@2022"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    full_name: str
    unit: str | None = None
    region: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("bureau", Role.BUREAU, "周文静", region=DEMO_REGION_CODE),
    DemoAccount("leader", Role.LEADER, "陈国华", region=DEMO_REGION_CODE),
    DemoAccount("supervisor", Role.SUPERVISOR, "刘建军", region=DEMO_REGION_CODE),
    DemoAccount("reporter", Role.REPORTER, "张晓燕", unit="川店镇"),
    DemoAccount("unit_head", Role.UNIT_HEAD, "王志强", unit="川店镇"),
    DemoAccount("reporter2", Role.REPORTER, "李明", unit="马山镇"),
    DemoAccount("sysadmin", Role.SYSADMIN, "赵磊"),
    DemoAccount("secadmin", Role.SECADMIN, "孙丽"),
    DemoAccount("auditor", Role.AUDITOR, "吴敏"),
)

# ---------------------------------------------------------------------------------------------
# The deployment's organisation
# ---------------------------------------------------------------------------------------------

# 乡镇街道 with their (statistical, 9-digit) division codes, in the bulletins' official order.
TOWNS = (
    ("西城街道", "421003001"),
    ("东城街道", "421003002"),
    ("城南街道", "421003003"),
    ("郢城镇", "421003100"),
    ("纪南镇", "421003101"),
    ("川店镇", "421003102"),
    ("马山镇", "421003103"),
    ("八岭山镇", "421003104"),
    ("李埠镇", "421003105"),
    ("弥市镇", "421003106"),
)
PARK = "荆州区工业园"
DEPARTMENTS = (
    "区发改局",
    "区经信局",
    "区商务局",
    "区住建局",
    "区自然资源局",
    "区农业农村局",
    "区文旅局",
    "区财政局",
    "区税务局",
    "区民政局",
    "区教育局",
    "区大数据中心",
    "区委统战部",
    "区委编办",
    "团区委",
    "区妇联",
    "区工商联",
    "区科协",
    "区供销社",
)
LEADING_INDUSTRIES = ("电子信息", "绿色建材和装配式建筑", "传统产业升级", "现代服务业", "现代农业")
# 产业招商专班: (industry, 链长).
TASK_FORCES = (
    ("电子信息", "陈志刚"),
    ("绿色建材和装配式建筑", "黄海涛"),
    ("传统产业升级", "杨光明"),
    ("现代服务业", "刘慧敏"),
    ("现代农业", "郑国平"),
)
CHAINS = (
    ("新型显示", "电子信息"),
    ("半导体封装", "电子信息"),
    ("智能终端", "电子信息"),
    ("装配式建筑", "绿色建材和装配式建筑"),
    ("绿色建材", "绿色建材和装配式建筑"),
    ("磷化工", "传统产业升级"),
    ("纺织服装", "传统产业升级"),
    ("机械制造", "传统产业升级"),
    ("文化旅游", "现代服务业"),
    ("现代物流", "现代服务业"),
    ("农产品加工", "现代农业"),
    ("特色种养", "现代农业"),
    ("新能源电池", None),
    ("生物医药", None),
    ("智能装备", None),
)
# 战略性新兴产业分类(2018), the national classification's nine first-level categories.
STRATEGIC = (
    ("1", "新一代信息技术产业"),
    ("2", "高端装备制造产业"),
    ("3", "新材料产业"),
    ("4", "生物产业"),
    ("5", "新能源汽车产业"),
    ("6", "新能源产业"),
    ("7", "节能环保产业"),
    ("8", "数字创意产业"),
    ("9", "相关服务业"),
)
# 国民经济行业分类 (GB/T 4754-2017): the sections used here, and a few divisions of 制造业.
SECTORS = (
    ("A", "农、林、牧、渔业", None),
    ("B", "采矿业", None),
    ("C", "制造业", None),
    ("D", "电力、热力、燃气及水生产和供应业", None),
    ("E", "建筑业", None),
    ("F", "批发和零售业", None),
    ("G", "交通运输、仓储和邮政业", None),
    ("H", "住宿和餐饮业", None),
    ("I", "信息传输、软件和信息技术服务业", None),
    ("K", "房地产业", None),
    ("L", "租赁和商务服务业", None),
    ("R", "文化、体育和娱乐业", None),
    ("C13", "农副食品加工业", "C"),
    ("C14", "食品制造业", "C"),
    ("C18", "纺织服装、服饰业", "C"),
    ("C21", "家具制造业", "C"),
    ("C26", "化学原料和化学制品制造业", "C"),
    ("C27", "医药制造业", "C"),
    ("C30", "非金属矿物制品业", "C"),
    ("C35", "专用设备制造业", "C"),
    ("C36", "汽车制造业", "C"),
    ("C38", "电气机械和器材制造业", "C"),
    ("C39", "计算机、通信和其他电子设备制造业", "C"),
)

# ---------------------------------------------------------------------------------------------
# Project templates, by profile. A profile key says which flags a project has, in the order
# 主导产业 (L), 制造业 (M), 产业链 (C), 战略性新兴产业 (S); "-" for no. Each template:
# (name stem, leading industry, chain, strategic category, 三次产业, investor name suffix).
# ---------------------------------------------------------------------------------------------
P, S2, T = Sector.PRIMARY, Sector.SECONDARY, Sector.TERTIARY
TEMPLATES: dict[str, tuple[tuple[str, str | None, str | None, str | None, str, str], ...]] = {
    "LMCS": (
        ("LED显示模组生产项目", "电子信息", "新型显示", "新一代信息技术产业", S2, "光电科技"),
        ("Mini LED背光模组项目", "电子信息", "新型显示", "新一代信息技术产业", S2, "光电科技"),
        ("液晶显示面板配套项目", "电子信息", "新型显示", "新一代信息技术产业", S2, "显示技术"),
        ("集成电路封装测试项目", "电子信息", "半导体封装", "新一代信息技术产业", S2, "半导体"),
        ("功率半导体器件封装项目", "电子信息", "半导体封装", "新一代信息技术产业", S2, "微电子"),
        ("柔性线路板生产项目", "电子信息", "智能终端", "新一代信息技术产业", S2, "电子科技"),
        ("智能终端精密结构件项目", "电子信息", "智能终端", "新一代信息技术产业", S2, "精密科技"),
        ("电子元器件生产项目", "电子信息", "智能终端", "新一代信息技术产业", S2, "电子科技"),
        ("新型节能墙体材料项目", "绿色建材和装配式建筑", "绿色建材", "新材料产业", S2, "新型建材"),
        ("高性能混凝土外加剂项目", "绿色建材和装配式建筑", "绿色建材", "新材料产业", S2, "新材料"),
        ("电子级磷酸项目", "传统产业升级", "磷化工", "新材料产业", S2, "化工"),
    ),
    "LMC-": (
        ("装配式建筑构件生产项目", "绿色建材和装配式建筑", "装配式建筑", None, S2, "建筑科技"),
        ("钢结构装配式建筑项目", "绿色建材和装配式建筑", "装配式建筑", None, S2, "钢结构"),
        ("全屋定制家居生产项目", "绿色建材和装配式建筑", "绿色建材", None, S2, "家居"),
        ("精细磷化工项目", "传统产业升级", "磷化工", None, S2, "化工"),
        ("纺织服装智能化改造项目", "传统产业升级", "纺织服装", None, S2, "纺织"),
        ("汽车零部件生产项目", "传统产业升级", "机械制造", None, S2, "汽车零部件"),
        ("农产品精深加工项目", "现代农业", "农产品加工", None, S2, "农业发展"),
        ("荆州鱼糕生产项目", "现代农业", "农产品加工", None, S2, "食品"),
        ("稻虾米加工项目", "现代农业", "农产品加工", None, S2, "米业"),
    ),
    "L-C-": (
        ("文旅综合体项目", "现代服务业", "文化旅游", None, T, "文化旅游发展"),
        ("楚文化研学基地项目", "现代服务业", "文化旅游", None, T, "文化传媒"),
        ("现代物流园项目", "现代服务业", "现代物流", None, T, "物流"),
        ("高标准稻虾共作基地项目", "现代农业", "特色种养", None, P, "农业科技"),
        ("优质水果种植基地项目", "现代农业", "特色种养", None, P, "生态农业"),
    ),
    "L---": (
        ("商业综合体项目", "现代服务业", None, None, T, "置业"),
        ("电子商务产业园项目", "现代服务业", None, None, T, "电子商务"),
        ("生态农庄项目", "现代农业", None, None, P, "生态农业"),
    ),
    "-MCS": (
        ("锂电池正极材料项目", None, "新能源电池", "新能源汽车产业", S2, "新能源"),
        ("动力电池回收利用项目", None, "新能源电池", "新能源汽车产业", S2, "循环科技"),
        ("原料药及中间体项目", None, "生物医药", "生物产业", S2, "医药"),
        ("医疗器械生产项目", None, "生物医药", "生物产业", S2, "医疗器械"),
        ("智能装备制造项目", None, "智能装备", "高端装备制造产业", S2, "智能装备"),
    ),
    "-MC-": (
        ("农机装备生产项目", None, "机械制造", None, S2, "机械"),
        ("服装加工项目", None, "纺织服装", None, S2, "服饰"),
        ("饲料生产项目", None, "农产品加工", None, S2, "饲料"),
        ("磷石膏综合利用项目", None, "磷化工", None, S2, "环保建材"),
    ),
    "-M-S": (
        ("节能环保设备制造项目", None, None, "节能环保产业", S2, "环保科技"),
        ("光伏组件生产项目", None, None, "新能源产业", S2, "光伏"),
    ),
    "-M--": (
        ("包装材料生产项目", None, None, None, S2, "包装"),
        ("塑料制品生产项目", None, None, None, S2, "塑业"),
        ("五金制品生产项目", None, None, None, S2, "五金"),
        ("印刷包装项目", None, None, None, S2, "印务"),
    ),
    "--C-": (
        ("冷链物流中心项目", None, "现代物流", None, T, "冷链物流"),
        ("乡村旅游项目", None, "文化旅游", None, T, "旅游开发"),
        ("农产品交易市场项目", None, "现代物流", None, T, "市场管理"),
    ),
    "---S": (
        ("分布式光伏电站项目", None, None, "新能源产业", S2, "新能源"),
        ("大数据中心项目", None, None, "新一代信息技术产业", T, "数据科技"),
    ),
    "----": (
        ("商贸中心项目", None, None, None, T, "商贸"),
        ("精品酒店项目", None, None, None, T, "酒店管理"),
        ("康养中心项目", None, None, None, T, "健康产业"),
        ("汽车销售服务中心项目", None, None, None, T, "汽车销售"),
        ("城市更新项目", None, None, None, T, "置业"),
        ("建材家居市场项目", None, None, None, T, "商贸"),
        ("职业技能培训基地项目", None, None, None, T, "教育科技"),
    ),
}
TEMPLATES_BY_SUFFIX: dict[str, list[tuple]] = {}
for _templates in TEMPLATES.values():
    for _template in _templates:
        TEMPLATES_BY_SUFFIX.setdefault(_template[5], []).append(_template)

# How often each profile turns up outside the exactly-shaped 2022 set.
PROFILE_WEIGHTS = {
    "LMCS": 16,
    "LMC-": 10,
    "L-C-": 5,
    "L---": 2,
    "-MCS": 6,
    "-MC-": 4,
    "-M-S": 2,
    "-M--": 4,
    "--C-": 4,
    "---S": 2,
    "----": 10,
}

# Seed 000's named projects (the ones the report quotes), with their profile and amount (万元).
NAMED_2022 = {
    "soft_board": (
        "LMCS",
        300000,
        (
            "高端消费电子和新能源车用软板制造基地项目",
            "电子信息",
            "智能终端",
            "新一代信息技术产业",
            S2,
            "电子科技",
        ),
    ),
    "culture": ("--C-", 200000, ("文化科技产业园项目", None, "文化旅游", None, T, "文化科技")),
    "agri_park": ("--C-", 200000, ("荆楚现代农业产业示范园项目", None, "特色种养", None, P, "农业发展")),
    "led": (
        "LMCS",
        150000,
        ("LED二极管封装项目", "电子信息", "半导体封装", "新一代信息技术产业", S2, "光电科技"),
    ),
    "furniture": (
        "LMC-",
        100000,
        ("智能办公家具生产项目", "绿色建材和装配式建筑", "绿色建材", None, S2, "家具"),
    ),
    "phosphate": ("-MC-", 120000, ("磷矿伴生资源综合利用项目", None, "磷化工", None, S2, "化工")),
    "battery": (
        "-MCS",
        180000,
        ("新能源电池正极材料项目", None, "新能源电池", "新能源汽车产业", S2, "新能源"),
    ),
    "trade_city": ("----", 130000, ("商贸物流城项目", None, None, None, T, "商贸物流")),
    "data_park": ("---S", 110000, ("大数据产业园项目", None, None, "新一代信息技术产业", T, "数据科技")),
}
# Profiles of the other 57 projects signed in 1–7月 2022 (5–10亿元 and 1–5亿元), chosen so that the 66
# have exactly 35 主导产业, 41 制造业, 48 产业链 and 27 战略性新兴产业 projects.
PROFILES_2022_REST = {
    "LMCS": 16,
    "LMC-": 9,
    "L-C-": 5,
    "L---": 2,
    "-MCS": 5,
    "-MC-": 3,
    "-M-S": 1,
    "-M--": 2,
    "--C-": 3,
    "---S": 1,
    "----": 10,
}

# The counted windows of seed 000 (1–6月 commenced). Projects not meant to count there never
# commence inside them.
COMMENCE_WINDOWS = ((date(2021, 1, 1), date(2021, 6, 30)), (date(2022, 1, 1), date(2022, 6, 30)))
# The pre-review meetings of 1–7月 2022 (seed 000: 7 meetings, 121 judged, 88 passed).
PREREVIEW_2022 = (
    date(2022, 1, 14),
    date(2022, 2, 18),
    date(2022, 3, 16),
    date(2022, 4, 15),
    date(2022, 5, 17),
    date(2022, 6, 15),
    date(2022, 7, 14),
)
PREREVIEW_DEPARTMENTS = "发改、经信、环保、自然资源"
# 集中签约 (seed 000: the city's June and July signing ceremonies).
CEREMONIES = (
    date(2021, 6, 25),
    date(2021, 12, 28),
    date(2022, 3, 29),
    date(2022, 6, 28),
    date(2022, 7, 27),
    date(2022, 9, 27),
    date(2022, 12, 27),
)
WINDOW_2022 = (date(2022, 1, 1), date(2022, 7, 31))
# Seed 000: these units went out five times or fewer in 1–7月 2022 …
FEW_TRIPS = ("区大数据中心", "团区委", "区工商联", "区税务局")
# … these went out of the province once or never …
FEW_OUT_OF_PROVINCE = ("区供销社", "区财政局", "区民政局", "区教育局", "区妇联", "区委编办")
# … and these reported no lead at all.
NO_LEADS = ("区委统战部", "团区委", "区科协", "区经信局", "区供销社", "八岭山镇")
# Days away of each task force in 1–7月 2022: 560 days ÷ 5 forces ÷ 7 months = 16 a month.
TASK_FORCE_DAYS_2022 = (105, 108, 112, 116, 119)

PASSED_OPINIONS = (
    "发改:符合国家产业政策和我区产业布局;经信:投资强度、产出效益达到准入标准;"
    "环保:无重大环境制约因素;自然资源:选址符合国土空间规划。"
)
FAILED_OPINIONS = (
    "环保:属高耗能、高排放项目,不符合园区准入要求;经信:投资强度低于准入标准。",
    "自然资源:拟选址位于永久基本农田范围,无法落地;发改:不符合产业导向。",
    "经信:亩均税收承诺低于准入标准;发改:投资方履约能力存疑。",
)
DEFERRED_OPINIONS = (
    "自然资源:选址待进一步论证;经信:请补充投资方财务报表后再审。",
    "发改:投资构成不清晰,请补充可研报告后再审。",
)
TERMINATION_REASONS = (
    "投资方资金链紧张,经双方协商解除投资协议",
    "投资方战略调整,项目终止",
)
WITHDRAWAL_REASONS = (
    "经核查为重复上报,予以退库",
    "投资协议未实质履行,按规定退库",
    "预审未通过,项目退库",
)


# ---------------------------------------------------------------------------------------------
# Dates and amounts
# ---------------------------------------------------------------------------------------------


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _month_end(d: date) -> date:
    return _add_months(d, 1) - timedelta(days=1)


def _months(first: date, last: date):
    m = first.replace(day=1)
    while m <= last:
        yield m
        m = _add_months(m, 1)


def _in_windows(d: date) -> bool:
    return any(lo <= d <= hi for lo, hi in COMMENCE_WINDOWS)


def partition(rng: random.Random, total: int, n: int, lo: int, hi: int, step: int) -> list[int]:
    """``n`` amounts in [lo, hi], multiples of ``step``, that add up to exactly ``total``.

    Amounts above ``lo`` are spread in proportion to random (log-normal) weights, capped at ``hi``
    with the excess handed to the others; rounding leftovers go one step at a time.
    """
    if not (n * lo <= total <= n * hi) or total % step or lo % step or hi % step:
        raise ValueError(f"cannot split {total} into {n} amounts in [{lo}, {hi}] by {step}")
    weights = [rng.lognormvariate(0, 0.8) for _ in range(n)]
    values = [float(lo)] * n
    free = list(range(n))
    left = float(total - n * lo)
    while left > 1e-6 and free:
        weight_sum = sum(weights[i] for i in free)
        capped = []
        for i in free:
            values[i] += left * weights[i] / weight_sum
        left = 0.0
        for i in free:
            if values[i] > hi:
                left += values[i] - hi
                values[i] = float(hi)
                capped.append(i)
        free = [i for i in free if i not in capped]
    result = [min(hi, max(lo, int(v // step) * step)) for v in values]
    diff = total - sum(result)
    order = list(range(n))
    while diff:
        rng.shuffle(order)
        for i in order:
            if diff > 0 and result[i] + step <= hi:
                result[i] += step
                diff -= step
            elif diff < 0 and result[i] - step >= lo:
                result[i] -= step
                diff += step
            if not diff:
                break
    return result


def _money(value: float | int | Decimal) -> Decimal:
    return round_half_up(value, 2)


class DistrictBuilder:
    """Builds the whole district in memory, then writes it with a few bulk inserts."""

    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.now = timezone.now()
        self.current_month = today.replace(day=1)
        self.previous_month = _add_months(self.current_month, -1)
        self.enterprises: list[Enterprise] = []
        self.enterprise_tags: list[tuple[Enterprise, str]] = []
        self.contacts: list[Contact] = []
        self.enterprise_names: set[str] = set()
        self.credit_codes: set[str] = set()
        self.project_names: set[str] = set()
        self.projects: list[Project] = []
        self.helper_links: list[tuple[Project, Unit]] = []
        self.verdicts: list[tuple[date, Project, str, str]] = []
        self.leads: list[Lead] = []
        self.lead_amounts: dict[int, int] = {}  # id(enterprise) -> its first lead's amount (万元)
        self.activities: list[Activity] = []
        self.activity_enterprises: list[tuple[Activity, Enterprise]] = []
        self.activity_partners: list[tuple[Activity, Unit]] = []
        self.activity_projects: list[tuple[Activity, Project]] = []
        self.funds: list[FundsRecord] = []
        self.targets: list[Target] = []
        self.prospects: list[Enterprise] = []
        # Projects that count for seed 000's windows; the rest are kept out of them.
        self.passed_2022: list[Project] = []

    def scaled(self, n: int, month: date, last: date) -> int:
        """``n`` scaled down to the part of the month that has passed (the current month)."""
        share = ((last - month).days + 1) / _month_end(month).day
        expected = n * share
        return int(expected) + (1 if self.rng.random() < expected % 1 else 0)

    # ------------------------------------------------------------------ orchestration

    def build(self) -> list[User]:
        self.build_organisation()
        users = self.build_accounts()
        self.build_prospects()
        self.build_projects()
        self.build_prereviews()
        for project in self.projects:
            self.finish_project(project)
        self.build_leads()
        self.mark_leaders_work()
        self.build_activities()
        self.build_funds()
        self.build_targets()
        self.mark_recent_pending()
        self.save()
        return users

    # ------------------------------------------------------------------ organisation

    def build_organisation(self) -> None:
        def region(code: str, name: str, level: str, parent: Region | None) -> Region:
            obj, _ = Region.objects.get_or_create(
                code=code, defaults={"name": name, "level": level, "parent": parent}
            )
            return obj

        province = region("420000", "湖北省", RegionLevel.PROVINCE, None)
        city = region("421000", "荆州市", RegionLevel.CITY, province)
        self.district = region(DEMO_REGION_CODE, "荆州区", RegionLevel.COUNTY, city)
        # The demo deployment is the district: said once, as ``zhaoshang setup`` says it.
        if not Deployment.objects.filter(pk=1, home_region__isnull=False).exists():
            home_region_set(region=self.district)
        self.town_regions = {
            name: region(code, name, RegionLevel.TOWN, self.district) for name, code in TOWNS
        }

        task_units, _ = AssessmentGroup.objects.get_or_create(name="任务单位", defaults={"order": 1})
        forces, _ = AssessmentGroup.objects.get_or_create(name="产业招商专班", defaults={"order": 2})

        specs = []
        for name, _code in TOWNS:
            specs.append(
                (
                    name,
                    name.removesuffix("镇").removesuffix("街道"),
                    UnitKind.TOWN,
                    task_units,
                    self.town_regions[name],
                    "",
                )
            )
        specs.append((PARK, "工业园", UnitKind.PARK, task_units, self.district, ""))
        for name in DEPARTMENTS:
            specs.append(
                (
                    name,
                    name.removeprefix("区") if name.startswith("区") else name,
                    UnitKind.DEPARTMENT,
                    task_units,
                    self.district,
                    "",
                )
            )
        for industry, leader in TASK_FORCES:
            specs.append(
                (
                    f"{industry}产业招商专班",
                    f"{industry}专班",
                    UnitKind.TASK_FORCE,
                    forces,
                    self.district,
                    leader,
                )
            )
        self.units: list[Unit] = []
        for order, (name, short, kind, group, reg, leader) in enumerate(specs, start=1):
            unit, _ = Unit.objects.get_or_create(
                name=name,
                defaults={
                    "short_name": short,
                    "kind": kind,
                    "assessment_group": group,
                    "region": reg,
                    "order": order,
                    "chain_leader": leader,
                },
            )
            self.units.append(unit)
        self.unit = {u.name: u for u in self.units}
        self.task_units = [u for u in self.units if u.kind != UnitKind.TASK_FORCE]
        self.forces = [u for u in self.units if u.kind == UnitKind.TASK_FORCE]
        self.force_of = {industry: self.unit[f"{industry}产业招商专班"] for industry, _ in TASK_FORCES}

        def industry(kind: str, name: str, code: str = "", parent: Industry | None = None, order: int = 0):
            obj, _ = Industry.objects.get_or_create(
                kind=kind, name=name, defaults={"code": code, "parent": parent, "order": order}
            )
            return obj

        self.leading = {
            n: industry(IndustryKind.LEADING, n, f"L{i}", order=i)
            for i, n in enumerate(LEADING_INDUSTRIES, start=1)
        }
        self.chains = {
            n: industry(IndustryKind.CHAIN, n, f"C{i:02d}", self.leading.get(parent), i)
            for i, (n, parent) in enumerate(CHAINS, start=1)
        }
        self.strategic = {
            n: industry(IndustryKind.STRATEGIC, n, code, order=int(code)) for code, n in STRATEGIC
        }
        sectors: dict[str, Industry] = {}
        for i, (code, n, parent) in enumerate(SECTORS, start=1):
            sectors[code] = industry(IndustryKind.SECTOR, n, code, sectors.get(parent) if parent else None, i)

    def build_accounts(self) -> list[User]:
        users = []
        for account in DEMO_ACCOUNTS:
            existing = User.objects.filter(username=account.username).first()
            if existing is not None:
                users.append(existing)
                continue
            users.append(
                user_create(
                    username=account.username,
                    role=account.role,
                    password=DEMO_PASSWORD,
                    unit=self.unit[account.unit] if account.unit else None,
                    region=Region.objects.get(code=account.region) if account.region else None,
                    full_name=account.full_name,
                    must_change_password=False,
                )
            )
        by_name = {u.username: u for u in users}
        self.bureau = by_name["bureau"]
        # Who enters a unit's records: its own reporter where the demo has one; otherwise the bureau's
        # statistics office, which imports them (the command line acts for the bureau, SPEC §5).
        self.reporter_of = {
            self.unit["川店镇"].pk: by_name["reporter"],
            self.unit["马山镇"].pk: by_name["reporter2"],
        }
        return users

    # ------------------------------------------------------------------ enterprises

    def new_enterprise(
        self, suffix: str, *, tags: tuple[str, ...] = (), local: bool | None = None
    ) -> Enterprise:
        rng = self.rng
        places = names.INVESTOR_PLACES
        if local is True:
            places = tuple(p for p in places if p[2])
        elif local is False:
            places = tuple(p for p in places if not p[2])
        weights = [3 if p[3] else 2 if p[2] else 1.5 for p in places]
        listed = "listed" in tags
        for _attempt in range(100):
            prefix, region_code, in_hubei, in_city = rng.choices(places, weights)[0]
            brand = names.brand(rng)
            form = "股份有限公司" if listed or rng.random() < 0.1 else "有限公司"
            name = f"{prefix}{brand}{suffix}{form}"
            if name not in self.enterprise_names:
                break
        self.enterprise_names.add(name)
        code = names.credit_code(rng, region_code)
        while code in self.credit_codes:
            code = names.credit_code(rng, region_code)
        self.credit_codes.add(code)
        enterprise = Enterprise(
            name=name,
            credit_code=code,
            location=names.PLACE_LOCATIONS[prefix],
            stock_code=(rng.choice(("60", "00", "30")) + f"{rng.randrange(10000):04d}") if listed else "",
        )
        enterprise.demo_brand = brand
        enterprise.demo_suffix = suffix
        enterprise.demo_in_hubei = in_hubei
        enterprise.demo_in_city = in_city
        self.enterprises.append(enterprise)
        for tag in tags:
            self.enterprise_tags.append((enterprise, tag))
        if rng.random() < 0.45:
            self.contacts.append(
                Contact(
                    enterprise=enterprise,
                    name=names.person(rng),
                    title=rng.choice(("董事长", "总经理", "副总经理", "投资总监", "行政经理")),
                    phone=names.phone(rng),
                )
            )
        return enterprise

    def random_tags(self, *, allow_headline: bool = True) -> tuple[str, ...]:
        """Investor tags for a project outside the exactly-shaped 2022 set."""
        rng = self.rng
        tags: list[str] = []
        if allow_headline and rng.random() < 0.06:
            tags.append(rng.choice(("listed", "leader")))
        if allow_headline and rng.random() < 0.12:
            tags.append("high_tech")
        if rng.random() < 0.08:
            tags.append("specialised")
        if rng.random() < 0.05:
            tags.append(rng.choice(("soe", "central_soe")))
        if rng.random() < 0.03:
            tags.append("private500")
        return tuple(tags)

    def build_prospects(self) -> None:
        """Companies the units court: the enterprises of leads and visits."""
        suffixes = sorted(TEMPLATES_BY_SUFFIX)
        for _ in range(260):
            self.prospects.append(self.new_enterprise(self.rng.choice(suffixes), tags=self.random_tags()))

    # ------------------------------------------------------------------ projects

    def weekday_between(self, lo: date, hi: date) -> date:
        hi = min(hi, self.today)
        if hi < lo:
            return hi
        d = lo + timedelta(days=self.rng.randint(0, (hi - lo).days))
        for shift in (0, -1, 1, -2, 2):
            candidate = d + timedelta(days=shift)
            if lo <= candidate <= hi and candidate.weekday() < 5:
                return candidate
        return d

    def signing_date(self, lo: date, hi: date, *, ceremony_share: float = 0.18) -> date:
        ceremonies = [c for c in CEREMONIES + self.later_ceremonies() if lo <= c <= min(hi, self.today)]
        if ceremonies and self.rng.random() < ceremony_share:
            return self.rng.choice(ceremonies)
        return self.weekday_between(lo, hi)

    def later_ceremonies(self) -> tuple[date, ...]:
        # One signing ceremony a quarter after 2022: the last Tuesday of the quarter's last month.
        if not hasattr(self, "_later_ceremonies"):
            found = []
            for year in range(2023, self.today.year + 1):
                for month in (3, 6, 9, 12):
                    d = _month_end(date(year, month, 1))
                    while d.weekday() != 1:
                        d -= timedelta(days=1)
                    if d <= self.today:
                        found.append(d)
            self._later_ceremonies = tuple(found)
        return self._later_ceremonies

    def pick_unit(self, *, big: bool = False) -> Unit:
        weights = []
        for u in self.units:
            if u.kind == UnitKind.PARK:
                w = 10 if big else 7
            elif u.kind == UnitKind.TOWN:
                w = 4
            elif u.kind == UnitKind.TASK_FORCE:
                w = 3
            else:
                w = 0.3 if big else 0.7
            weights.append(w)
        return self.rng.choices(self.units, weights)[0]

    def landing_region(self, unit: Unit) -> Region:
        if unit.kind in (UnitKind.TOWN, UnitKind.PARK):
            return unit.region
        if self.rng.random() < 0.55:
            return self.rng.choice(list(self.town_regions.values()))
        return self.district

    def new_project(
        self,
        *,
        key: str,
        amount: int,
        signed_on: date | None,
        unit: Unit | None = None,
        template: tuple | None = None,
        exact_name: bool = False,
        investor: Enterprise | None = None,
        tags: tuple[str, ...] | None = None,
        land_mode: str | None = None,
        city_dispatch: bool = False,
        kind: str = ProjectKind.NEW,
        added: int | None = None,
        name: str | None = None,
    ) -> Project:
        rng = self.rng
        leading, manufacturing, chain, strategic = (c != "-" for c in key)
        tpl = template or rng.choice(TEMPLATES[key])
        stem, industry, chain_name, strategic_name, sector, suffix = tpl
        if unit is None:
            unit = self.pick_unit(big=amount >= 100000)
            if unit.kind == UnitKind.TASK_FORCE and not (industry and unit.name.startswith(industry)):
                # A 专班 brings projects of its own industry: another industry's project goes to its
                # own 专班, or to the 区商务局 where there is none (no draw: the stream stays as it was).
                unit = self.force_of.get(industry) or self.unit["区商务局"]
        if investor is None:
            investor = self.new_enterprise(suffix, tags=self.random_tags() if tags is None else tags)
        if name is None:
            name = stem if exact_name else f"{investor.demo_brand}{stem}"
            while name in self.project_names:
                name = f"{names.brand(rng)}{stem}"
        self.project_names.add(name)
        if land_mode is None:
            if sector == Sector.PRIMARY or amount >= 50000:
                land_mode = LandMode.ACQUISITION
            else:
                land_mode = LandMode.LEASED if rng.random() < 0.6 else LandMode.ACQUISITION
        area = None
        if land_mode == LandMode.ACQUISITION:
            area = _money(max(8, amount / rng.uniform(150, 450)))
        tag_codes = {t for e, t in self.enterprise_tags if e is investor} if tags is None else set(tags)
        project = Project(
            name=name,
            investor=investor,
            introducing_unit=unit,
            region=self.landing_region(unit),
            industry=self.leading[industry] if leading else None,
            chain=self.chains[chain_name] if chain else None,
            strategic_category=self.strategic[strategic_name] if strategic else None,
            sector=sector,
            total_investment_wan=Decimal(amount),
            added_investment_wan=Decimal(added) if added is not None else None,
            kind=kind,
            land_mode=land_mode,
            land_area_mu=area,
            is_leading_industry=leading,
            is_chain=chain,
            is_industrial=manufacturing or sector == Sector.SECONDARY,
            is_manufacturing=manufacturing,
            is_strategic_emerging=strategic,
            is_private=not (tag_codes & {"soe", "central_soe"}),
            is_headquarters=sector == Sector.TERTIARY and rng.random() < 0.06,
            city_dispatch=city_dispatch,
            is_major=amount >= 100000,
            stage=Stage.SIGNED if signed_on else Stage.NEGOTIATING,
            signed_on=signed_on,
            review_status=ReviewStatus.RECOGNISED,
        )
        if project.is_headquarters:
            # 总部经济: the tax expected each year, 2% of the investment (no draw: the seed's stream
            # of random numbers stays as it was).
            project.expected_tax_wan = Decimal(amount) / 50
        if project.is_major:
            self.add_responsibility_chain(project)
        if rng.random() < 0.12:
            helper = rng.choice([u for u in self.units if u.pk != unit.pk])
            self.helper_links.append((project, helper))
        self.projects.append(project)
        return project

    def add_responsibility_chain(self, project: Project) -> None:
        """一个项目、一个领导、一套班子、一套人马 (seed 001)."""
        rng = self.rng
        project.leader_in_charge = names.leader(rng)
        project.lead_unit = rng.choice(
            (project.introducing_unit, self.unit["区发改局"], self.unit["区商务局"])
        )
        project.service_team = "、".join(
            dict.fromkeys(("区发改局", "区自然资源局", "区住建局", "区经信局", project.region.name))
        )
        project.chief_service_officer = f"{names.person(rng)}(区商务局副局长)"

    def commence_between(self, lo: date, hi: date) -> date | None:
        hi = min(hi, self.today)
        if hi < lo:
            return None
        return self.weekday_between(lo, hi)

    def commence_outside_windows(self, signed_on: date, probability: float = 0.85) -> date | None:
        """A commencement date after signing that does not fall in seed 000's counted windows."""
        rng = self.rng
        if rng.random() > probability:
            return None
        for _ in range(30):
            d = signed_on + timedelta(days=rng.randint(15, 300))
            if d <= self.today and not _in_windows(d):
                return d
        return None

    def build_projects(self) -> None:
        self.build_projects_2022_window()
        self.build_projects_2021_window()
        self.build_projects_fillers()
        self.build_projects_other_2021_2022()
        self.build_projects_flow()

    def build_projects_2022_window(self) -> None:
        """The 66 projects of 1亿元 and more signed in 1–7月 2022, exactly as seed 000 counts them."""
        rng = self.rng
        lo, hi = date(2022, 1, 4), date(2022, 7, 29)
        u = self.unit
        named_units = {
            "soft_board": u[PARK],
            "led": u[PARK],
            "battery": u[PARK],
            "culture": u["纪南镇"],
            "trade_city": u["纪南镇"],
            "agri_park": u["川店镇"],
            "furniture": u["李埠镇"],
            "phosphate": u["李埠镇"],
            "data_park": u["区发改局"],
        }
        named_dates = {
            "soft_board": date(2022, 6, 28),
            "led": date(2022, 2, 23),
            "agri_park": date(2022, 3, 29),
            "phosphate": date(2022, 7, 27),
            "culture": date(2022, 4, 20),
        }
        named_tags = {"soft_board": ("listed", "high_tech"), "led": ("leader", "high_tech")}
        named = {}
        for key, (profile, amount, tpl) in NAMED_2022.items():
            signed = named_dates.get(key) or self.signing_date(lo, hi)
            named[key] = self.new_project(
                key=profile,
                amount=amount,
                signed_on=signed,
                unit=named_units[key],
                template=tpl,
                exact_name=key == "agri_park",
                tags=named_tags.get(key, ()),
                land_mode=LandMode.ACQUISITION,
                city_dispatch=True,
            )
        self.led = named["led"]
        # The LED project is one of the two 10亿元-plus projects commenced in 1–6月 2022.
        self.led.commenced_on = date(2022, 5, 16)
        for key, project in named.items():
            if key != "led":
                project.commenced_on = self.commence_between(
                    max(project.signed_on + timedelta(days=30), date(2022, 7, 4)), date(2023, 9, 30)
                )

        # 27 projects of 5–10亿元 and 30 of 1–5亿元 for the remaining 196.7亿元.
        band_c = partition(rng, 1500000, 27, 50000, 99000, 1000)
        band_d = partition(rng, 467000, 30, 10000, 49000, 1000)
        profiles = [p for p, n in PROFILES_2022_REST.items() for _ in range(n)]
        rng.shuffle(profiles)
        amounts = band_c + band_d
        # Acquired land: the 9 largest, then 20 more of the largest and 3 others (32 in all).
        order = sorted(range(57), key=lambda i: -amounts[i])
        acquired = set(order[:20]) | set(rng.sample(order[20:], 3))
        # Investor tags: 3 listed or leading companies in all (2 above) and 6 high-tech (2 above).
        strategic_manufacturing = [i for i in range(57) if profiles[i] in ("LMCS", "-MCS")]
        listed_i = rng.choice([i for i in strategic_manufacturing if i < 27] or strategic_manufacturing)
        high_tech = set(rng.sample([i for i in strategic_manufacturing if i != listed_i], 4))
        # 10 projects of 1–5亿元 commence in 1–6月 2022; two others are later terminated.
        band_d_idx = list(range(27, 57))
        commenced_members = set(rng.sample(band_d_idx, 10))
        terminated = set(rng.sample([i for i in band_d_idx if i not in commenced_members], 2))
        self.s22_commenced: list[Project] = [self.led]
        # Each of the period's three signing ceremonies has at least two more projects signed on stage.
        others = [i for i in range(57) if i not in commenced_members]
        rng.shuffle(others)
        ceremony_of = {
            i: day
            for day, pair in zip(CEREMONIES[2:5], (others[0:2], others[2:4], others[4:6]), strict=True)
            for i in pair
        }
        other_tags = ("specialised", "private500", "soe", "hmt", "foreign")
        for i in range(57):
            tags = []
            if i == listed_i:
                tags.append("listed")
            if i in high_tech:
                tags.append("high_tech")
            if rng.random() < 0.15:
                tags.append(rng.choice(other_tags))
            if i in ceremony_of:
                signed = ceremony_of[i]
            elif i in commenced_members:
                signed = self.signing_date(lo, date(2022, 5, 31))
            else:
                signed = self.signing_date(lo, hi)
            project = self.new_project(
                key=profiles[i],
                amount=amounts[i],
                signed_on=signed,
                tags=tuple(tags),
                land_mode=LandMode.ACQUISITION if i in acquired else LandMode.LEASED,
            )
            if i in commenced_members:
                project.commenced_on = self.commence_between(signed + timedelta(days=10), date(2022, 6, 30))
                self.s22_commenced.append(project)
            elif i in terminated:
                project.stage = Stage.TERMINATED
                project.ended_on = min(signed + timedelta(days=rng.randint(90, 240)), self.today)
                project.end_reason = rng.choice(TERMINATION_REASONS)
            else:
                project.commenced_on = (
                    self.commence_between(
                        max(signed + timedelta(days=20), date(2022, 7, 1)), date(2023, 12, 31)
                    )
                    if rng.random() < 0.85
                    else None
                )
            if "hmt" in tags or "foreign" in tags:
                self.add_foreign_capital(project)

        # Two projects signed in the period and later withdrawn (退库): they never count.
        for _ in range(2):
            project = self.new_project(
                key=rng.choice(list(TEMPLATES)),
                amount=rng.randrange(12000, 60000, 1000),
                signed_on=self.weekday_between(date(2022, 3, 1), date(2022, 6, 30)),
            )
            project.stage = Stage.WITHDRAWN
            project.ended_on = project.signed_on + timedelta(days=rng.randint(40, 120))
            project.end_reason = rng.choice(WITHDRAWAL_REASONS[:2])
        # Small projects (under 1亿元) signed in 1–7月 2022: counted by no 亿元以上 figure.
        for _ in range(12):
            signed = self.signing_date(lo, hi, ceremony_share=0.1)
            project = self.new_project(
                key=self.random_profile(), amount=rng.randrange(2000, 9900, 100), signed_on=signed
            )
            project.commenced_on = self.commence_outside_windows(signed)

    def random_profile(self) -> str:
        return self.rng.choices(list(PROFILE_WEIGHTS), list(PROFILE_WEIGHTS.values()))[0]

    def add_foreign_capital(self, project: Project) -> None:
        rng = self.rng
        currency, per_usd = rng.choice((("美元", 1.0), ("港元", 7.8)))
        usd = _money(float(project.total_investment_wan) * rng.uniform(0.2, 0.5) / 6.7)
        project.foreign_currency = currency
        project.foreign_usd_wan = usd
        project.foreign_amount = _money(float(usd) * per_usd)

    def build_projects_2021_window(self) -> None:
        """The 2021 base: 47 projects of 1亿元 and more signed in 1–7月 2021 for 179.6亿元."""
        rng = self.rng
        lo, hi = date(2021, 1, 4), date(2021, 7, 30)
        bigs = [200000, 150000, 120000, 100000]
        rest = partition(rng, 1796000 - sum(bigs), 43, 10000, 99000, 1000)
        small_idx = [i for i, a in enumerate(rest) if a < 40000]
        if len(small_idx) < 22:
            raise ValueError("seed gives too few small 2021 projects")
        rng.shuffle(small_idx)
        members_2021 = set(small_idx[:12])
        members_2022 = set(small_idx[12:22])
        self.s21_commenced_2021: list[Project] = []
        self.s21_commenced_2022: list[Project] = []
        for amount in bigs:
            if amount == 120000:
                signed = self.weekday_between(date(2021, 6, 1), date(2021, 6, 30))
            else:
                signed = self.signing_date(lo, hi)
            project = self.new_project(
                key=self.random_profile(),
                amount=amount,
                signed_on=signed,
                city_dispatch=True,
                land_mode=LandMode.ACQUISITION,
            )
            if amount == 120000:
                # The other 10亿元-plus project commenced in 1–6月 2022.
                project.commenced_on = self.commence_between(date(2022, 3, 1), date(2022, 3, 31))
                self.s21_commenced_2022.append(project)
            else:
                project.commenced_on = self.commence_between(
                    max(signed + timedelta(days=30), date(2021, 7, 1)), date(2021, 12, 31)
                )
        for i, amount in enumerate(rest):
            if i in members_2021:
                signed = self.signing_date(lo, date(2021, 5, 20))
            else:
                signed = self.signing_date(lo, hi)
            project = self.new_project(key=self.random_profile(), amount=amount, signed_on=signed)
            if i in members_2021:
                project.commenced_on = self.commence_between(signed + timedelta(days=10), date(2021, 6, 30))
                self.s21_commenced_2021.append(project)
            elif i in members_2022:
                project.commenced_on = self.commence_between(date(2022, 1, 4), date(2022, 6, 30))
                self.s21_commenced_2022.append(project)
            else:
                project.commenced_on = self.commence_outside_windows(signed)
            if rng.random() < 0.04:
                self.add_foreign_capital(project)
        # One withdrawn and twelve small ones in the same period.
        project = self.new_project(
            key=self.random_profile(),
            amount=30000,
            signed_on=self.weekday_between(date(2021, 3, 1), date(2021, 5, 31)),
        )
        project.stage = Stage.WITHDRAWN
        project.ended_on = project.signed_on + timedelta(days=rng.randint(60, 150))
        project.end_reason = WITHDRAWAL_REASONS[1]
        for _ in range(12):
            signed = self.signing_date(lo, hi, ceremony_share=0.1)
            project = self.new_project(
                key=self.random_profile(), amount=rng.randrange(2000, 9900, 100), signed_on=signed
            )
            project.commenced_on = self.commence_outside_windows(signed)

    def build_projects_fillers(self) -> None:
        """The other projects commenced in 1–6月 2021 and 1–6月 2022, so that the totals are exact."""
        rng = self.rng
        # 1–6月 2021: 43 projects for 86.88亿元 = 12 of the 2021 set + 16 small ones + 15 signed in 2020.
        small = []
        for _ in range(16):
            signed = self.signing_date(date(2021, 1, 4), date(2021, 5, 25), ceremony_share=0)
            project = self.new_project(
                key=self.random_profile(), amount=rng.randrange(2000, 9900, 100), signed_on=signed
            )
            project.commenced_on = self.commence_between(signed + timedelta(days=10), date(2021, 6, 30))
            small.append(project)
        counted = self.s21_commenced_2021 + small
        rest = 868800 - sum(int(p.total_investment_wan) for p in counted)
        for amount in partition(rng, rest, 15, 2000, 99900, 100):
            signed = self.signing_date(date(2020, 7, 1), date(2020, 12, 25), ceremony_share=0)
            project = self.new_project(key=self.random_profile(), amount=amount, signed_on=signed)
            project.commenced_on = self.commence_between(
                max(signed + timedelta(days=15), date(2021, 1, 4)), date(2021, 6, 30)
            )
        # 1–6月 2022: 51 projects for 126.93亿元 = the LED project and 10 others of the 2022 set,
        # 11 of the 2021 set (one of 12亿元) and 29 signed in the second half of 2021.
        counted = self.s22_commenced + self.s21_commenced_2022
        rest = 1269300 - sum(int(p.total_investment_wan) for p in counted)
        for amount in partition(rng, rest, 29, 2000, 99900, 100):
            signed = self.signing_date(date(2021, 8, 2), date(2021, 12, 28))
            project = self.new_project(key=self.random_profile(), amount=amount, signed_on=signed)
            project.commenced_on = self.commence_between(
                max(signed + timedelta(days=15), date(2022, 1, 4)), date(2022, 6, 30)
            )

    def build_projects_other_2021_2022(self) -> None:
        rng = self.rng
        # 10亿元-plus projects signed in the second halves, all under city dispatch: with the 9 of
        # 2022 and the 4 of 2021 they make seed 000's 24.
        for lo, hi, n in (
            (date(2021, 8, 2), date(2021, 12, 28), 5),
            (date(2022, 8, 1), date(2022, 12, 28), 6),
        ):
            for _ in range(n):
                signed = self.signing_date(lo, hi, ceremony_share=0.3)
                project = self.new_project(
                    key=self.random_profile(),
                    amount=rng.randrange(100000, 260000, 10000),
                    signed_on=signed,
                    city_dispatch=True,
                    land_mode=LandMode.ACQUISITION,
                )
                project.commenced_on = self.commence_outside_windows(signed, probability=0.9)
        # Ordinary projects of the second halves.
        for lo, hi, n in (
            (date(2021, 8, 2), date(2021, 12, 28), 15),
            (date(2022, 8, 1), date(2022, 12, 28), 18),
        ):
            for _ in range(n):
                amount = (
                    rng.randrange(10000, 99000, 1000)
                    if rng.random() < 0.75
                    else rng.randrange(2000, 9900, 100)
                )
                signed = self.signing_date(lo, hi)
                project = self.new_project(key=self.random_profile(), amount=amount, signed_on=signed)
                project.commenced_on = self.commence_outside_windows(signed)
        # Small 2021 projects signed in the second half.
        for _ in range(8):
            signed = self.signing_date(date(2021, 8, 2), date(2021, 12, 28), ceremony_share=0)
            project = self.new_project(
                key=self.random_profile(), amount=rng.randrange(2000, 9900, 100), signed_on=signed
            )
            project.commenced_on = self.commence_outside_windows(signed)
        # Expansions (扩建): they count their added investment, and are kept out of the counted windows.
        base = [
            p
            for p in self.projects
            if p.signed_on
            and p.signed_on.year == 2021
            and p.stage == Stage.SIGNED
            and 20000 <= p.total_investment_wan < 90000
        ]
        for original, signed, total, added in (
            (base[0], date(2022, 9, 15), 60000, 20000),
            (base[1], date(2021, 11, 10), 45000, 15000),
        ):
            project = self.new_project(
                key=self.profile_of(original),
                amount=total,
                signed_on=signed,
                unit=original.introducing_unit,
                investor=original.investor,
                kind=ProjectKind.EXPANSION,
                added=added,
                name=f"{original.name.removesuffix('项目')}二期扩建项目",
            )
            self.same_industry(project, original)
            project.commenced_on = self.commence_outside_windows(signed)
        small = next(
            p
            for p in self.projects
            if p.total_investment_wan < 6000
            and p.signed_on
            and p.signed_on.year == 2021
            and p.stage == Stage.SIGNED
        )
        project = self.new_project(
            key=self.profile_of(small),
            amount=8000,
            added=3000,
            kind=ProjectKind.EXPANSION,
            signed_on=date(2022, 4, 12),
            unit=small.introducing_unit,
            investor=small.investor,
            name=f"{small.name.removesuffix('项目')}技改扩建项目",
        )
        self.same_industry(project, small)
        project.commenced_on = self.commence_outside_windows(project.signed_on)

    @staticmethod
    def same_industry(project: Project, original: Project) -> None:
        """An expansion is of its original's industry (and stays with its original's unit)."""
        for field in ("industry", "chain", "strategic_category", "sector"):
            setattr(project, field, getattr(original, field))

    @staticmethod
    def profile_of(project: Project) -> str:
        return "".join(
            (
                "L" if project.is_leading_industry else "-",
                "M" if project.is_manufacturing else "-",
                "C" if project.is_chain else "-",
                "S" if project.is_strategic_emerging else "-",
            )
        )

    def build_projects_flow(self) -> None:
        """From 2023 to the current month: signings at seed 000's scale every year (about 10 a month,
        four in five of them 亿元以上, as in 1–7月 2022: 79 signed, 66 亿元以上), some negotiating."""
        rng = self.rng
        for month in _months(date(2023, 1, 1), self.current_month):
            last = min(_month_end(month), self.today)
            count = max(1, self.scaled(rng.randint(9, 13), month, last))
            for n in range(count):
                roll = rng.random()
                if roll < 0.1:
                    amount, dispatch = rng.randrange(100000, 300000, 10000), True
                elif roll < 0.85:
                    amount, dispatch = rng.randrange(10000, 99000, 1000), False
                else:
                    amount, dispatch = rng.randrange(2000, 9900, 100), False
                # The current month always has a project signed by today.
                signed = self.signing_date(month, last) if n or month != self.current_month else last
                if signed < month:
                    signed = month
                project = self.new_project(
                    key=self.random_profile(), amount=amount, signed_on=signed, city_dispatch=dispatch
                )
                if rng.random() < 0.04:
                    self.add_foreign_capital(project)
                start = signed + timedelta(days=rng.randint(20, 240))
                if start <= self.today and rng.random() < 0.85:
                    project.commenced_on = start
            if month >= _add_months(self.current_month, -4):
                for _ in range(2):
                    project = self.new_project(
                        key=self.random_profile(), amount=rng.randrange(5000, 150000, 1000), signed_on=None
                    )
                    project.negotiated_on = self.weekday_between(month, last)
            if rng.random() < 0.2:
                original = rng.choice(
                    [
                        p
                        for p in self.projects
                        if p.commenced_on
                        and p.kind == ProjectKind.NEW
                        and p.total_investment_wan >= 20000
                        and p.stage != Stage.WITHDRAWN
                    ]
                )
                total = int(original.total_investment_wan) // 2 // 1000 * 1000 + 10000
                project = self.new_project(
                    key=self.profile_of(original),
                    amount=total,
                    added=total // 2,
                    kind=ProjectKind.EXPANSION,
                    signed_on=self.weekday_between(month, last),
                    unit=original.introducing_unit,
                    investor=original.investor,
                    name=f"{original.name.removesuffix('项目')}扩建项目({month.year}年)",
                )
                self.same_industry(project, original)
                start = project.signed_on + timedelta(days=rng.randint(30, 200))
                project.commenced_on = start if start <= self.today else None

    # ------------------------------------------------------------------ pre-review

    def meeting_dates(self) -> list[date]:
        dates = []
        for month in _months(date(2021, 1, 1), self.current_month):
            if date(2022, 1, 1) <= month <= date(2022, 7, 1):
                dates.append(PREREVIEW_2022[month.month - 1])
                continue
            d = month.replace(day=15)
            while d.weekday() >= 5:
                d += timedelta(days=1)
            if d <= self.today:
                dates.append(d)
        return dates

    def build_prereviews(self) -> None:
        """预审会 monthly; in 1–7月 2022 exactly 121 projects judged and 88 passed (seed 000)."""
        rng = self.rng
        self.meeting_days = self.meeting_dates()
        fixed = set(PREREVIEW_2022)
        judged: set[int] = set()

        def latest_meeting(before: date) -> date | None:
            found = [m for m in self.meeting_days if m <= before - timedelta(days=5)]
            if not found or (before - found[-1]).days > 75:
                return None
            return found[-1]

        # Passed in 1–7月 2022: the window's signed projects reviewed then, the two later withdrawn,
        # and projects signed from August after passing in June or July.
        passed = []
        for project in self.projects:
            if (
                project.kind != ProjectKind.NEW
                or not project.signed_on
                or project.total_investment_wan < 10000
            ):
                continue
            if not (WINDOW_2022[0] <= project.signed_on <= WINDOW_2022[1]):
                continue
            meeting = latest_meeting(project.signed_on)
            if meeting in fixed:
                passed.append((meeting, project))
        needed = 88 - len(passed)
        for _ in range(needed):
            signed = self.weekday_between(date(2022, 8, 1), date(2022, 10, 31))
            amount = (
                rng.randrange(10000, 90000, 1000) if rng.random() < 0.8 else rng.randrange(3000, 9900, 100)
            )
            project = self.new_project(key=self.random_profile(), amount=amount, signed_on=signed)
            project.commenced_on = self.commence_outside_windows(signed)
            passed.append((rng.choice(PREREVIEW_2022[5:]), project))
        for meeting, project in passed:
            project.prereview_passed_on = meeting
            self.verdicts.append((meeting, project, Verdict.PASSED, PASSED_OPINIONS))
            judged.add(id(project))
        # Judged but not passed in 1–7月 2022: 21 refused (then withdrawn) and 12 deferred, which
        # passed a later meeting and signed from September.
        for i in range(33):
            meeting = PREREVIEW_2022[i % 7]
            amount = rng.randrange(5000, 80000, 1000)
            if i < 21:
                project = self.new_project(key=self.random_profile(), amount=amount, signed_on=None)
                project.negotiated_on = meeting - timedelta(days=rng.randint(20, 120))
                project.stage = Stage.WITHDRAWN
                project.ended_on = meeting + timedelta(days=rng.randint(5, 40))
                project.end_reason = WITHDRAWAL_REASONS[2]
                self.verdicts.append((meeting, project, Verdict.FAILED, rng.choice(FAILED_OPINIONS)))
            else:
                signed = self.weekday_between(date(2022, 9, 1), date(2023, 2, 28))
                project = self.new_project(
                    key=self.random_profile(), amount=max(amount, 10000), signed_on=signed
                )
                project.negotiated_on = meeting - timedelta(days=rng.randint(20, 90))
                project.commenced_on = self.commence_outside_windows(signed)
                self.verdicts.append((meeting, project, Verdict.DEFERRED, rng.choice(DEFERRED_OPINIONS)))
                later = latest_meeting(signed)
                if later and later not in fixed:
                    project.prereview_passed_on = later
                    self.verdicts.append((later, project, Verdict.PASSED, PASSED_OPINIONS))
            judged.add(id(project))
        # Every other meeting: the projects of 1亿元 and more signed after it, and a refusal or two.
        for project in list(self.projects):
            if id(project) in judged or project.kind != ProjectKind.NEW or not project.signed_on:
                continue
            if project.total_investment_wan < 10000:
                continue
            meeting = latest_meeting(project.signed_on)
            if meeting is None or meeting in fixed:
                continue
            project.prereview_passed_on = meeting
            self.verdicts.append((meeting, project, Verdict.PASSED, PASSED_OPINIONS))
        for meeting in self.meeting_days:
            if meeting in fixed:
                continue
            for _ in range(rng.choice((0, 1, 1, 2))):
                project = self.new_project(
                    key=self.random_profile(), amount=rng.randrange(3000, 60000, 1000), signed_on=None
                )
                project.negotiated_on = meeting - timedelta(days=rng.randint(20, 120))
                judged.add(id(project))
                if meeting >= self.today - timedelta(days=40):
                    # Refused recently: still being renegotiated.
                    self.verdicts.append((meeting, project, Verdict.DEFERRED, rng.choice(DEFERRED_OPINIONS)))
                    continue
                project.stage = Stage.WITHDRAWN
                project.ended_on = min(meeting + timedelta(days=rng.randint(5, 40)), self.today)
                project.end_reason = WITHDRAWAL_REASONS[2]
                self.verdicts.append((meeting, project, Verdict.FAILED, rng.choice(FAILED_OPINIONS)))
        # Negotiating projects of the last months that passed the latest meeting.
        recent = [m for m in self.meeting_days if m not in fixed][-1:]
        for project in self.projects:
            if (
                recent
                and project.stage == Stage.NEGOTIATING
                and project.signed_on is None
                and project.negotiated_on
                and project.negotiated_on < recent[0] - timedelta(days=10)
                and id(project) not in judged
                and rng.random() < 0.5
            ):
                project.prereview_passed_on = recent[0]
                self.verdicts.append((recent[0], project, Verdict.PASSED, PASSED_OPINIONS))
                judged.add(id(project))

    # ------------------------------------------------------------------ project dates and stage

    def finish_project(self, project: Project) -> None:
        """Fill the dates around the decided ones, and set the stage to match the latest."""
        rng = self.rng
        anchor = project.signed_on or project.prereview_passed_on or project.negotiated_on or self.today
        if project.negotiated_on is None:
            project.negotiated_on = anchor - timedelta(days=rng.randint(25, 320))
        if project.prereview_passed_on and project.negotiated_on > project.prereview_passed_on:
            project.negotiated_on = project.prereview_passed_on - timedelta(days=rng.randint(10, 90))
        if project.signed_on:
            project.agreed_start_on = project.signed_on + timedelta(days=rng.randint(45, 180))
        if project.stage in (Stage.TERMINATED, Stage.WITHDRAWN):
            project.commenced_on = None
            return
        if project.commenced_on:
            in_production = project.commenced_on + timedelta(days=rng.randint(150, 540))
            if in_production <= self.today and rng.random() < 0.7:
                project.in_production_on = in_production
                effective = in_production + timedelta(days=rng.randint(300, 720))
                if effective <= self.today and rng.random() < 0.4:
                    project.effective_on = effective
        if project.effective_on:
            project.stage = Stage.EFFECTIVE
        elif project.in_production_on:
            project.stage = Stage.IN_PRODUCTION
        elif project.commenced_on:
            project.stage = Stage.COMMENCED
        elif project.signed_on:
            project.stage = Stage.SIGNED
        elif project.prereview_passed_on:
            project.stage = Stage.PREREVIEWED
        else:
            project.stage = Stage.NEGOTIATING

    # ------------------------------------------------------------------ leads

    def new_lead(self, unit: Unit, on: date, *, valuable: bool | None) -> Lead:
        rng = self.rng
        enterprise = rng.choice(self.prospects)
        stem, industry, *_ = rng.choice(TEMPLATES_BY_SUFFIX[enterprise.demo_suffix])
        amount = rng.choice((3000, 5000, 8000, 10000, 15000, 20000, 30000, 50000, 80000, 100000, 200000))
        # One company's intention keeps its size whoever reports it: within 1.5 times of its first
        # lead's amount (so two leads differ at most 2.25 times, below the 3-times check of
        # ``lead_amount_conflict``), else the first amount again. The draw above stays, so the
        # random stream and every other figure of the demo stay as they were.
        first = self.lead_amounts.setdefault(id(enterprise), amount)
        if not (2 * first <= 3 * amount and 2 * amount <= 3 * first):  # within 1.5 times
            amount = first
        if valuable is None:
            status = LeadStatus.COLLECTED
        elif valuable:
            status = rng.choice(
                (LeadStatus.PUSHED, LeadStatus.FOLLOWING, LeadStatus.FOLLOWING, LeadStatus.CONVERTED)
            )
        else:
            status = rng.choice((LeadStatus.CLOSED, LeadStatus.CLOSED, LeadStatus.SCREENED))
        assigned = None
        if status == LeadStatus.PUSHED and industry:
            assigned = self.force_of[industry]
        lead = Lead(
            title=f"{enterprise.name}拟在荆州区投资{stem}",
            unit=unit,
            reported_on=on,
            enterprise=enterprise,
            industry=self.leading[industry] if industry else None,
            intended_investment_wan=Decimal(amount),
            is_valuable=valuable,
            status=status,
            assigned_unit=assigned,
            note=""
            if valuable is not False
            else rng.choice(("投资意向不明确", "企业无扩张计划", "与我区产业定位不符")),
            review_status=ReviewStatus.RECOGNISED,
        )
        self.leads.append(lead)
        return lead

    def lead_weight(self, unit: Unit) -> float:
        return {UnitKind.PARK: 10, UnitKind.TOWN: 7, UnitKind.TASK_FORCE: 6}.get(unit.kind, 1.5)

    def build_leads(self) -> None:
        rng = self.rng
        # 1–7月 2022: 196 leads, 67 valuable, and six units with none (seed 000).
        reporting = [u for u in self.units if u.name not in NO_LEADS]
        counts = dict.fromkeys(reporting, 1)
        weights = [self.lead_weight(u) for u in reporting]
        for _ in range(196 - len(reporting)):
            counts[rng.choices(reporting, weights)[0]] += 1
        slots = [u for u, n in counts.items() for _ in range(n)]
        valuable = set(rng.sample(range(len(slots)), 67))
        for i, unit in enumerate(slots):
            self.new_lead(unit, self.weekday_between(*WINDOW_2022), valuable=i in valuable)
        # Every other month from 2021 on.
        for month in _months(date(2021, 1, 1), self.current_month):
            if WINDOW_2022[0] <= month <= WINDOW_2022[1]:
                continue
            last = min(_month_end(month), self.today)
            all_weights = [self.lead_weight(u) for u in self.units]
            count = max(1, self.scaled(rng.randint(22, 34), month, last))
            for n in range(count):
                unit = rng.choices(self.units, all_weights)[0]
                on = last if (n == 0 and month == self.current_month) else self.weekday_between(month, last)
                pending = month >= self.previous_month and on >= self.today - timedelta(days=25)
                self.new_lead(unit, on, valuable=None if pending else rng.random() < 0.33)
        # Converted leads point at a project their unit went on to negotiate.
        by_unit: dict[int, list[Project]] = defaultdict(list)
        for project in self.projects:
            if project.stage != Stage.WITHDRAWN:
                by_unit[project.introducing_unit.pk].append(project)
        taken: set[int] = set()
        for lead in self.leads:
            if lead.status != LeadStatus.CONVERTED:
                continue
            candidates = [
                p
                for p in by_unit[lead.unit.pk]
                if id(p) not in taken
                and lead.reported_on <= p.negotiated_on <= lead.reported_on + timedelta(days=365)
            ]
            if candidates:
                project = rng.choice(candidates)
                taken.add(id(project))
                lead.project = project
            else:
                lead.status = LeadStatus.FOLLOWING

    def mark_leaders_work(self) -> None:
        """Seed 003's 四大家 at district scale: the 区委书记 negotiates the 20亿元以上 projects in person,
        the 区长 the 10–20亿元 ones; every eighth valuable lead came from one of them in turn. Chosen
        by rule, not drawn, so the random stream (and every seed-000 figure) stays as it was."""
        secretary = f"{names.LEADERS['区委书记']}(区委书记)"
        mayor = f"{names.LEADERS['区长']}(区长)"
        for project in self.projects:
            if project.negotiated_on is None or project.stage == Stage.WITHDRAWN:
                continue
            amount = project.added_investment_wan or project.total_investment_wan
            if amount >= 200000:
                project.negotiating_leader = secretary
            elif amount >= 100000:
                project.negotiating_leader = mayor
        valuable = [lead for lead in self.leads if lead.is_valuable]
        for n, lead in enumerate(valuable[::8]):
            lead.provided_by_leader = secretary if n % 2 == 0 else mayor

    # ------------------------------------------------------------------ activities

    def new_activity(self, kind: str, unit: Unit, start: date, end: date | None = None, **fields) -> Activity:
        activity = Activity(
            kind=kind,
            unit=unit,
            started_on=start,
            ended_on=end,
            review_status=ReviewStatus.RECOGNISED,
            **fields,
        )
        self.activities.append(activity)
        return activity

    def link_enterprises(self, activity: Activity, count: int) -> None:
        for enterprise in self.rng.sample(self.prospects, count):
            self.activity_enterprises.append((activity, enterprise))

    def trip(self, unit: Unit, start: date, days: int, out_of_province: bool) -> Activity:
        rng = self.rng
        destination = rng.choice(names.DESTINATIONS_OUT if out_of_province else names.DESTINATIONS_IN)
        met = rng.randint(1, 4)
        leaders = ""
        if unit.chain_leader:
            leaders = f"{unit.chain_leader}(链长)"
        elif rng.random() < 0.3:
            leaders = names.leader(rng)
        activity = self.new_activity(
            ActivityKind.TRIP,
            unit,
            start,
            start + timedelta(days=days - 1),
            destination=destination,
            out_of_province=out_of_province,
            enterprise_count=met,
            leaders=leaders,
            outcome=f"赴{destination}对接企业{met}家"
            + (",达成初步投资意向1个" if rng.random() < 0.25 else ""),
        )
        self.link_enterprises(activity, met)
        return activity

    def trip_start(self, lo: date, hi: date, days: int) -> date | None:
        last_start = hi - timedelta(days=days - 1)
        if last_start < lo:
            return None
        return lo + timedelta(days=self.rng.randint(0, (last_start - lo).days))

    def force_trips(
        self, unit: Unit, lo: date, hi: date, total_days: int, *, partners: list[Unit] = ()
    ) -> None:
        """Back-to-back trips of a task force, ``total_days`` calendar days away in all, within [lo, hi]."""
        rng = self.rng
        span = (hi - lo).days + 1
        total_days = min(total_days, span - 1)
        if total_days <= 0:
            return
        lengths = []
        left = total_days
        while left:
            n = min(left, rng.randint(3, 7))
            if 0 < left - n < 3 and left <= 7:
                n = left
            lengths.append(n)
            left -= n
        free = span - total_days
        weights = [rng.random() + 0.2 for _ in range(len(lengths) + 1)]
        gaps = [int(free * w / sum(weights)) for w in weights]
        day = lo
        for length, gap in zip(lengths, gaps, strict=False):
            day += timedelta(days=gap)
            activity = self.trip(unit, day, length, out_of_province=rng.random() < 0.7)
            if partners and rng.random() < 0.2:
                self.activity_partners.append((activity, rng.choice(partners)))
            day += timedelta(days=length)

    def build_activities(self) -> None:
        self.build_activities_2022_window()
        for month in _months(date(2021, 1, 1), self.current_month):
            if WINDOW_2022[0] <= month <= WINDOW_2022[1]:
                continue
            self.build_activities_month(month, min(_month_end(month), self.today))
        self.build_signing_ceremonies()

    def build_activities_2022_window(self) -> None:
        """1–7月 2022, shaped as seed 000 reports it."""
        rng = self.rng
        lo, hi = WINDOW_2022
        free_partners = [u for u in self.task_units if u.kind == UnitKind.TOWN and u.name not in FEW_TRIPS]
        for unit in self.task_units:
            if unit.name in FEW_TRIPS:
                trips, out = rng.randint(3, 5), 2
            elif unit.name in FEW_OUT_OF_PROVINCE:
                trips, out = rng.randint(6, 9), rng.randint(0, 1)
            elif unit.kind in (UnitKind.TOWN, UnitKind.PARK):
                trips = rng.randint(9, 16)
                out = rng.randint(3, min(8, trips - 2))
            else:
                trips = rng.randint(6, 11)
                out = rng.randint(2, min(5, trips - 2))
            for i in range(trips):
                oop = i < out
                days = rng.randint(2, 5) if oop else rng.randint(1, 2)
                self.trip(unit, self.trip_start(lo, hi, days), days, oop)
        force_days = list(TASK_FORCE_DAYS_2022)
        rng.shuffle(force_days)
        for unit, days in zip(self.forces, force_days, strict=True):
            self.force_trips(unit, date(2022, 1, 4), hi, days, partners=free_partners)
        # Visits, inspections.
        for unit in self.units:
            visits = (
                rng.randint(8, 15)
                if unit.kind in (UnitKind.TASK_FORCE, UnitKind.PARK)
                else rng.randint(3, 10)
            )
            for _ in range(visits):
                self.visit(unit, self.weekday_between(lo, hi))
            for _ in range(rng.randint(0, 3)):
                self.inspection(unit, self.weekday_between(lo, hi))
        # Seed 000: 3 promotion events with SMT associations and business-school alumni …
        promotions = (
            (
                self.unit["电子信息产业招商专班"],
                date(2022, 4, 22),
                "广东深圳",
                True,
                "深圳SMT协会荆州区电子信息产业专题招商推介会",
                42,
            ),
            (
                self.unit["电子信息产业招商专班"],
                date(2022, 6, 10),
                "广东东莞",
                True,
                "东莞SMT协会荆州区专题招商推介会",
                36,
            ),
            (
                self.unit["区商务局"],
                date(2022, 7, 8),
                "荆州",
                False,
                "中欧商学院校友荆州行招商引资推介会",
                31,
            ),
        )
        for unit, day, where, oop, title, count in promotions:
            activity = self.new_activity(
                ActivityKind.PROMOTION,
                unit,
                day,
                day,
                destination=where,
                out_of_province=oop,
                enterprise_count=count,
                leaders=names.leader(rng, "区长"),
                outcome=title,
                note=title,
            )
            self.link_enterprises(activity, min(count, 6))
        # … which brought 8 batches of enterprises to inspect the district …
        for unit_name, day, batches in (
            ("电子信息产业招商专班", date(2022, 5, 12), 2),
            (PARK, date(2022, 5, 26), 2),
            ("电子信息产业招商专班", date(2022, 6, 23), 1),
            (PARK, date(2022, 7, 15), 2),
            ("区商务局", date(2022, 7, 21), 1),
        ):
            activity = self.inspection(self.unit[unit_name], day, batches=batches)
            activity.note = "推介活动邀约企业来访考察"
        # … and 40 and more enterprises met online.
        online_units = [*self.forces, self.unit["区商务局"], self.unit[PARK]]
        total = 0
        while total < 43:
            count = min(rng.randint(3, 6), 43 - total)
            self.online(rng.choice(online_units), self.weekday_between(lo, hi), count)
            total += count

    def visit(self, unit: Unit, day: date) -> Activity:
        count = self.rng.choice((1, 1, 1, 2, 2, 3))
        activity = self.new_activity(
            ActivityKind.VISIT, unit, day, day, enterprise_count=count, outcome="走访企业,了解投资和扩产意向"
        )
        self.link_enterprises(activity, count)
        return activity

    def inspection(self, unit: Unit, day: date, batches: int = 1) -> Activity:
        activity = self.new_activity(
            ActivityKind.INSPECTION,
            unit,
            day,
            day,
            batches=batches,
            enterprise_count=batches,
            outcome="陪同客商实地考察项目选址",
        )
        self.link_enterprises(activity, batches)
        return activity

    def online(self, unit: Unit, day: date, count: int) -> Activity:
        activity = self.new_activity(
            ActivityKind.ONLINE,
            unit,
            day,
            day,
            enterprise_count=count,
            outcome="视频连线开展政策解读和线上考察",
        )
        self.link_enterprises(activity, count)
        return activity

    def build_activities_month(self, month: date, last: date) -> None:
        """An ordinary month: every activity inside the month and no later than today."""
        rng = self.rng
        for unit in self.units:
            if unit.kind == UnitKind.TASK_FORCE:
                self.force_trips(unit, month, last, rng.randint(12, 19))
            else:
                rate = (1, 3) if unit.kind in (UnitKind.TOWN, UnitKind.PARK) else (0, 2)
                for _ in range(self.scaled(rng.randint(*rate), month, last)):
                    oop = rng.random() < 0.4
                    days = rng.randint(2, 5) if oop else rng.randint(1, 2)
                    start = self.trip_start(month, last, days)
                    if start:
                        self.trip(unit, start, days, oop)
            for _ in range(self.scaled(rng.randint(0, 3), month, last)):
                self.visit(unit, self.weekday_between(month, last))
            if rng.random() < 0.3:
                self.inspection(unit, self.weekday_between(month, last), batches=rng.choice((1, 1, 2)))
            if rng.random() < 0.06:
                self.online(unit, self.weekday_between(month, last), rng.randint(2, 6))
        if month == self.current_month:
            self.visit(self.unit[PARK], last)
        if rng.random() < 0.3:
            unit = rng.choice([*self.forces, self.unit["区商务局"]])
            oop = rng.random() < 0.6
            where = rng.choice(names.DESTINATIONS_OUT) if oop else "荆州"
            day = self.weekday_between(month, last)
            activity = self.new_activity(
                ActivityKind.PROMOTION,
                unit,
                day,
                day,
                destination=where,
                out_of_province=oop,
                enterprise_count=rng.randint(20, 60),
                outcome=f"{where}荆州区招商引资推介会",
            )
            self.link_enterprises(activity, 5)

    def build_signing_ceremonies(self) -> None:
        by_day: dict[date, list[Project]] = defaultdict(list)
        for project in self.projects:
            if project.signed_on and project.stage not in (Stage.WITHDRAWN,):
                by_day[project.signed_on].append(project)
        for day in CEREMONIES + self.later_ceremonies():
            signed = by_day.get(day, [])
            if len(signed) < 2:
                continue
            host = self.unit["区商务局"]
            total = sum(p.total_investment_wan for p in signed) / 10000
            activity = self.new_activity(
                ActivityKind.SIGNING,
                host,
                day,
                day,
                destination="荆州",
                enterprise_count=len(signed),
                leaders=f"{names.LEADERS['区委书记']}(区委书记)、{names.LEADERS['区长']}(区长)",
                outcome=f"集中签约项目{len(signed)}个,总投资{fixed(total, 2)}亿元",
            )
            for project in signed:
                self.activity_projects.append((activity, project))
                self.activity_enterprises.append((activity, project.investor))
            for unit in {p.introducing_unit.pk: p.introducing_unit for p in signed}.values():
                if unit.pk != host.pk:
                    self.activity_partners.append((activity, unit))

    # ------------------------------------------------------------------ funds in place

    def build_funds(self) -> None:
        rng = self.rng
        for project in self.projects:
            if project.stage in (Stage.WITHDRAWN, Stage.TERMINATED) or not project.signed_on:
                continue
            if project.commenced_on:
                first = _add_months(project.signed_on.replace(day=1), 1)
                first = min(first, project.commenced_on.replace(day=1))
            elif rng.random() < 0.3:
                first = _add_months(project.signed_on.replace(day=1), 1)
            else:
                continue
            last = min(self.current_month, _add_months(first, 23 if project.commenced_on else 2))
            months = [m for m in _months(first, last) if rng.random() < 0.75 or m == self.current_month]
            if not months:
                continue
            total = float(project.total_investment_wan)
            share = rng.uniform(0.35, 0.9) if project.commenced_on else rng.uniform(0.05, 0.15)
            weights = [rng.random() + 0.3 for _ in months]
            scale = total * share / sum(weights)
            investor = project.investor
            foreign_share = float(project.foreign_usd_wan or 0) * 6.7 / total if total else 0
            for month, weight in zip(months, weights, strict=True):
                amount = _money(scale * weight)
                if amount <= 0:
                    continue
                outside_province = (
                    Decimal(0)
                    if investor.demo_in_hubei
                    else min(amount, _money(float(amount) * rng.uniform(0.5, 1.0)))
                )
                outside_city = outside_province
                if not investor.demo_in_city:
                    outside_city = min(
                        amount,
                        outside_province + _money(float(amount - outside_province) * rng.uniform(0.3, 1.0)),
                    )
                foreign = _money(float(amount) * foreign_share / 6.7) if foreign_share else Decimal(0)
                cash = min(foreign, _money(float(foreign) * rng.uniform(0.5, 1.0))) if foreign else Decimal(0)
                self.funds.append(
                    FundsRecord(
                        project=project,
                        month=month,
                        amount_wan=amount,
                        outside_province_wan=outside_province,
                        outside_city_wan=outside_city,
                        foreign_usd_wan=foreign,
                        foreign_cash_usd_wan=cash,
                        recognised_amount_wan=_money(float(amount) * 0.8) if rng.random() < 0.04 else None,
                        review_status=ReviewStatus.RECOGNISED,
                    )
                )

    # ------------------------------------------------------------------ targets

    TARGET_BASE = {
        # indicator: (town, park, department, task force)
        "signed_projects": (8, 16, 2, 6),
        "signed_projects_100m": (6, 12, 1, 5),
        "signed_projects_1b": (0, 2, 0, 1),
        "signed_industrial_50m": (4, 10, 1, 4),
        "signed_amount_wan": (300000, 800000, 30000, 400000),
        "commenced_projects": (4, 8, 1, 3),
        "in_production_projects": (2, 5, 0, 2),
        "funds_wan": (120000, 300000, 10000, 80000),
        "foreign_usd_wan": (100, 500, 0, 200),
        "foreign_cash_usd_wan": (50, 300, 0, 100),
        "leads": (20, 30, 8, 12),
        "valuable_leads": (7, 10, 2, 5),
        "trips": (16, 24, 10, 36),
        "out_of_province_trips": (8, 12, 4, 24),
        "days_away": (0, 0, 0, 240),
        "visits": (30, 40, 12, 40),
        "inspections": (6, 10, 2, 8),
    }
    REGION_1B = {2021: 6, 2022: 8}
    YEAR_FACTOR = {2021: 0.85, 2022: 1.0, 2023: 1.1}

    def build_targets(self) -> None:
        rng = self.rng
        column = {UnitKind.TOWN: 0, UnitKind.PARK: 1, UnitKind.DEPARTMENT: 2, UnitKind.TASK_FORCE: 3}
        for year in range(2021, self.today.year + 1):
            factor = self.YEAR_FACTOR.get(year, 1.1 + 0.05 * (year - 2023))
            totals: dict[str, Decimal] = defaultdict(Decimal)
            for unit in self.units:
                for indicator, base in self.TARGET_BASE.items():
                    value = base[column[unit.kind]]
                    if not value:
                        continue
                    if indicator not in ("days_away", "signed_projects_1b"):
                        value = value * factor * rng.uniform(0.85, 1.15)
                    step = (
                        10000 if indicator == "signed_amount_wan" else 1000 if indicator == "funds_wan" else 1
                    )
                    value = Decimal(max(step, round_int(value / step) * step))
                    totals[indicator] += value
                    self.targets.append(
                        Target(year=year, unit=unit, region=self.district, indicator=indicator, value=value)
                    )
            totals["signed_projects_1b"] = Decimal(self.REGION_1B.get(year, 10))
            for indicator, value in totals.items():
                self.targets.append(
                    Target(year=year, unit=None, region=self.district, indicator=indicator, value=value)
                )

    # ------------------------------------------------------------------ review status

    def mark_recent_pending(self) -> None:
        """Leave a handful of the last two months' records submitted or in draft."""
        rng = self.rng
        recent = self.previous_month

        def pick(rows, on, n_submitted, n_draft):
            candidates = [r for r in rows if on(r) and on(r) >= recent]
            rng.shuffle(candidates)
            for row in candidates[:n_submitted]:
                row.review_status = ReviewStatus.SUBMITTED
            for row in candidates[n_submitted : n_submitted + n_draft]:
                row.review_status = ReviewStatus.DRAFT

        pick(
            [p for p in self.projects if p.stage not in (Stage.WITHDRAWN, Stage.TERMINATED)],
            lambda p: p.signed_on or p.negotiated_on,
            3,
            1,
        )
        pick([lead for lead in self.leads if lead.is_valuable is None], lambda lead: lead.reported_on, 6, 2)
        pick(self.activities, lambda a: a.started_on, 5, 2)
        pick(self.funds, lambda f: f.month, 4, 0)

    def review_fields(self, row, on: date, unit: Unit) -> None:
        """created_by, and submitted/recognised times a few days after the record's date."""
        rng = self.rng
        row.created_by = self.reporter_of.get(unit.pk, self.bureau)
        if row.review_status == ReviewStatus.DRAFT:
            return
        submitted = timezone.make_aware(
            datetime.combine(
                on + timedelta(days=rng.randint(0, 3)), time(rng.randint(8, 17), rng.randint(0, 59))
            )
        )
        submitted = min(submitted, self.now - timedelta(hours=3))
        row.submitted_at = submitted
        if row.review_status == ReviewStatus.RECOGNISED:
            recognised = submitted + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6))
            row.recognised_at = min(recognised, self.now - timedelta(hours=1))
            row.recognised_by = self.bureau

    # ------------------------------------------------------------------ writing

    def save(self) -> None:
        for project in self.projects:
            self.review_fields(project, project.signed_on or project.negotiated_on, project.introducing_unit)
        for lead in self.leads:
            self.review_fields(lead, lead.reported_on, lead.unit)
            if lead.is_valuable is None and lead.review_status == ReviewStatus.RECOGNISED:
                # Recognised means judged: the bureau has said whether it is valuable.
                lead.is_valuable = self.rng.random() < 0.33
                lead.status = LeadStatus.FOLLOWING if lead.is_valuable else LeadStatus.SCREENED
        for activity in self.activities:
            self.review_fields(activity, activity.ended_on or activity.started_on, activity.unit)
        for record in self.funds:
            self.review_fields(
                record,
                _month_end(record.month) if record.month < self.current_month else self.today,
                record.project.introducing_unit,
            )
            if record.review_status != ReviewStatus.RECOGNISED:
                record.recognised_amount_wan = None

        Tag.objects.bulk_create(
            [Tag(code=code) for code in {t for _, t in self.enterprise_tags}], ignore_conflicts=True
        )
        Enterprise.objects.bulk_create(self.enterprises)
        Enterprise.tags.through.objects.bulk_create(
            [Enterprise.tags.through(enterprise_id=e.pk, tag_id=t) for e, t in self.enterprise_tags]
        )
        Contact.objects.bulk_create(self.contacts)
        Project.objects.bulk_create(self.projects)
        Project.helper_units.through.objects.bulk_create(
            [Project.helper_units.through(project_id=p.pk, unit_id=u.pk) for p, u in self.helper_links]
        )
        meetings = {}
        by_meeting: dict[date, list[tuple[Project, str, str]]] = defaultdict(list)
        for day, project, verdict, opinions in self.verdicts:
            by_meeting[day].append((project, verdict, opinions))
        for day in sorted(by_meeting):
            rows = by_meeting[day]
            number = sum(1 for d in by_meeting if d.year == day.year and d <= day)
            passed = sum(1 for _, v, _ in rows if v == Verdict.PASSED)
            meetings[day] = PreReviewMeeting(
                title=f"{day.year}年第{number}次招商引资项目预审会",
                held_on=day,
                region=self.district,
                departments=PREREVIEW_DEPARTMENTS,
                minutes=f"会议集中研判招商引资项目{len(rows)}个,通过{passed}个,"
                f"暂缓或不通过{len(rows) - passed}个。",
            )
        PreReviewMeeting.objects.bulk_create(list(meetings.values()))
        PreReviewVerdict.objects.bulk_create(
            [
                PreReviewVerdict(meeting=meetings[day], project=project, verdict=verdict, opinions=opinions)
                for day, project, verdict, opinions in self.verdicts
            ]
        )
        Lead.objects.bulk_create(self.leads)
        Activity.objects.bulk_create(self.activities)
        Activity.enterprises.through.objects.bulk_create(
            [
                Activity.enterprises.through(activity_id=a.pk, enterprise_id=e.pk)
                for a, e in {(id(a), id(e)): (a, e) for a, e in self.activity_enterprises}.values()
            ]
        )
        Activity.partner_units.through.objects.bulk_create(
            [
                Activity.partner_units.through(activity_id=a.pk, unit_id=u.pk)
                for a, u in {(id(a), u.pk): (a, u) for a, u in self.activity_partners}.values()
            ]
        )
        Activity.signed_projects.through.objects.bulk_create(
            [
                Activity.signed_projects.through(activity_id=a.pk, project_id=p.pk)
                for a, p in self.activity_projects
            ]
        )
        FundsRecord.objects.bulk_create(self.funds)
        Target.objects.bulk_create(self.targets)

    def summary(self) -> dict[str, int]:
        return {
            "enterprises": len(self.enterprises),
            "projects": len(self.projects),
            "leads": len(self.leads),
            "activities": len(self.activities),
            "funds": len(self.funds),
            "meetings": len({d for d, *_ in self.verdicts}),
            "targets": len(self.targets),
        }


def demo_exists() -> bool:
    return Region.objects.filter(code=DEMO_REGION_CODE).exists()


def build_assessments(builder: "DistrictBuilder") -> None:
    """Default schemes for every demo year, and the published results the seed speaks of (一季度,
    上半年) plus the latest month, so the assessment pages open on real rankings."""
    from zhaoshang.assessment.defaults import create_default_schemes
    from zhaoshang.assessment.models import Scheme
    from zhaoshang.assessment.services import assessment_run

    today = builder.today
    for year in range(2021, today.year + 1):
        create_default_schemes(year=year, region=builder.district)
    last = today.replace(day=1) - timedelta(days=1)
    periods = ["2022-Q1", "2022-H1", "2022-07", f"{last.year}-{last.month:02d}"]
    for period in dict.fromkeys(periods):
        year = int(period[:4])
        for scheme in Scheme.objects.filter(
            year=year, region=builder.district, assessment_group__isnull=False
        ):
            try:
                assessment_run(user=None, scheme=scheme, period=period, publish=True)
            except ValidationError:
                continue  # the scheme does not run on that kind of period


def build_district(*, seed: int = 0, today: date | None = None) -> DistrictBuilder:
    """Build the district demo in one transaction (all or nothing)."""
    builder = DistrictBuilder(seed=seed, today=today or timezone.localdate())
    from zhaoshang.metrics import rollup

    with transaction.atomic():
        builder.users = builder.build()
        rollup.rebuild()  # the monthly summary, at once rather than mark by mark at the first read
        build_assessments(builder)
        confirm_months(builder)
        close_months(builder)
    return builder


# 报送周期 in the demo: most units confirm their month within a few working days of its end; about one
# unit-month in twenty comes in after the deadline; last month's deadline may still be ahead.
LATE_SHARE = 0.05


def confirm_months(builder: DistrictBuilder) -> None:
    """Each task unit's monthly confirmation (本月数据报送确认) from the demo's first month to last
    month, by the unit's head, so that the cycle page, the reminders and the bulletins' late-units
    line show a bureau's routine rather than every unit late. Units other than the demo's 川店镇 get
    a head account of their own, which cannot log in (no password): the demo's logins stay the few
    printed ones."""
    from zhaoshang.cycle.calendar import Calendar, UnknownYear
    from zhaoshang.cycle.calendar import month_end as calendar_month_end
    from zhaoshang.cycle.models import MonthlyReport
    from zhaoshang.cycle.selectors import deadline_end

    rng = random.Random(builder.rng.random())
    units = list(Unit.objects.filter(is_active=True).exclude(kind=UnitKind.BUREAU).order_by("order", "pk"))
    heads = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT_HEAD, unit__in=units).order_by("pk")}
    missing = []
    for unit in units:
        if unit.pk not in heads:
            family, given = split_chinese_name(names.person(rng))
            head = User(
                username=f"head{unit.pk}", role=Role.UNIT_HEAD, unit=unit, last_name=family, first_name=given
            )
            head.set_unusable_password()
            missing.append(head)
    for head in User.objects.bulk_create(missing):
        heads[head.unit_id] = head

    calendar, reports = Calendar(), []
    month = date(2021, 1, 1)
    while month < builder.current_month:
        try:
            deadline = calendar.deadline(month)
            first = calendar.nth_workday_after(calendar_month_end(month), 1)
        except UnknownYear:
            month = _add_months(month, 1)
            continue
        for unit in units:
            if rng.random() < LATE_SHARE:
                day = deadline + timedelta(days=rng.randint(1, 6))
            else:
                day = first + timedelta(days=rng.randint(0, (deadline - first).days))
            at = deadline_end(day) - timedelta(hours=rng.randint(4, 14), minutes=rng.randint(0, 59))
            if at > builder.now:
                continue  # not yet: this month's confirmations are still coming in
            reports.append(
                MonthlyReport(unit=unit, month=month, submitted_at=at, submitted_by=heads[unit.pk])
            )
        month = _add_months(month, 1)
    MonthlyReport.objects.bulk_create(reports)


def close_months(builder: DistrictBuilder) -> None:
    """The bureau has closed every month up to the one before last (last month's reports are still
    coming in: its deadline is this month), as a bureau in its routine would have."""
    from zhaoshang.metrics.closing import month_close

    first_of_this_month = builder.today.replace(day=1)
    before_last = (first_of_this_month - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    month_close(user=None, month=before_last.replace(day=1), today=builder.today)
