"""Included at the site root: tickets, findings, 批示 and notifications, and — for the area whose
models live in ``projects`` — the problems, complaints and the possible-duplicate pool."""

from django.urls import include, path

urlpatterns = [
    path("tickets/", include("zhaoshang.supervision.urls_tickets")),
    path("notifications/", include("zhaoshang.supervision.urls_notifications")),
    path("instructions/", include("zhaoshang.supervision.urls_instructions")),
    path("problems/", include("zhaoshang.projects.urls_problems")),
    path("complaints/", include("zhaoshang.projects.urls_complaints")),
    path("duplicates/", include("zhaoshang.projects.urls_duplicates")),
]
