from django.urls import include, path

from zhaoshang.assessment import views
from zhaoshang.core.urlkit import crud_urls

app_name = "assessment"

findings = crud_urls(
    views.FindingListView, views.FindingDetailView, views.FindingEditView, views.FindingDeleteView
)

urlpatterns = [
    path("", views.run_list, name="list"),
    path("run/", views.run_create, name="run"),
    path("<int:pk>/", views.run_detail, name="detail"),
    path("<int:pk>/recompute/", views.run_recompute, name="recompute"),
    path("<int:pk>/publish/", views.run_publish, name="publish"),
    path("findings/", include((findings, "findings"))),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/init/", views.scheme_init, name="scheme_init"),
    path("schemes/<int:pk>/", views.scheme_edit, name="scheme_edit"),
]
