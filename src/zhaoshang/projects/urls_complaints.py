from django.urls import path

from zhaoshang.core.urlkit import crud_urls
from zhaoshang.projects import views

app_name = "complaints"
urlpatterns = [
    *crud_urls(
        views.ComplaintListView, views.ComplaintDetailView, views.ComplaintEditView, views.ComplaintDeleteView
    ),
    path("<int:pk>/respond/", views.complaint_action, {"action": "respond"}, name="respond"),
    path("<int:pk>/close/", views.complaint_action, {"action": "close"}, name="close"),
]
