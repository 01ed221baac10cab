"""Filter machinery shared by list pages: a free-text ``q`` search and period filters."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import ReviewStatus


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_unit_choices()
        for field in self.form.fields.values():
            widget = field.widget
            css = (
                "form-select form-select-sm" if hasattr(widget, "choices") else "form-control form-control-sm"
            )
            widget.attrs.setdefault("class", css)
            if getattr(widget, "input_type", "") == "text" and "date" in str(type(field)).lower():
                widget.input_type = "date"

    def _limit_unit_choices(self):
        """A unit drop-down offers the units the user's records can belong to: a unit's own staff see
        their unit, the bureau its region's units (not every unit of the province)."""
        from zhaoshang.core.access import unit_choices_for
        from zhaoshang.organisation.models import Unit

        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return
        for field in self.form.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is Unit:
                field.queryset = unit_choices_for(user, queryset)


def yes_no_filter(label, **kwargs):
    """A 是/否 filter that reads "全部" when unset (django-filter's default says "未知")."""
    from django import forms

    widget = forms.Select(choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))])
    return django_filters.BooleanFilter(label=label, widget=widget, **kwargs)


def review_status_filter():
    return django_filters.ChoiceFilter(
        field_name="review_status", choices=ReviewStatus.choices, label=_("审核状态"), empty_label=_("全部")
    )


class DateFromFilter(django_filters.DateFilter):
    def __init__(self, field_name, label, **kwargs):
        super().__init__(field_name=field_name, lookup_expr="gte", label=label, **kwargs)
        self.extra["widget"] = django_filters.widgets.forms.DateInput(attrs={"type": "date"})


class DateToFilter(django_filters.DateFilter):
    def __init__(self, field_name, label, **kwargs):
        super().__init__(field_name=field_name, lookup_expr="lte", label=label, **kwargs)
        self.extra["widget"] = django_filters.widgets.forms.DateInput(attrs={"type": "date"})
