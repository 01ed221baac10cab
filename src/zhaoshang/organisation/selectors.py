"""Reads of the organisation area: where the deployment is (its home region) and the national
division catalogue."""

from django.conf import settings
from django.db.models import Q

from zhaoshang.organisation.models import Deployment, Division, Region, Unit


def home_region() -> Region | None:
    """The deployment's home region (本地区划), the one answer for every caller:

    1. ``ZHAOSHANG_HOME_REGION`` when it names a region of the deployment's tree;
    2. the region stored by ``zhaoshang setup`` (or the first-run page, or the demo);
    3. for a database set up before either existed, the smallest region holding every active unit,
       else the root of the deployment's tree when it has one root;
    4. otherwise none: the deployment has not been set up.
    """
    code = (settings.ZHAOSHANG.get("HOME_REGION_CODE") or "").strip()
    if code:
        region = Region.objects.filter(code=code).first()
        if region is not None:
            return region
    stored = Deployment.objects.filter(pk=1).select_related("home_region").first()
    if stored is not None and stored.home_region is not None:
        return stored.home_region
    return _common_region_of_units() or _single_root()


def _single_root() -> Region | None:
    roots = list(Region.objects.filter(parent__isnull=True)[:2])
    return roots[0] if len(roots) == 1 else None


def _common_region_of_units() -> Region | None:
    paths = set(Unit.objects.filter(is_active=True).values_list("region__path", flat=True))
    parts = [p.strip("/").split("/") for p in paths if p]
    if not parts:
        return None
    common = None
    for codes in zip(*parts, strict=False):
        if len(set(codes)) != 1:
            break
        common = codes[0]
    return Region.objects.filter(code=common).first() if common else None


def is_set_up() -> bool:
    """Whether the deployment has its bureau: some active bureau account exists (the first-run page
    is offered until then)."""
    from zhaoshang.organisation.choices import Role
    from zhaoshang.organisation.models import User

    return User.objects.filter(role=Role.BUREAU, is_active=True).exists()


def has_accounts() -> bool:
    """Whether any account exists: the first-run page is offered only before the first one."""
    from zhaoshang.organisation.models import User

    return User.objects.exists()


def division_options() -> list[tuple[str, str]]:
    """(code, full name) of every catalogue division, for the first-run page's search list:
    "421003", "湖北省荆州市荆州区"."""
    rows = list(Division.objects.values_list("code", "name", "parent_code"))
    names = {code: name for code, name, _parent in rows}
    parents = {code: parent for code, _name, parent in rows}
    options = []
    for code in sorted(names):
        chain, current = [], code
        while current:
            chain.append(names[current])
            current = parents.get(current) or ""
        options.append((code, "".join(reversed(chain))))
    return options


def division_chain(code: str) -> list[Division]:
    """The catalogue's division ``code`` and its ancestors, root first; empty when unknown."""
    chain: list[Division] = []
    division = Division.objects.filter(code=code).first()
    while division is not None:
        chain.append(division)
        division = (
            Division.objects.filter(code=division.parent_code).first() if division.parent_code else None
        )
    return chain[::-1]


def divisions_below(code: str) -> list[Division]:
    """Every division under ``code`` in the catalogue (a province's prefectures and counties, a
    prefecture's counties), parents before children."""
    below: list[Division] = []
    level = [code]
    while level:
        children = list(Division.objects.filter(parent_code__in=level).order_by("code"))
        below.extend(children)
        level = [d.code for d in children]
    return below


def division_find(text: str, *, under: Region | None = None) -> Division | None:
    """The catalogue division a cell names — a code, or a name unique among the divisions under
    ``under`` (the home region) — or None."""
    text = "".join((text or "").split())
    if not text:
        return None
    candidates = Division.objects.filter(**{"code" if text.isdigit() else "name": text})
    if under is not None:
        inside = {d.code for d in divisions_below(under.code)}
        found = [d for d in candidates if d.code in inside]
    else:
        found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


def division_search(query: str, *, limit: int = 50) -> list[Division]:
    """Divisions whose code starts with, or whose name contains, ``query`` (the first-run page)."""
    query = "".join((query or "").split())
    if not query:
        return []
    return list(
        Division.objects.filter(Q(code__startswith=query) | Q(name__contains=query)).order_by("code")[:limit]
    )
