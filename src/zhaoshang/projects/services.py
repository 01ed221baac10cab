"""Writes to projects, funds records and pre-review meetings (STYLE: services own the writes)."""

from django.db import transaction

from zhaoshang.core.services import record_create, record_update
from zhaoshang.enterprises.services import enterprise_resolve
from zhaoshang.projects.models import FundsRecord, PreReviewMeeting, Project


def _resolve_investor(*, user, form) -> None:
    data = form.cleaned_data
    form.instance.investor = enterprise_resolve(
        user=user, name=data["investor_name"], credit_code=data.get("investor_credit_code", "")
    )
    if not form.instance.region_id:
        # A project lands, unless said otherwise, in its introducing unit's region (SPEC §3 credit).
        form.instance.region = form.instance.introducing_unit.region


def project_create(*, user, form, submit: bool = False) -> Project:
    with transaction.atomic():
        _resolve_investor(user=user, form=form)
        return record_create(
            user=user, instance=form.instance, m2m=lambda obj: form.save_relations(), submit=submit
        )


def project_update(*, user, form, read_version: int | None) -> Project:
    with transaction.atomic():
        _resolve_investor(user=user, form=form)
        return record_update(
            user=user,
            instance=form.instance,
            read_version=read_version,
            m2m=lambda obj: form.save_relations(),
        )


def funds_create(*, user, form, submit: bool = False) -> FundsRecord:
    return record_create(user=user, instance=form.instance, submit=submit)


def funds_update(*, user, form, read_version: int | None) -> FundsRecord:
    return record_update(user=user, instance=form.instance, read_version=read_version)


def prereview_create(*, user, form, submit: bool = False) -> PreReviewMeeting:
    with transaction.atomic():
        meeting = record_create(user=user, instance=form.instance)
        form.save_verdicts(meeting)
        return meeting


def prereview_update(*, user, form, read_version: int | None) -> PreReviewMeeting:
    with transaction.atomic():
        meeting = record_update(user=user, instance=form.instance, read_version=read_version)
        form.save_verdicts(meeting)
        return meeting
