from zhaoshang.activities.models import Activity
from zhaoshang.core.services import record_create, record_update


def activity_create(*, user, form, submit: bool = False) -> Activity:
    return record_create(
        user=user, instance=form.instance, m2m=lambda obj: form.save_relations(), submit=submit
    )


def activity_update(*, user, form, read_version: int | None) -> Activity:
    return record_update(
        user=user, instance=form.instance, read_version=read_version, m2m=lambda obj: form.save_relations()
    )
