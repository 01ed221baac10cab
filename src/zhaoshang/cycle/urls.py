from django.urls import path, re_path

from zhaoshang.cycle import views

app_name = "cycle"
MONTH = r"(?P<month>\d{4}-\d{2})"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(rf"^{MONTH}/$", views.month, name="month"),
    re_path(rf"^{MONTH}/units/(?P<unit>\d+)/confirm/$", views.confirm, name="confirm"),
    re_path(rf"^{MONTH}/remind/$", views.remind, name="remind"),
    re_path(rf"^{MONTH}/close/$", views.close, name="close"),
    re_path(rf"^{MONTH}/reopen/$", views.reopen, name="reopen"),
]
