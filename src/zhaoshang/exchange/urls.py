from django.urls import path

from zhaoshang.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("template/<slug:kind>/", views.TemplateDownloadView.as_view(), name="template"),
    path("import/<slug:kind>/", views.ImportView.as_view(), name="import"),
    path("export/<slug:kind>/", views.ExportView.as_view(), name="export"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/check/", views.JobRunView.as_view(confirm=False), name="check"),
    path("jobs/<int:pk>/confirm/", views.JobRunView.as_view(confirm=True), name="confirm"),
    path("jobs/<int:pk>/progress/", views.JobProgressView.as_view(), name="progress"),
]
