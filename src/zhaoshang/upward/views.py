from django.http import HttpResponse


def reconciliation(request):
    return HttpResponse(status=404)


export = import_recognised = reconciliation
