from django.urls import path


def crud_urls(list_view, detail_view, edit_view, delete_view) -> list:
    """The same five addresses for every entity: list, add, detail, edit, delete (SPEC §5)."""
    return [
        path("", list_view.as_view(), name="list"),
        path("add/", edit_view.as_view(), name="add"),
        path("<int:pk>/", detail_view.as_view(), name="detail"),
        path("<int:pk>/edit/", edit_view.as_view(), name="edit"),
        path("<int:pk>/delete/", delete_view.as_view(), name="delete"),
    ]
