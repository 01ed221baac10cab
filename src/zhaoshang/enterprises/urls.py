from zhaoshang.core.urlkit import crud_urls
from zhaoshang.enterprises import views

app_name = "enterprises"
urlpatterns = crud_urls(
    views.EnterpriseListView, views.EnterpriseDetailView, views.EnterpriseEditView, views.EnterpriseDeleteView
)
