"""The first-run page (/setup/): the same as ``zhaoshang setup``, for a deployment with no account
yet. Once any account exists it answers 404, so it cannot be used to add administrators later."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.organisation.forms import SetupForm
from zhaoshang.organisation.selectors import division_options, has_accounts
from zhaoshang.organisation.services import deployment_setup


def first_run(request):
    if has_accounts():
        raise Http404
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = deployment_setup(
                region_code=form.cleaned_data["region"].code,
                bureau_name=form.cleaned_data["bureau"],
                passwords=form.passwords(),
                year=timezone.localdate().year,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                target = {"bureau": "bureau", "region": "region"}.get(field, f"{field}_password")
                for message in errors:
                    form.add_error(target if target in form.fields else None, message)
        else:
            messages.success(
                request,
                _(
                    "初始化完成:本地区划{region},招商局“{bureau}”,已建立账号 {accounts}。请登录并修改初始密码。"
                ).format(
                    region=result.home.name,
                    bureau=result.bureau_unit.name,
                    accounts="、".join(a.username for a in result.accounts),
                ),
            )
            return redirect("login")
    return render(request, "organisation/setup.html", {"form": form, "divisions": division_options()})
