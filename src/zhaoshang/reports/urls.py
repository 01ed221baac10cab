from django.urls import path

from zhaoshang.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<str:task_id>/", views.job, name="job"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/charts/<slug:name>.png", views.chart, name="chart"),
]
