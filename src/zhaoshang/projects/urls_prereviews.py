from zhaoshang.core.urlkit import crud_urls
from zhaoshang.projects import views

app_name = "prereviews"
urlpatterns = crud_urls(
    views.PreReviewListView, views.PreReviewDetailView, views.PreReviewEditView, views.PreReviewDeleteView
)
