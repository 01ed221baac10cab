from django.urls import path

from zhaoshang.core import views

app_name = "core"
urlpatterns = [
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path(
        "attachments/add/<int:content_type_id>/<int:object_id>/",
        views.attachment_upload,
        name="attachment_add",
    ),
    path("healthz", views.healthz, name="healthz"),
]
