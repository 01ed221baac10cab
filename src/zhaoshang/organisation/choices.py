from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县/区")
    TOWN = "town", _("乡镇/街道")


class UnitKind(models.TextChoices):
    TOWN = "town", _("乡镇街道")
    PARK = "park", _("园区")
    DEPARTMENT = "department", _("区直部门")
    TASK_FORCE = "task_force", _("产业招商专班")
    RESIDENT_OFFICE = "resident_office", _("驻点招商组")
    GROUP = "group", _("招商团")
    BUREAU = "bureau", _("招商局")


class IndustryKind(models.TextChoices):
    LEADING = "leading", _("主导产业")
    CHAIN = "chain", _("产业链")
    STRATEGIC = "strategic", _("战略性新兴产业")
    SECTOR = "sector", _("国民经济行业")


class Role(models.TextChoices):
    """The roles of SPEC §1. The three administrator roles are separated (等保 2.0)."""

    REPORTER = "reporter", _("填报员")
    UNIT_HEAD = "unit_head", _("单位负责人")
    BUREAU = "bureau", _("招商局统计员")
    LEADER = "leader", _("领导")
    SUPERVISOR = "supervisor", _("督查")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("审计员")


UNIT_ROLES = (Role.REPORTER, Role.UNIT_HEAD)
REGION_ROLES = (Role.BUREAU, Role.LEADER, Role.SUPERVISOR)
ADMIN_ROLES = (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR)
