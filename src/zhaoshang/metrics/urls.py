from django.urls import path

from zhaoshang.metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.definitions, name="definitions"),
    path("table/", views.table, name="table"),
    path("options/", views.counting_rules_edit, name="options"),
    path("excluded/", views.excluded, name="excluded"),
]
