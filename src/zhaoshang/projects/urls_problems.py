from django.urls import path

from zhaoshang.core.urlkit import crud_urls
from zhaoshang.projects import views

app_name = "problems"
urlpatterns = [
    *crud_urls(
        views.ProblemListView, views.ProblemDetailView, views.ProblemEditView, views.ProblemDeleteView
    ),
    path("<int:pk>/resolve/", views.problem_resolve, name="resolve"),
]
