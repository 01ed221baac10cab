from django.db import migrations

from zhaoshang.metrics.rollup import drop_trigger_sql, trigger_sql


def recreate_triggers(apps, schema_editor):
    """The unit trigger now watches a unit's kind too (the 不予认定 size rule gives 区直/市直
    departments their own bound): recreate the triggers, and have the next read rebuild the summary
    (changes made while the old trigger stood)."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in [*drop_trigger_sql(vendor), *trigger_sql(vendor)]:
            cursor.execute(statement)
        cursor.execute("INSERT INTO metrics_rollupmark (kind) VALUES ('all')")


class Migration(migrations.Migration):

    dependencies = [
        ('metrics', '0003_counting_options'),
    ]

    operations = [
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]
