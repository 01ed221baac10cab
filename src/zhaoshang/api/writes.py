"""Writes through the API use the pages' own forms and services (``ObjectEditView``'s pair): the
same validation and messages, the same optimistic lock, the same audit row. The request schema is
derived from the form, so the form stays the one description of what may be written."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from zhaoshang.core import access
from zhaoshang.core.services import StaleEdit

WRITE_RESPONSES = {
    400: OpenApiResponse(description=gettext_lazy("数据有误(逐项说明)")),
    403: OpenApiResponse(description=gettext_lazy("没有权限")),
    404: OpenApiResponse(description=gettext_lazy("记录不存在(或不属于本账号的范围)")),
    409: OpenApiResponse(description=gettext_lazy("该记录已被他人修改")),
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("该记录已被他人修改,请刷新后重新编辑。")


def _serializer_field(field: forms.Field, *, partial: bool) -> serializers.Field:
    options = {"required": field.required and not partial, "label": field.label, "help_text": field.help_text}
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**{**options, "required": False})
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(), **options)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **options)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(
            choices=[c for c in field.choices if c[0] != ""], allow_blank=not field.required, **options
        )
    if isinstance(field, forms.DecimalField) and field.max_digits and field.decimal_places is not None:
        return serializers.DecimalField(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            allow_null=not field.required,
            **options,
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(allow_null=not field.required, **options)
    if isinstance(field, forms.DateField):
        return serializers.CharField(allow_blank=not field.required, **{**options, "help_text": "YYYY-MM-DD"})
    return serializers.CharField(allow_blank=not field.required, **options)


def form_serializer(form_class: type[forms.Form], *, partial: bool) -> type[serializers.Serializer]:
    """A serializer describing ``form_class``'s fields (for the schema only; the form validates)."""
    attrs = {
        name: _serializer_field(field, partial=partial)
        for name, field in form_class.base_fields.items()
        if name != "_version" and not isinstance(field, forms.FileField)
    }
    attrs["version"] = serializers.IntegerField(
        required=False, help_text=gettext_lazy("修改时填读取时的版本;他人已修改则返回 409")
    )
    if not partial:
        attrs["submit"] = serializers.BooleanField(required=False, help_text=gettext_lazy("同时上报"))
    name = f"{form_class.__name__.removesuffix('Form')}{'Patch' if partial else 'Write'}"
    return type(name, (serializers.Serializer,), attrs)


def _plain(value):
    if isinstance(value, list | tuple):
        return [getattr(v, "pk", v) for v in value]
    return getattr(value, "pk", value)


class FormWriteMixin:
    """``POST`` (create) and ``PATCH`` (change) through ``form_class`` and the area's services."""

    form_class: type[forms.ModelForm]
    create_service: Callable
    update_service: Callable

    def _form(self, instance):
        request = self.request
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("请求内容应为 JSON 对象。")]})
        unbound = self.form_class(instance=instance, user=request.user)
        # Start from what the record holds (or the model's defaults), then the fields sent.
        data = {name: _plain(unbound[name].value()) for name in unbound.fields if name != "_version"}
        data = {k: v for k, v in data.items() if v is not None}
        data.update({k: v for k, v in request.data.items() if k in unbound.fields and k != "_version"})
        if request.data.get("version") is not None:
            data["_version"] = request.data["version"]
        return self.form_class(data=data, instance=instance, user=request.user)

    def _save(self, instance):
        form = self._form(instance)
        if not form.is_valid():
            errors = {
                {"_version": "version", "__all__": "non_field_errors"}.get(name, name): [
                    e["message"] for e in found
                ]
                for name, found in form.errors.get_json_data().items()
            }
            raise exceptions.ValidationError(errors)
        service = type(self).create_service if instance is None else type(self).update_service
        try:
            if instance is None:
                return service(
                    user=self.request.user, form=form, submit=bool(self.request.data.get("submit"))
                )
            return service(user=self.request.user, form=form, read_version=form.read_version())
        except StaleEdit as exc:
            raise Conflict(str(exc)) from exc
        except DjangoValidationError as exc:
            detail = (
                {k: list(v) for k, v in exc.message_dict.items()}
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            raise exceptions.ValidationError(detail) from exc

    def create(self, request):
        if not access.can(request.user, access.ADD, self.form_class._meta.model):
            raise exceptions.PermissionDenied(_("您没有权限新增该类记录。"))
        saved = self._save(None)
        return Response(
            self.get_serializer(self.base_queryset().get(pk=saved.pk)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        instance = access.get_restricted_or_404(self.base_queryset(), request.user, pk, access.CHANGE)
        saved = self._save(instance)
        return Response(self.get_serializer(self.base_queryset().get(pk=saved.pk)).data)


def write_schema(viewset):
    """Attach the form-derived request schemas to ``viewset``'s create and partial_update."""
    read = viewset.serializer_class

    # Fresh functions per viewset: the schema override is stored on the function object.
    def create(self, request):
        return FormWriteMixin.create(self, request)

    def partial_update(self, request, pk=None):
        return FormWriteMixin.partial_update(self, request, pk)

    viewset.create = extend_schema(
        request=form_serializer(viewset.form_class, partial=False), responses={201: read, **WRITE_RESPONSES}
    )(create)
    viewset.partial_update = extend_schema(
        request=form_serializer(viewset.form_class, partial=True), responses={200: read, **WRITE_RESPONSES}
    )(partial_update)
    return viewset
