"""Assessment periods (SPEC §3 "Assessment periods").

A monthly, quarterly or half-yearly score uses year-to-date values (1 January → the end of the
period) against the annual target, measured against 序时进度 at the period's end. The signing
龙虎榜 ranks what was signed in the period itself (the month, the quarter …).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from zhaoshang.assessment.choices import PeriodKind
from zhaoshang.metrics import periods
from zhaoshang.metrics.periods import Period


@dataclass(frozen=True)
class AssessmentPeriod:
    code: str  # "2022-07", "2022-Q2", "2022-H1", "2022"
    kind: str  # PeriodKind
    period: Period  # the calendar period itself (the 龙虎榜's)
    window: Period  # 1 January → the end of the period (the score's)

    @property
    def year(self) -> int:
        return self.period.year

    def time_progress(self, *, by_days: bool = False):
        """序时进度 at the end of the period (months elapsed ÷ 12 by default)."""
        return self.window.time_progress(by_days=by_days)

    def previous_code(self) -> str:
        """The period before, of the same kind (for 连续末位): June before July, Q4 before Q1."""
        y = self.year
        if self.kind == PeriodKind.MONTH:
            m = self.period.end.month
            return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"
        if self.kind == PeriodKind.QUARTER:
            q = (self.period.end.month - 1) // 3 + 1
            return f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}"
        if self.kind == PeriodKind.HALF:
            return f"{y - 1}-H2" if self.period.end.month == 6 else f"{y}-H1"
        return str(y - 1)


def bad_period_message() -> str:
    return _("期间格式应为 YYYY-MM、YYYY-Qn、YYYY-H1、YYYY-H2 或 YYYY,例如 2022-07、2022-Q2。")


def parse(text: str) -> AssessmentPeriod:
    """``YYYY-MM | YYYY-Qn | YYYY-H1 | YYYY-H2 | YYYY`` → the period and its year-to-date window."""
    text = (text or "").strip().upper()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        kind, code = PeriodKind.QUARTER, text
    elif m := re.fullmatch(r"(\d{4})-H([12])", text):
        kind, code = PeriodKind.HALF, text
    elif m := re.fullmatch(r"(\d{4})", text):
        kind, code = PeriodKind.YEAR, text
    elif (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text)) and 1 <= int(m.group(2)) <= 12:
        kind, code = PeriodKind.MONTH, f"{m.group(1)}-{int(m.group(2)):02d}"
    else:
        raise ValueError(bad_period_message())
    if int(m.group(1)) < 1900:
        raise ValueError(bad_period_message())
    period = periods.parse(code)
    window = periods.year_to_date(period.end.year, period.end.month)
    return AssessmentPeriod(code=code, kind=kind, period=period, window=window)
