from zhaoshang.core.urlkit import crud_urls
from zhaoshang.targets import views

app_name = "targets"
urlpatterns = crud_urls(
    views.TargetListView, views.TargetDetailView, views.TargetEditView, views.TargetDeleteView
)
