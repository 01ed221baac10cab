from django.urls import path

from zhaoshang.organisation import views

app_name = "organisation"
urlpatterns = [path("", views.first_run, name="setup")]
