"""Every role walks the site as a person would: each menu link of the rendered base template, then a
sample of the links found on those pages (a few per kind of address, two steps deep).

On every page: no server error; no English words in the visible text (the user interface is
simplified Chinese through gettext; an allow-list keeps acronyms, format names and code); a paged
list never pages an unordered queryset. And a unit's own staff get 403/404 for another unit's
records, and the bureau of one county for another county's.

The data set is small on purpose (conftest's regions and units, a few records each from the
factories) so that the walk of nine roles stays well under a minute; the demo database was walked the
same way by hand (see the QA report of this test's commit).
"""

import datetime
import re
import warnings
from collections import defaultdict, deque
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from django.core.paginator import UnorderedObjectListWarning

from factories import (
    ActivityFactory,
    CampaignFactory,
    EnterpriseFactory,
    FundsRecordFactory,
    LeadFactory,
    ProjectFactory,
    TargetFactory,
)
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.organisation.choices import Role
from zhaoshang.organisation.roles import apply_role_privileges
from zhaoshang.organisation.services import home_region_set
from zhaoshang.projects.choices import Stage

# Words that may appear in Latin letters: format and product names, units. Acronyms written in
# capitals (PDF, API, GDP, ID …) are allowed as such.
ALLOWED_WORDS = {"Excel", "Word", "Markdown", "Mini", "xlsx", "xls", "csv", "docx", "pdf", "md", "min"}
WORD = re.compile(r"[A-Za-z][A-Za-z_']{2,}")

# Where the walk does not go: leaving, deleting, the API's own documentation pages (Swagger UI,
# English by design, for programmers with a token).
SKIP = ("/accounts/logout/", "/delete/", "/static/", "/media/", "/api/docs/", "/api/redoc/")
# Text only a screen reader reads (Django's admin has a few captions its Chinese catalogue lacks),
# and the alt text Django's admin writes in English on its icons.
SCREEN_READER_ONLY = re.compile(r'<(\w+)[^>]*class="[^"]*visually-hidden[^"]*"[^>]*>.*?</\1>', re.S)
DJANGO_ADMIN_ALT = {"True", "False", "None", "Search"}
# The password hasher's name in Django's masked password summary (the system administrator's view).
ALLOWED_WORDS_ADMIN = {"argon2", "argon2id", "pbkdf2_sha256"}
# A table body with no row at all: a list page should say it has nothing to show instead.
EMPTY_TABLE = re.compile(r"<tbody[^>]*>\s*</tbody>")
PER_KIND = 2  # addresses visited per kind of address (digits folded), per role
MAX_PAGES = 90  # per role


class _Page(HTMLParser):
    """Links, the navbar's links, and the text a reader sees (text nodes, titles, placeholders)."""

    HIDDEN = {"script", "style", "code", "pre", "kbd", "samp", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.nav_links, self.texts = [], [], []
        self._hidden = 0
        self._nav = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "nav":
            self._nav += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._nav:
                self.nav_links.append(attrs["href"])
        for name in ("title", "placeholder", "alt"):
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag == "nav" and self._nav:
            self._nav -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


# A code shown with its Chinese label, for the people who type it (``platform_code(平台项目编号)``),
# and a masked secret (Django's password summary: ``salt: Rao5kL*****``).
LABELLED_CODE = re.compile(r"[A-Za-z_]+(?=[(（][\u4e00-\u9fff])|\S*\*{6,}")


def english_words(text: str) -> list[str]:
    text = LABELLED_CODE.sub("", text)
    return [w for w in WORD.findall(text) if w not in ALLOWED_WORDS and not w.isupper()]


def _local(href: str, base: str) -> str | None:
    href, _fragment = urldefrag(href)
    if not href or href.startswith(("mailto:", "javascript:", "tel:")):
        return None
    url = urlparse(urljoin("http://testserver" + base, href))
    if url.netloc != "testserver" or any(s in url.path for s in SKIP):
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _kind(url: str) -> str:
    path, _q, query = url.partition("?")
    return re.sub(r"\d+", "N", path) + (
        "?" + ",".join(sorted(re.findall(r"([\w-]+)=", query))) if query else ""
    )


def walk(client, start="/"):
    """Visit the menu of the page at ``start``, then links found there, a few of each kind.
    Returns (pages visited, problems, menu links)."""
    problems: list[str] = []
    seen: set[str] = set()
    per_kind: dict[str, int] = defaultdict(int)
    response = client.get(start)
    assert response.status_code == 200, start
    home = _Page()
    home.feed(response.content.decode())
    menu = [u for u in (_local(h, start) for h in home.nav_links) if u]
    assert len(menu) >= 3, f"no menu parsed from {start}: {home.nav_links}"
    queue = deque((url, 0) for url in dict.fromkeys([start, *menu]))
    visited = 0
    while queue and visited < MAX_PAGES:
        url, depth = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        kind = _kind(url)
        if per_kind[kind] >= PER_KIND and url not in menu:
            continue
        per_kind[kind] += 1
        visited += 1
        with warnings.catch_warnings():
            warnings.simplefilter("error", UnorderedObjectListWarning)
            response = client.get(url)
        status = response.status_code
        if status >= 500:
            problems.append(f"{url}: {status}")
            continue
        if status in (301, 302):
            target = _local(response.headers.get("Location", ""), url)
            if target and "/accounts/login/" in target:
                problems.append(f"{url}: sent to the login page")
            elif target:
                queue.append((target, depth))
            continue
        if status >= 400:
            # A link shown to this user that leads to a refusal or nowhere is a broken link.
            problems.append(f"{url}: {status} (linked from a page this user sees)")
            continue
        if "html" not in response.headers.get("Content-Type", ""):
            continue  # a download; its status is what is checked here
        body = response.content.decode()
        if EMPTY_TABLE.search(body):
            problems.append(f"{url}: a table with no rows and nothing saying it is empty")
        page = _Page()
        page.feed(SCREEN_READER_ONLY.sub("", body))
        for text in page.texts:
            if url.startswith("/admin/") and (text in DJANGO_ADMIN_ALT or text in ALLOWED_WORDS_ADMIN):
                continue
            if english_words(text):
                problems.append(f"{url}: English text {text[:120]!r}")
        if depth < 2:
            for href in page.links:
                target = _local(href, url)
                if target and target not in seen:
                    queue.append((target, depth + 1))
    return visited, problems, menu


@pytest.fixture
def site(units, region_tree, make_user):
    """A county (荆州区) with two towns and a task force, a town in the next county (沙市区), and for
    each unit a project with its funds, a lead, an activity and a target; users of every role."""
    home_region_set(region=region_tree.jingzhou)
    today = datetime.date.today()
    month = today.replace(day=1)
    records = {}
    for key in ("chuandian", "mashan", "task_force", "cenhe"):
        unit = getattr(units, key)
        project = ProjectFactory(
            name=f"{unit.name}新能源电池项目",
            investor=EnterpriseFactory(name=f"{unit.name}投资方"),
            introducing_unit=unit,
            stage=Stage.SIGNED,
            negotiated_on=month,
            signed_on=month,
            total_investment_wan=Decimal("20000"),
            review_status=ReviewStatus.RECOGNISED,
        )
        records[key] = {
            "project": project,
            "funds": FundsRecordFactory(project=project, month=month, amount_wan=Decimal("500")),
            "lead": LeadFactory(unit=unit),
            "activity": ActivityFactory(unit=unit, started_on=month, ended_on=month),
            "target": TargetFactory(unit=unit, year=today.year, indicator="signed_projects"),
        }
    CampaignFactory(name="招商引资百日会战", starts_on=month, ends_on=month + datetime.timedelta(days=90))
    names = iter("赵钱孙李周吴郑王冯")
    users = {}
    for username, role, unit, region in [
        ("bureau", Role.BUREAU, None, region_tree.jingzhou),
        ("leader", Role.LEADER, None, region_tree.jingzhou),
        ("supervisor", Role.SUPERVISOR, None, region_tree.jingzhou),
        ("reporter", Role.REPORTER, units.chuandian, None),
        ("unit_head", Role.UNIT_HEAD, units.chuandian, None),
        ("reporter2", Role.REPORTER, units.mashan, None),
        ("sysadmin", Role.SYSADMIN, None, None),
        ("secadmin", Role.SECADMIN, None, None),
        ("auditor", Role.AUDITOR, None, None),
    ]:
        # Chinese names, as the navbar and the audit log show them; usernames without letters words.
        user = make_user(role, unit=unit, region=region, username=f"u{len(users) + 1}")
        user.last_name, user.first_name = next(names), "测试"
        user.save()
        apply_role_privileges(user)
        users[username] = user
    return users, records


ROLES = [
    "bureau",
    "leader",
    "supervisor",
    "reporter",
    "unit_head",
    "reporter2",
    "sysadmin",
    "secadmin",
    "auditor",
]


def test_every_role_walks_the_menu_without_errors_or_english(site, client_as):
    users, _records = site
    problems = []
    visited = {}
    for role in ROLES:
        client = client_as(users[role])
        count, found, menu = walk(client)
        visited[role] = count
        problems += [f"[{role}] {p}" for p in found]
        # The menu is the role's: the auditor reads the audit log, the bureau the reports.
        if role == "auditor":
            assert "/audit/" in menu
        if role == "bureau":
            assert {"/projects/", "/reports/", "/upward/", "/cycle/"} <= set(menu)
        if role in ("reporter", "unit_head", "reporter2"):
            assert "/reports/" not in menu
    assert not problems, "\n".join(problems)
    # The walk reached well past the menu (detail and edit pages), not just the first page.
    assert visited["bureau"] > 40, visited
    assert visited["reporter"] > 30, visited


@pytest.mark.parametrize(
    "role, own, others",
    [
        ("reporter", "chuandian", ("mashan", "task_force", "cenhe")),
        ("unit_head", "chuandian", ("mashan", "cenhe")),
        ("reporter2", "mashan", ("chuandian", "task_force")),
        ("bureau", None, ("cenhe",)),  # 荆州区's bureau does not see 沙市区
    ],
)
def test_other_units_records_are_not_found(site, client_as, role, own, others):
    users, records = site
    client = client_as(users[role])
    for key in others:
        for kind, obj in records[key].items():
            url = obj.get_absolute_url()
            for address in (url, url + "edit/", url + "history/"):
                response = client.get(address)
                assert response.status_code in (403, 404), (
                    f"{role} → {key} {kind} {address}: {response.status_code}"
                )
                # The refusal itself is a Chinese page (not Django's English "Not Found").
                page = _Page()
                page.feed(response.content.decode())
                assert ("页面不存在" in page.texts or "没有权限" in page.texts) and not any(
                    english_words(t) for t in page.texts
                ), address
        # Nor do the other unit's records appear in the lists, the search or the filters.
        project = records[key]["project"]
        link = f'href="{project.get_absolute_url()}"'
        for address in ("/projects/", "/funds/", "/"):
            body = client.get(address).content.decode()
            assert project.name not in body and link not in body, f"{role} sees {project.name} on {address}"
        for address in ("/projects/", "/funds/", "/leads/", "/activities/", "/targets/", "/tickets/"):
            # Not even in the filters' unit drop-down: the unit is not one of theirs.
            body = client.get(address).content.decode()
            assert project.introducing_unit.name not in body, (
                f"{role}: {project.introducing_unit} on {address}"
            )
        # The search page repeats the words searched for; what it must not give is the record.
        found = client.get("/search/", {"q": project.name}).content.decode()
        assert link not in found and records[key]["lead"].get_absolute_url() not in found
    if own:
        # Their own records open and are found (the refusals above are about the unit, not the page).
        for kind, obj in records[own].items():
            assert client.get(obj.get_absolute_url()).status_code == 200, kind
        mine = records[own]["project"]
        found = client.get("/search/", {"q": mine.name}).content.decode()
        assert f'href="{mine.get_absolute_url()}"' in found


def test_the_allow_list_is_narrow():
    """The English check would catch the mistakes it is for."""
    assert english_words("还没有目标任务。可用 zhaoshang import targets 导入") == [
        "zhaoshang",
        "import",
        "targets",
    ]
    assert english_words("commenced_projects") == ["commenced_projects"]
    assert english_words("导出Excel · PDF文件 · API接口 · Mini LED背光模组") == []
    assert english_words("可用字段:platform_code(平台项目编号)、name(项目名称)") == []
    assert english_words("可用字段:platform_code、name") == ["platform_code", "name"]


def test_error_pages_are_chinese(rf, db):
    """Django's own 400/403/404/500 pages are English; the project's templates replace them (the
    500 page is rendered without a request or database)."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.views import defaults

    request = rf.get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    pages = {
        400: defaults.bad_request(request, Exception()),
        403: defaults.permission_denied(request, PermissionDenied("报告仅供招商局、领导和督查查看。")),
        404: defaults.page_not_found(request, Http404("No Project matches the given query.")),
        500: defaults.server_error(request),
    }
    for status, response in pages.items():
        page = _Page()
        page.feed(response.content.decode())
        assert response.status_code == status
        assert not [t for t in page.texts if english_words(t)], (status, page.texts)
    assert "报告仅供招商局、领导和督查查看。" in pages[403].content.decode()  # the reason, as raised


def test_a_form_sent_without_its_token_is_refused_in_chinese(site):
    from django.test import Client

    users, _records = site
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["bureau"])
    response = client.post("/projects/add/", {"name": "某项目"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期或无法核实表单来源" in body and "CSRF" not in body
