from django.urls import path

from zhaoshang.supervision import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_read_all, name="read_all"),
    path("badge/", views.notification_badge, name="badge"),
    path("<int:pk>/", views.notification_open, name="open"),
]
