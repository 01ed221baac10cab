"""The mark ``rollup.compact`` merges from: every row stored so far has a key of its own (before this
release additions updated the stored rows in place), so the mark is the table's highest id."""

import datetime

from django.db import migrations


def mark_compacted(apps, schema_editor):
    MonthlyFigure = apps.get_model("metrics", "MonthlyFigure")
    rows = MonthlyFigure.objects.exclude(level="meta")
    top = rows.order_by("-id").values_list("id", flat=True).first()
    MonthlyFigure.objects.filter(level="meta", indicator="compacted").delete()
    MonthlyFigure.objects.create(
        level="meta", basis="", indicator="compacted", month=datetime.date(1970, 1, 1), value=top or 0, records=0
    )


class Migration(migrations.Migration):
    dependencies = [("metrics", "0005_read_index_records")]

    operations = [migrations.RunPython(mark_compacted, migrations.RunPython.noop)]
