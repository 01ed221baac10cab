"""When a report raises a problem (三、存在的问题), and other choices the reports make. Deployment
constants, modelled on seed 000; they decide wording only, never a figure."""

from decimal import Decimal

# 主导产业支撑力不强: the share of leading-industry projects among the signed 亿元以上 projects is
# below this.
LEADING_SHARE_FLOOR = Decimal("0.6")
# 项目结构不优: the share of projects by listed or leading companies, or by high-tech enterprises,
# is below this.
STRUCTURE_SHARE_FLOOR = Decimal("0.1")
# 少数任务单位重视不够: a task unit went out (外出招商) at most this many times in the period …
FEW_TRIPS = 5
# … or out of the province at most this many times.
FEW_OUT_OF_PROVINCE_TRIPS = 1
# 专班外出招商力度不够: a task force (产业招商专班) is to be away this many days a month.
TASK_FORCE_DAYS_PER_MONTH = 20
# 有价值项目信息收集不够: the share of leads judged valuable is below this.
VALUABLE_SHARE_FLOOR = Decimal("0.5")
# 签约周期长: the average signing cycle (洽谈 → 签约) is above this many days; cycles above the
# second number are counted as long.
SIGNING_CYCLE_ALERT_DAYS = 90
LONG_SIGNING_CYCLE_DAYS = 180
# 项目落地慢: of the period's signed 亿元以上 projects, fewer than this share commenced by its end.
COMMENCEMENT_RATE_FLOOR = Decimal("0.5")
# Signed but not commenced for this many days raises an alert (SPEC §4 default).
STALLED_AFTER_DAYS = 90
# A major project with no update for this many days (SPEC §4 default).
NO_UPDATE_DAYS = 7
# Investor tags counted as 上市公司、头部企业 and as 高新技术企业 (seed 000's structure shares).
LISTED_OR_LEADER_TAGS = ["listed", "leader"]
HIGH_TECH_TAGS = ["high_tech"]
# A key project (重点项目) of the weekly report: counted investment of at least 10亿元 (in 万元).
KEY_PROJECT_WAN = Decimal(100000)
# The "7755" structure and landing targets (seed 004): 工业项目 and 民营投资项目 each at least 70% of
# the projects signed; of the 亿元以上 industrial projects signed last year and this year, at least
# 50% commenced. Deployment constants: they decide the wording (达到 / 未达到), never a figure.
TARGET_INDUSTRIAL_SHARE = Decimal("0.7")
TARGET_PRIVATE_SHARE = Decimal("0.7")
TARGET_LAST_YEAR_COMMENCEMENT = Decimal("0.5")
TARGET_THIS_YEAR_COMMENCEMENT = Decimal("0.5")
# Named lists (seed 002: "xxxx年以来新引进投资亿元以上项目…"): the signings since 1 January of this
# many years before the report's year; at most this many names are written in a sentence.
SIGNED_SINCE_YEARS_BACK = 1
NAMES_IN_SENTENCE = 10
