from django.urls import path

from zhaoshang.core.urlkit import crud_urls
from zhaoshang.supervision import views

app_name = "tickets"
urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("findings/open/", views.finding_open, name="finding_open"),
    *crud_urls(views.TicketListView, views.TicketDetailView, views.TicketEditView, views.TicketDeleteView),
    path("<int:pk>/respond/", views.ticket_action, {"action": "respond"}, name="respond"),
    path("<int:pk>/verify/", views.ticket_action, {"action": "verify"}, name="verify"),
]
