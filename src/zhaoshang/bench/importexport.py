"""The project workbook the import benchmark reads, and the django-import-export baseline.

The workbook holds new projects (names not in the database) of existing units and investors, with
the import template's headers and cells as bureaus type them (Chinese stage names, 是/否, Excel
dates). Both importers read the same file; both create every row and are rolled back afterwards.
"""

from pathlib import Path

from django.db import transaction

from zhaoshang.projects.choices import LandMode, ProjectKind, Stage
from zhaoshang.projects.models import Project

SUFFIX = "(二期扩能)"
FLAGS = [
    ("is_leading_industry", "主导产业"),
    ("is_chain", "产业链项目"),
    ("is_industrial", "工业项目"),
    ("is_manufacturing", "制造业"),
    ("is_strategic_emerging", "战略性新兴产业"),
    ("is_private", "民营投资"),
    ("is_headquarters", "总部经济"),
    ("city_dispatch", "纳入市级调度"),
]
DATES = [
    ("negotiated_on", "洽谈日期"),
    ("signed_on", "签约日期"),
    ("agreed_start_on", "约定开工日期"),
    ("commenced_on", "开工日期"),
    ("in_production_on", "投产日期"),
]
HEADERS = [
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "引进单位",
    "所属产业",
    "产业链",
    "总投资(万元)",
    "新增投资(万元)",
    "项目类别",
    "项目阶段",
    *[label for _f, label in DATES],
    "终止或退库原因",
    "用地方式",
    "用地面积(亩)",
    *[label for _f, label in FLAGS],
    "备注",
]


def write_project_workbook(path: Path, *, rows: int, root, suffix: str = SUFFIX) -> None:
    """``rows`` new projects modelled on existing ones of ``root``'s tree, spread over all of them,
    named as the project they copy plus ``suffix``."""
    from openpyxl import Workbook

    base = (
        Project.objects.filter(is_deleted=False, region__path__startswith=root.path)
        .exclude(stage=Stage.WITHDRAWN)
        .select_related("investor", "introducing_unit", "industry", "chain")
        .order_by("pk")
    )
    total = base.count()
    step = max(1, total // rows)
    ids = list(base.values_list("pk", flat=True)[::step][:rows]) if total else []
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("招商项目")
    ws.append(HEADERS)
    written = 0
    for chunk in range(0, len(ids), 2000):
        for p in base.filter(pk__in=ids[chunk : chunk + 2000]):
            ws.append(
                [
                    f"{p.name}{suffix}",
                    p.investor.name,
                    p.investor.credit_code,
                    p.introducing_unit.name,
                    p.industry.name if p.industry_id else "",
                    p.chain.name if p.chain_id else "",
                    p.total_investment_wan,
                    p.added_investment_wan,
                    str(ProjectKind(p.kind).label),
                    str(Stage(p.stage).label),
                    *[getattr(p, f) for f, _label in DATES],
                    p.end_reason,
                    str(LandMode(p.land_mode).label) if p.land_mode else "",
                    p.land_area_mu,
                    *["是" if getattr(p, f) else "否" for f, _label in FLAGS],
                    "",
                ]
            )
            written += 1
    wb.save(path)
    if written < rows:
        raise ValueError(f"only {written} projects to model the import on, {rows} wanted")


def project_resource():
    """A django-import-export ``ModelResource`` for ``Project`` with the template's columns and the
    same natural key (项目名称 + 引进单位), validating every instance (``full_clean``)."""
    from import_export import fields, instance_loaders, resources, widgets

    from zhaoshang.enterprises.models import Enterprise
    from zhaoshang.organisation.models import Industry, Unit

    class PrefetchedWidget(widgets.ForeignKeyWidget):
        """A foreign key by name from one query for the whole file (the library's documented way to
        avoid a query per cell: a custom ``ForeignKeyWidget``); an unknown name fails as the
        library's own widget does."""

        def __init__(self, model, field, queryset=None, **kwargs):
            super().__init__(model, field, **kwargs)
            self._queryset = queryset
            self._cache = None

        def get_instance_by_lookup_fields(self, value, row, **kwargs):
            if self._cache is None:
                qs = self._queryset if self._queryset is not None else self.model.objects.all()
                self._cache = {}
                for obj in qs:
                    self._cache.setdefault(getattr(obj, self.field), obj)
            try:
                return self._cache[value]
            except KeyError:
                raise self.model.DoesNotExist(f"{self.model.__name__} {value}") from None

    class CachedPairLoader(instance_loaders.BaseInstanceLoader):
        """The library's ``CachedInstanceLoader`` for a two-column natural key (项目名称 + 引进单位):
        the existing projects of the file's names in one query, not one look-up per row."""

        def __init__(self, resource, dataset=None):
            super().__init__(resource, dataset)
            self.found = {}
            if dataset is not None and "项目名称" in dataset.headers:
                names = {n for n in dataset["项目名称"] if n}
                for project in Project.objects.filter(name__in=names).select_related("introducing_unit"):
                    self.found[(project.name, project.introducing_unit.name)] = project

        def get_instance(self, row):
            return self.found.get((row.get("项目名称"), row.get("引进单位")))

    class LabelWidget(widgets.Widget):
        """A choice by its Chinese label (签约 → signed)."""

        def __init__(self, choices, **kwargs):
            super().__init__(**kwargs)
            self.by_label = {str(label): value for value, label in choices.choices}

        def clean(self, value, row=None, **kwargs):
            return self.by_label.get(str(value).strip(), value) if value not in (None, "") else ""

    class YesNoWidget(widgets.BooleanWidget):
        TRUE_VALUES = ["是", "1", 1, True, "true", "TRUE", "True"]
        FALSE_VALUES = ["否", "0", 0, False, "false", "FALSE", "False"]

        def clean(self, value, row=None, **kwargs):
            return super().clean(value, row, **kwargs) or False

    def industries(kind):
        return PrefetchedWidget(Industry, "name", queryset=Industry.objects.filter(kind=kind))

    def field(attribute, header, widget=None):
        return fields.Field(attribute=attribute, column_name=header, widget=widget)

    date = widgets.DateWidget()
    money = widgets.DecimalWidget()

    class ProjectResource(resources.ModelResource):
        name = field("name", "项目名称")
        investor = field("investor", "投资方", PrefetchedWidget(Enterprise, "name"))
        introducing_unit = field("introducing_unit", "引进单位", PrefetchedWidget(Unit, "name"))
        industry = field("industry", "所属产业", industries("leading"))
        chain = field("chain", "产业链", industries("chain"))
        total_investment_wan = field("total_investment_wan", "总投资(万元)", money)
        added_investment_wan = field("added_investment_wan", "新增投资(万元)", money)
        kind = field("kind", "项目类别", LabelWidget(ProjectKind))
        stage = field("stage", "项目阶段", LabelWidget(Stage))
        negotiated_on = field("negotiated_on", "洽谈日期", date)
        signed_on = field("signed_on", "签约日期", date)
        agreed_start_on = field("agreed_start_on", "约定开工日期", date)
        commenced_on = field("commenced_on", "开工日期", date)
        in_production_on = field("in_production_on", "投产日期", date)
        end_reason = field("end_reason", "终止或退库原因")
        land_mode = field("land_mode", "用地方式", LabelWidget(LandMode))
        land_area_mu = field("land_area_mu", "用地面积(亩)", money)
        is_leading_industry = field("is_leading_industry", "主导产业", YesNoWidget())
        is_chain = field("is_chain", "产业链项目", YesNoWidget())
        is_industrial = field("is_industrial", "工业项目", YesNoWidget())
        is_manufacturing = field("is_manufacturing", "制造业", YesNoWidget())
        is_strategic_emerging = field("is_strategic_emerging", "战略性新兴产业", YesNoWidget())
        is_private = field("is_private", "民营投资", YesNoWidget())
        is_headquarters = field("is_headquarters", "总部经济", YesNoWidget())
        city_dispatch = field("city_dispatch", "纳入市级调度", YesNoWidget())
        note = field("note", "备注")

        class Meta:
            model = Project
            import_id_fields = ("name", "introducing_unit")
            fields = (
                "name",
                "investor",
                "introducing_unit",
                "industry",
                "chain",
                "total_investment_wan",
                "added_investment_wan",
                "kind",
                "stage",
                "negotiated_on",
                "signed_on",
                "agreed_start_on",
                "commenced_on",
                "in_production_on",
                "end_reason",
                "land_mode",
                "land_area_mu",
                "is_leading_industry",
                "is_chain",
                "is_industrial",
                "is_manufacturing",
                "is_strategic_emerging",
                "is_private",
                "is_headquarters",
                "city_dispatch",
                "note",
            )
            clean_model_instances = True
            skip_unchanged = False
            use_transactions = True
            # The library's fast paths (its documentation, "Bulk imports" and "Performance"):
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            skip_html_diff = True
            instance_loader_class = CachedPairLoader

        def before_save_instance(self, instance, row, **kwargs):
            # What our import does for a bureau import: the project lands in its unit's region,
            # recognised.
            if not instance.region_id:
                instance.region = instance.introducing_unit.region
            instance.review_status = "recognised"

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            if not instance.region_id and instance.introducing_unit_id:
                instance.region = instance.introducing_unit.region  # full_clean needs it

        def import_field(self, field, instance, row, is_m2m=False, **kwargs):
            if field.column_name in row and row[field.column_name] is None:
                row[field.column_name] = ""
            super().import_field(field, instance, row, is_m2m, **kwargs)

    return ProjectResource()


# Which checks differ between the two importers on this file (both parse every cell, both run the
# model's full_clean checks — field checks, the model's clean, uniqueness — and the database's
# constraints; ours runs a field's check of a value already passed in the same file once, with the
# same outcome, ``exchange.base._clean_fields``):
DIFFERENCES = (
    "django-import-export 不做的:审计日志(每条记录一行)、疑似重复项目筛查(防水分)、统一社会信用代码校验、"
    "投资方按名称+信用代码解析或新建、单位权限检查、极端值提示、逐行“第N行〈列名〉”问题清单、"
    "月度汇总更新(其事务回滚,未计入);两者都对每条记录做 full_clean 的全部校验"
    "(本系统对同一文件中已通过校验的相同字段值不重复校验,结果相同)"
)


def import_with_django_import_export(path: Path) -> str:
    """Read ``path`` and import it with django-import-export, rolled back; returns what it did."""
    import tablib

    with transaction.atomic():
        dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
        result = project_resource().import_data(dataset, dry_run=False, raise_errors=False)
        transaction.set_rollback(True)
    totals = {k: v for k, v in result.totals.items() if v}
    errors = len(result.row_errors()) + len(result.invalid_rows)
    text = "、".join(f"{k} {v}" for k, v in totals.items())
    if errors:
        text += f";出错{errors}行"
        if result.invalid_rows:
            text += f",如:{result.invalid_rows[0].error_dict}"[:150]
        elif result.row_errors():
            text += f",如:{result.row_errors()[0][1][0].error}"[:150]
    return text
