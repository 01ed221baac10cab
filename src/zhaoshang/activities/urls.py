from zhaoshang.activities import views
from zhaoshang.core.urlkit import crud_urls

app_name = "activities"
urlpatterns = crud_urls(
    views.ActivityListView, views.ActivityDetailView, views.ActivityEditView, views.ActivityDeleteView
)
