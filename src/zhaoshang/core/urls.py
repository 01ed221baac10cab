from django.urls import path

from zhaoshang.core import views

app_name = "core"
urlpatterns = [
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("healthz", views.healthz, name="healthz"),
]
