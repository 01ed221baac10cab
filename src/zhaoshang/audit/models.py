from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    SUBMIT = "submit", _("上报")
    RECOGNISE = "recognise", _("认定")
    RETURN = "return", _("退回")
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    CLOSE = "close", _("关账")
    REOPEN = "reopen", _("重新开账")


class AuditEntry(models.Model):
    """One row of the audit trail: who, when, from which address, what, before and after.

    Rows form a hash chain (``hash`` covers the row and the previous row's hash) so that an edited
    or deleted row is found by ``zhaoshang audit verify``.
    """

    at = models.DateTimeField(_("时间"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    model = models.CharField(_("对象类型"), max_length=60, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=20, default="success")
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AuditChainState(models.Model):
    """The chain's two ends, kept apart from the rows: the hash of the last purged row (where the
    remaining chain starts) and the id and hash of the newest row (so deleting the newest rows is
    found too). One row, id 1."""

    anchor_hash = models.CharField(max_length=64, blank=True)
    purged_through_id = models.BigIntegerField(default=0)
    purged_count = models.BigIntegerField(default=0)
    head_id = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计链状态")
        verbose_name_plural = _("审计链状态")

    def __str__(self) -> str:
        return f"#{self.head_id}"
