"""Form machinery shared by every area: Bootstrap widgets, the user's scope, optimistic locking."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import unit_choices_for


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class KeysField(forms.ModelMultipleChoiceField):
    """A multiple choice of records that refuses ids no database key can hold: a crafted post answers
    400 with a message, not a server error from the database driver."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            # isascii: "¹".isdigit() is True, yet int("¹") fails.
            digits = text.lstrip("-")
            if digits.isascii() and digits.isdigit() and not -(2**63) <= int(text) < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                )
        return super()._check_values(value)


class RecordForm(forms.ModelForm):
    """A ModelForm that knows its user and carries the version it was read at."""

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Fields holding a unit the user must be allowed to report for.
    unit_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, user=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance and self.instance.pk and hasattr(self.instance, "version"):
            self.fields["_version"].initial = self.instance.version
        from zhaoshang.organisation.models import Unit

        for name in self.unit_fields:
            if name in self.fields and user is not None:
                self.fields[name].queryset = unit_choices_for(user, Unit.objects.filter(is_active=True))
                if self.fields[name].queryset.count() == 1 and not self.instance.pk:
                    self.fields[name].initial = self.fields[name].queryset.first()
        for field in self.fields.values():
            if type(field) is forms.ModelMultipleChoiceField:
                field.__class__ = KeysField  # every many-to-many choice gets the overflow guard
            widget = field.widget
            if isinstance(field, forms.DateField):
                field.widget = DateInput(attrs=widget.attrs)
                widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)
            if field.required:
                widget.attrs.setdefault("required", True)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"

    def save_relations(self) -> None:
        """Many-to-many values, once the instance has been saved by a service."""
        self._save_m2m()

    def read_version(self) -> int | None:
        return self.cleaned_data.get("_version")

    def add_validation_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class MoneyField(forms.DecimalField):
    """万元 amounts: exact to four decimals (one yuan), never negative."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)


BOOLEAN_CHOICES = [("", _("全部")), ("true", _("是")), ("false", _("否"))]
