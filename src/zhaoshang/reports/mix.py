"""项目结构 (seeds 002, 004): the projects signed by kind (新建 / 续建 / 扩建增资), by type (工业 /
农业 / 科技型), 民营投资, 央企国企 and 500强 investors with their projects by name, and 总部经济 with
the tax it is expected to bring.

The projects are those the engine's ``signed_projects`` counts; each split groups them by a field
(``ctx.grouped``), a flag (``ctx.flag_count``) or an investor tag (``ctx.tagged_count``).
"""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from zhaoshang.enterprises.choices import EnterpriseTag
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.metrics.engine import ZERO
from zhaoshang.organisation.models import Region
from zhaoshang.projects.choices import EXPANSION_KINDS, ProjectKind, Sector
from zhaoshang.reports import rules
from zhaoshang.reports.document import Doc
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.links import project_url
from zhaoshang.reports.text import link, md, names, num, share

CODE = "signed_projects"
STATE_TAGS = [EnterpriseTag.CENTRAL_SOE, EnterpriseTag.SOE]
TOP_500_TAGS = [EnterpriseTag.GLOBAL_500, EnterpriseTag.CHINA_500, EnterpriseTag.PRIVATE_500]


def _tagged_projects(ctx: ReportContext, tags: list[str]) -> list:
    tagged = Enterprise.tags.through.objects.filter(enterprise_id=OuterRef("investor_id"), tag_id__in=tags)
    return list(
        ctx.records(CODE).filter(Exists(tagged)).order_by("-total_investment_wan", "signed_on", "name")
    )


def _named(projects: list) -> str:
    shown = [link(md(p.name), project_url(p)) for p in projects[: rules.NAMES_IN_SENTENCE]]
    return names(shown) + (_("等") if len(projects) > rules.NAMES_IN_SENTENCE else "")


def mix_paragraphs(ctx: ReportContext, doc: Doc, *, ps: str) -> None:
    total = ctx.measure(CODE)
    if not total:
        return
    kinds = ctx.grouped(CODE, "kind")
    new = kinds.get(ProjectKind.NEW, ZERO)
    continued = kinds.get(ProjectKind.CONTINUED, ZERO)
    expanded = sum((kinds.get(k, ZERO) for k in EXPANSION_KINDS), ZERO)
    kind_parts = [
        _("{label}{n}个").format(label=label, n=num(n))
        for label, n in ((_("新建项目"), new), (_("续建项目"), continued), (_("扩建、增资项目"), expanded))
        if n
    ]
    industrial = ctx.flag_count(CODE, "is_industrial")
    agricultural = ctx.grouped(CODE, "sector").get(Sector.PRIMARY, ZERO)
    tech = ctx.tagged_count(CODE, rules.HIGH_TECH_TAGS)
    type_parts = [
        _("{label}{n}个，{s}").format(label=label, n=num(n), s=share(n, total))
        if n
        else _("无{label}").format(label=label)
        for label, n in ((_("工业项目"), industrial), (_("农业项目"), agricultural), (_("科技型项目"), tech))
    ]
    private = ctx.flag_count(CODE, "is_private")
    text = _("从项目结构看，{p}签约项目{n}，其中{kinds}；{types}；民营投资项目{v}个，{sv}。").format(
        p=ps,
        n=link(_("{n}个").format(n=num(total)), ctx.url(CODE)),
        kinds="，".join(kind_parts),
        types="，".join(type_parts),
        v=num(private),
        sv=share(private, total),
    )
    investor_parts = []
    for label, tags in ((_("央企、国企"), STATE_TAGS), (_("500强企业"), TOP_500_TAGS)):
        projects = _tagged_projects(ctx, tags)
        if projects:
            investor_parts.append(
                _("{label}投资项目{n}个（{names}）").format(
                    label=label, n=len(projects), names=_named(projects)
                )
            )
        else:
            investor_parts.append(_("无{label}投资项目").format(label=label))
    text += "；".join(investor_parts) + "。"
    text += central_urban_text(ctx, total=total)
    headquarters = list(
        ctx.records(CODE).filter(is_headquarters=True).order_by("-total_investment_wan", "signed_on", "name")
    )
    if headquarters:
        tax = ctx.records(CODE).filter(is_headquarters=True).aggregate(t=Sum("expected_tax_wan"))["t"]
        with_tax = sum(1 for p in headquarters if p.expected_tax_wan is not None)
        text += _("签订总部经济项目{n}个（{names}）").format(n=len(headquarters), names=_named(headquarters))
        if tax is not None:
            text += _("，预计年引税额{t}万元").format(t=num(Decimal(tax)))
            if with_tax < len(headquarters):
                text += _("（{m}个项目未填报预计引税额）").format(m=len(headquarters) - with_tax)
        text += "。"
    doc.p(text)


def central_urban_q(region: Region) -> Q | None:
    """Projects landing in the central urban area (中心城区) under ``region``: in a region flagged
    ``is_central_urban`` or below one. None when no such region lies under ``region``, or when
    ``region`` is itself central (every project would be)."""
    paths = list(
        Region.objects.filter(is_central_urban=True, path__startswith=region.path).values_list(
            "path", flat=True
        )
    )
    if not paths or region.path in paths:
        return None
    q = Q()
    for path in paths:
        q |= Q(region__path__startswith=path)
    return q


def central_urban_text(ctx: ReportContext, *, total: Decimal) -> str:
    """Seed 004: "新签约央企(国企)投资项目56个,中心城区44个、占比78.57%,13个过10亿元…项目…全部落户
    中心城区". The signed projects landing in the central urban area and their share; of the 央企、国企
    projects and of the 10亿元以上 projects, how many land there. Empty without central regions."""
    q = central_urban_q(ctx.region)
    if q is None:
        return ""
    central = ctx.records(CODE).filter(q).count()
    parts = [_("落户中心城区的项目{n}个，{s}").format(n=central, s=share(central, total))]
    state = _tagged_projects(ctx, STATE_TAGS)
    if state:
        ids = [p.pk for p in state]
        n = ctx.records(CODE).filter(q, pk__in=ids).count()
        parts.append(
            _("央企、国企投资项目{m}个，中心城区{n}个、{s}").format(m=len(state), n=n, s=share(n, len(state)))
        )
    big = ctx.records("signed_projects_1b").count()
    if big:
        n = ctx.records("signed_projects_1b").filter(q).count()
        if n == big:
            parts.append(_("{m}个10亿元以上项目全部落户中心城区").format(m=big))
        else:
            parts.append(_("10亿元以上项目{m}个，其中落户中心城区{n}个").format(m=big, n=n))
    return _("从项目布局看，") + "；".join(parts) + "。"
