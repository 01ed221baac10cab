from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseTag(models.TextChoices):
    """Investor tags that the structure shares count (seed 000: 上市公司、头部企业投资项目占比)."""

    GLOBAL_500 = "global500", _("世界500强")
    CHINA_500 = "china500", _("中国500强")
    PRIVATE_500 = "private500", _("民营500强")
    LISTED = "listed", _("上市公司")
    CENTRAL_SOE = "central_soe", _("央企")
    SOE = "soe", _("国企")
    LEADER = "leader", _("行业龙头")
    HIGH_TECH = "high_tech", _("高新技术企业")
    SPECIALISED = "specialised", _("专精特新")
    HK_MACAO_TW = "hmt", _("港澳台")
    FOREIGN = "foreign", _("外资")


TAG_SYNONYMS = {
    "头部企业": EnterpriseTag.LEADER,
    "龙头企业": EnterpriseTag.LEADER,
    "行业龙头/头部企业": EnterpriseTag.LEADER,
    "高新企业": EnterpriseTag.HIGH_TECH,
    "全国500强": EnterpriseTag.CHINA_500,
    "国内500强": EnterpriseTag.CHINA_500,
}
