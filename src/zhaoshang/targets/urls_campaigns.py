from zhaoshang.core.urlkit import crud_urls
from zhaoshang.targets import views

app_name = "campaigns"
urlpatterns = crud_urls(
    views.CampaignListView, views.CampaignDetailView, views.CampaignEditView, views.CampaignDeleteView
)
