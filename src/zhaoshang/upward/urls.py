from django.urls import path

from zhaoshang.upward import views

app_name = "upward"

urlpatterns = [
    path("", views.reconciliation, name="reconciliation"),
    path("export/", views.export, name="export"),
    path("registrations/", views.registrations, name="registrations"),
    path("import/", views.import_recognised, name="import"),
]
urlpatterns += [path("projects/<int:pk>/<str:platform>/", views.registration, name="registration")]
