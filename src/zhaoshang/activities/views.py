from django.utils.translation import gettext_lazy as _

from zhaoshang.activities import services
from zhaoshang.activities.filtersets import ActivityFilterSet
from zhaoshang.activities.forms import ActivityForm
from zhaoshang.activities.models import Activity
from zhaoshang.activities.tables import ActivityTable
from zhaoshang.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView


class ActivityMixin:
    model = Activity
    url_base = "activities"

    def base_queryset(self):
        return Activity.objects.select_related("unit")


class ActivityListView(ActivityMixin, ObjectListView):
    filterset_class = ActivityFilterSet
    table_class = ActivityTable
    empty_hint = _("还没有招商活动记录。")


class ActivityDetailView(ActivityMixin, ObjectDetailView):
    detail_fields = [
        "kind",
        "unit",
        "partner_units",
        "started_on",
        "ended_on",
        "destination",
        "out_of_province",
        "enterprises",
        "enterprise_count",
        "batches",
        "signed_projects",
        "leaders",
        "outcome",
        "note",
        "created_by",
    ]


class ActivityEditView(ActivityMixin, ObjectEditView):
    form_class = ActivityForm
    create_service = services.activity_create
    update_service = services.activity_update


class ActivityDeleteView(ActivityMixin, ObjectDeleteView):
    pass
