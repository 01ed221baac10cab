from django.urls import path

from zhaoshang.core.urlkit import crud_urls
from zhaoshang.leads import views

app_name = "leads"
urlpatterns = [
    *crud_urls(views.LeadListView, views.LeadDetailView, views.LeadEditView, views.LeadDeleteView),
    path("<int:pk>/loop/<str:step>/", views.lead_step, name="step"),
]
