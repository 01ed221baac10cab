from zhaoshang.core.urlkit import crud_urls
from zhaoshang.projects import views

app_name = "projects"
urlpatterns = crud_urls(
    views.ProjectListView, views.ProjectDetailView, views.ProjectEditView, views.ProjectDeleteView
)
