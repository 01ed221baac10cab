from zhaoshang.core.urlkit import crud_urls
from zhaoshang.projects import views

app_name = "funds"
urlpatterns = crud_urls(
    views.FundsListView, views.FundsDetailView, views.FundsEditView, views.FundsDeleteView
)
