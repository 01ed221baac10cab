from django.contrib import admin
from django.urls import include, path

from zhaoshang.security import views as security_views

urlpatterns = [
    path("accounts/login/", security_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", security_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", security_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/otp/", security_views.second_factor, name="second_factor"),
    path("setup/", include("zhaoshang.organisation.urls")),
    path("admin/", admin.site.urls),
    path("audit/", include("zhaoshang.audit.urls")),
    path("projects/", include("zhaoshang.projects.urls")),
    path("funds/", include("zhaoshang.projects.urls_funds")),
    path("prereviews/", include("zhaoshang.projects.urls_prereviews")),
    path("leads/", include("zhaoshang.leads.urls")),
    path("activities/", include("zhaoshang.activities.urls")),
    path("enterprises/", include("zhaoshang.enterprises.urls")),
    path("targets/", include("zhaoshang.targets.urls")),
    path("campaigns/", include("zhaoshang.targets.urls_campaigns")),
    path("metrics/", include("zhaoshang.metrics.urls")),
    path("assessments/", include("zhaoshang.assessment.urls")),
    path("exchange/", include("zhaoshang.exchange.urls")),
    path("reports/", include("zhaoshang.reports.urls")),
    path("cycle/", include("zhaoshang.cycle.urls")),
    path("search/", include("zhaoshang.search.urls")),
    path("api/", include("zhaoshang.api.urls")),
    path("upward/", include("zhaoshang.upward.urls")),
    path("", include("zhaoshang.supervision.urls")),
    path("", include("zhaoshang.core.urls")),
    path("", include("zhaoshang.dashboard.urls")),
]
