from django.urls import path

from zhaoshang.projects import views

app_name = "duplicates"
urlpatterns = [
    path("", views.DuplicateListView.as_view(), name="list"),
    path("<int:pk>/", views.DuplicateDetailView.as_view(), name="detail"),
    path("<int:pk>/resolve/", views.duplicate_resolve, name="resolve"),
]
