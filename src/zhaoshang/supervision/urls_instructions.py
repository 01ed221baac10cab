from django.urls import path

from zhaoshang.supervision import views

app_name = "instructions"
urlpatterns = [path("add/<int:content_type_id>/<int:object_id>/", views.instruction_add, name="add")]
