from zhaoshang.core.services import record_create, record_update


def target_create(*, user, form, submit: bool = False):
    return record_create(user=user, instance=form.instance)


def target_update(*, user, form, read_version: int | None):
    return record_update(user=user, instance=form.instance, read_version=read_version)


campaign_create = target_create
campaign_update = target_update
