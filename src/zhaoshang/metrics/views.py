from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhaoshang.metrics.indicators import REGISTRY, Basis


@login_required
def definitions(request):
    """The counting conventions (口径), as users read them: one home per rule."""
    return render(
        request, "metrics/definitions.html", {"indicators": list(REGISTRY.values()), "bases": Basis.choices}
    )
