"""Configuration (regions, units, industries, users, roles) lives in the Django admin, in Chinese."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from zhaoshang.organisation.choices import Role
from zhaoshang.organisation.models import AssessmentGroup, Industry, Region, Unit, User
from zhaoshang.organisation.roles import apply_role_privileges, readonly_user_fields

admin.site.site_header = _("招商引资工作平台 · 系统配置")
admin.site.site_title = _("招商引资工作平台")
admin.site.index_title = _("系统配置")


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_central_urban"]
    list_filter = ["level", "is_central_urban"]
    list_editable = ["is_central_urban"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(AssessmentGroup)
class AssessmentGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "assessment_group", "region", "order", "is_active"]
    list_filter = ["kind", "assessment_group", "is_active"]
    search_fields = ["name", "short_name"]
    list_editable = ["order"]
    autocomplete_fields = ["region", "parent"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "unit", "region", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "unit__name"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("角色与范围"), {"fields": ("role", "unit", "region", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("角色与范围"), {"fields": ("role", "unit", "region")}),
    )
    autocomplete_fields = ["unit", "region"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or "password" not in readonly_user_fields(request.user, ["password"]):
            return fieldsets
        # A read-only password field would print the stored hash itself; show only whether one is set.
        return tuple(
            (
                name,
                {
                    **opts,
                    "fields": tuple("password_status" if f == "password" else f for f in opts["fields"]),
                },
            )
            for name, opts in fieldsets
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fields = [f for fieldset in self.get_fieldsets(request, obj) for f in fieldset[1]["fields"]]
        readonly = readonly_user_fields(request.user, fields)
        return (*readonly, "password_status") if "password_status" in fields else readonly

    @admin.display(description=_("密码"))
    def password_status(self, obj):
        return _("已设置(不显示)") if obj.has_usable_password() else _("未设置")

    def has_add_permission(self, request):
        # The security administrator grants roles but does not create accounts.
        return super().has_add_permission(request) and request.user.role != Role.SECADMIN

    def save_model(self, request, obj, form, change):
        """Admin saves go through the audit trail like every other change, and refresh the role's
        admin access."""
        from zhaoshang.audit.models import AuditAction
        from zhaoshang.audit.services import audit_record, snapshot

        secret = {"password"}
        before = (
            {k: v for k, v in snapshot(type(obj).objects.get(pk=obj.pk)).items() if k not in secret}
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        after = {k: v for k, v in snapshot(obj).items() if k not in secret}
        audit_record(
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            obj=obj,
            before=before,
            after=after,
            user=request.user,
        )
        apply_role_privileges(obj)

    @admin.display(description=_("姓名"))
    def get_full_name(self, obj):
        return obj.get_full_name()
