from zhaoshang.core.urlkit import crud_urls
from zhaoshang.leads import views

app_name = "leads"
urlpatterns = crud_urls(views.LeadListView, views.LeadDetailView, views.LeadEditView, views.LeadDeleteView)
