from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from zhaoshang.api import pages, views

app_name = "api"

router = DefaultRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("funds", views.FundsRecordViewSet, basename="funds")
router.register("leads", views.LeadViewSet, basename="lead")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("targets", views.TargetViewSet, basename="target")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("platform-records", views.PlatformRecordViewSet, basename="platform-record")
router.register("platform-funds", views.PlatformFundsViewSet, basename="platform-funds")
router.register("units", views.UnitViewSet, basename="unit")
router.register("regions", views.RegionViewSet, basename="region")

urlpatterns = [
    path("metrics/", views.MetricView.as_view(), name="metrics"),
    path("ranking/", views.RankingView.as_view(), name="ranking"),
    path("reconciliation/", views.ReconciliationView.as_view(), name="reconciliation"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("", include(router.urls)),
]
