from django.urls import path

from zhaoshang.core.urlkit import crud_urls
from zhaoshang.projects import views

app_name = "projects"
urlpatterns = [
    *crud_urls(
        views.ProjectListView, views.ProjectDetailView, views.ProjectEditView, views.ProjectDeleteView
    ),
    # 重大项目服务: records added from the project's page
    path("<int:pk>/progress/add/", views.ProgressAddView.as_view(), name="progress_add"),
    path("<int:pk>/meetings/add/", views.MeetingAddView.as_view(), name="meeting_add"),
    path("<int:pk>/problems/add/", views.ProblemAddView.as_view(), name="problem_add"),
    path("<int:pk>/complaints/add/", views.ComplaintAddView.as_view(), name="complaint_add"),
]
