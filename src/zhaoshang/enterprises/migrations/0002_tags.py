from django.db import migrations

TAGS = ["global500", "china500", "private500", "listed", "central_soe", "soe", "leader", "high_tech",
        "specialised", "hmt", "foreign"]


def add_tags(apps, schema_editor):
    Tag = apps.get_model("enterprises", "Tag")
    for code in TAGS:
        Tag.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(add_tags, migrations.RunPython.noop)]
