from django.urls import path


def crud_urls(list_view, detail_view, edit_view, delete_view) -> list:
    """The same addresses for every entity: list, add, detail, edit, delete (SPEC §5), and the
    recognition workflow's transitions for one record or a selection."""
    from zhaoshang.core.views import TransitionView

    transition = type(
        f"{list_view.__name__}Transition",
        (TransitionView,),
        {"model": list_view.model, "url_base": list_view.url_base, "base_queryset": list_view.base_queryset},
    )
    return [
        path("transition/", transition.as_view(), name="bulk_transition"),
        path("<int:pk>/transition/", transition.as_view(), name="transition"),
        path("", list_view.as_view(), name="list"),
        path("add/", edit_view.as_view(), name="add"),
        path("<int:pk>/", detail_view.as_view(), name="detail"),
        path("<int:pk>/edit/", edit_view.as_view(), name="edit"),
        path("<int:pk>/delete/", delete_view.as_view(), name="delete"),
    ]
