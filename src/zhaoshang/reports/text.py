"""How reports write figures (SPEC §3 wording): periods inside sentences, counts, 亿元, shares,
completion against target and 序时进度, Chinese list punctuation, and Markdown links to the records.

Figures are computed elsewhere (the metrics engine); these helpers only write them.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from zhaoshang.core.formatting import plain, wan_to_yi
from zhaoshang.metrics.formatting import gap_text, pct
from zhaoshang.metrics.periods import Period, gap_points

ZERO = Decimal(0)


def share_places() -> int:
    """Shares and completion carry one decimal by default (a deployment setting, SPEC §3)."""
    return int(getattr(settings, "ZHAOSHANG", {}).get("SHARE_DECIMALS", 1))


def percent(fraction: Decimal | None) -> str:
    """0.7272… → "72.7%"; 0.53 → "53%"; None → "—"."""
    if fraction is None:
        return "—"
    return f"{pct(fraction, share_places())}%"


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    whole = Decimal(whole)
    return Decimal(part) / whole if whole else None


def count_share(
    label: str, part: Decimal | int, whole: Decimal | int, unit: str = "个", *, only=False
) -> str:
    """ "主导产业项目35个，占比53%" ("仅" before the count when ``only``); "无主导产业项目" when there
    is none (never "0个，占比0%")."""
    if not part:
        return _("无{label}").format(label=label)
    return _("{label}{only}{n}{unit}，{s}").format(
        label=label, only=_("仅") if only else "", n=plain(part), unit=unit, s=share(part, whole)
    )


def share(part: Decimal | int, whole: Decimal | int) -> str:
    """ "占比72.7%" (empty when there is no whole)."""
    value = ratio(part, whole)
    return _("占比{p}").format(p=percent(value)) if value is not None else ""


def num(value: Decimal | int | None) -> str:
    return plain(value)


def yi(amount_wan: Decimal | int | None) -> str:
    """万元 → "345.7亿元" (at most two decimals, trailing zeros dropped, half-up)."""
    return _("{v}亿元").format(v=wan_to_yi(amount_wan))


def days(value: Decimal, places: int = 1) -> str:
    """Days, half-up to ``places`` decimals (an average of 0.25天 is "0.3"), trailing zeros dropped."""
    return plain(value, places)


def completion(value: Decimal, target: Decimal | None, *, whole_year: bool = True) -> str:
    """ "完成全年任务的61.4%" (or "完成目标任务的…" for a campaign); empty without a target."""
    if not target:
        return ""
    text = _("完成全年任务的{p}") if whole_year else _("完成目标任务的{p}")
    return text.format(p=percent(Decimal(value) / Decimal(target)))


def progress_gap(value: Decimal, target: Decimal | None, time_progress: Decimal) -> str:
    """ "超序时进度3.1个百分点" / "低于序时进度2个百分点" / "与序时进度持平" (completion − time
    progress); empty without a target, and once the year is over (序时进度 100%: the completion says
    it all)."""
    if not target or time_progress >= 1:
        return ""
    return gap_text(gap_points(Decimal(value) / Decimal(target), time_progress, share_places()))


def difference(now: Decimal | int, then: Decimal | int, unit: str) -> str:
    """ "同比增加5个" / "同比减少2个" / "与上年同期持平" (for small counts, as seed 000 writes them)."""
    delta = Decimal(now) - Decimal(then)
    if delta > 0:
        return _("同比增加{n}{unit}").format(n=plain(delta), unit=unit)
    if delta < 0:
        return _("同比减少{n}{unit}").format(n=plain(-delta), unit=unit)
    return _("与上年同期持平")


def names(items: Iterable[str]) -> str:
    """A Chinese list: A、B、C."""
    return "、".join(items)


def clauses(items: Iterable[str]) -> str:
    """Clauses of one sentence: A；B；C (empty ones dropped)."""
    return "；".join(i for i in items if i)


def sentence(*parts: str) -> str:
    """Parts joined with "，", ending with "。"."""
    text = "，".join(p for p in parts if p)
    return text + "。" if text and not text.endswith("。") else text


def scope_word(region) -> str:
    """全区 / 全县 / 全市 / 全省, from the region's name."""
    name = region.name if region is not None else ""
    for suffix in ("区", "县", "市", "省", "旗", "镇", "乡"):
        if name.endswith(suffix):
            return _("全{s}").format(s=suffix)
    return _("全区")


def period_in_sentence(period: Period, year: int | None = None) -> str:
    """A period as a sentence writes it when the document's title already carries the year:
    "2022年1至7月" → "1至7月"; "2022年7月" → "7月"; a campaign's label stays as it is."""
    label = period.label
    year = year or period.year
    if (
        period.campaign_id is None
        and period.start == datetime.date(year, 1, 1)
        and period.end == datetime.date(year, 12, 31)
    ):
        return _("全年")
    if period.start.year == period.end.year == year:
        label = re.sub(rf"^{year}年", "", label)
    return label


def month_day(day: datetime.date, *, with_year: bool = False) -> str:
    text = _("{m}月{d}日").format(m=day.month, d=day.day)
    return _("{y}年").format(y=day.year) + text if with_year else text


def full_date(day: datetime.date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: 2022年8月3日."""
    return month_day(day, with_year=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def md(text) -> str:
    """Escape data (unit and project names) for Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def link(text: str, url: str | None) -> str:
    """A figure linked to the records it counts (shown in the HTML view; exports keep the text)."""
    return f"[{text}]({url})" if url else text


CHINESE_NUMERALS = "一二三四五六七八九十"


def ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二 (section numbers)."""
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    if n < 20:
        return "十" + CHINESE_NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return CHINESE_NUMERALS[tens - 1] + "十" + (CHINESE_NUMERALS[ones - 1] if ones else "")


def year_in_chinese(year: int) -> str:
    """2023 → 二〇二三."""
    digits = "〇一二三四五六七八九"
    return "".join(digits[int(c)] for c in str(year))
