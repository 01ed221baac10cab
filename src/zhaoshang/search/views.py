"""The search page (/search/?q=…): the records the user may see, grouped by kind. Thin: parse the
query, call the selector (which goes through ``core.access``), render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhaoshang.core import access
from zhaoshang.projects.models import Project
from zhaoshang.search.selectors import MAX_QUERY_LENGTH, may_search, search


@login_required
def results(request):
    user = request.user
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    groups = search(user=user, query=query)
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "may_search": may_search(user),
            "groups": [group for group in groups if group.count],
            "total": sum(group.count for group in groups),
            "can_add_project": access.can(user, access.ADD, Project),
            "breadcrumbs": True,
        },
    )
