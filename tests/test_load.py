"""The server stays up under a bounded load on loopback (等保 2.0 availability), and concurrent
recognitions of one record apply once."""

import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from factories import ProjectFactory
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.workflow import record_transition
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project

REQUESTS = 240
THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_server_stays_up_under_bounded_load(live_server):
    assert live_server.url.startswith("http://localhost") or live_server.url.startswith("http://127.0.0.1")
    urls = [f"{live_server.url}/healthz", f"{live_server.url}/accounts/login/"]

    def fetch(i):
        with urllib.request.urlopen(urls[i % 2], timeout=10) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = list(pool.map(fetch, range(REQUESTS)))
    assert statuses.count(200) == REQUESTS
    assert fetch(0) == 200  # still answering afterwards


@pytest.mark.django_db(transaction=True)
def test_concurrent_recognitions_apply_once(units, make_user):
    project = ProjectFactory(introducing_unit=units.chuandian, review_status="submitted")
    bureaus = [make_user(Role.BUREAU, region=units.chuandian.region) for _ in range(4)]
    barrier = threading.Barrier(len(bureaus))
    moved = []

    def recognise(user):
        from django.db import connection

        barrier.wait()
        try:
            moved.append(
                record_transition(user=user, model=Project, pks=[project.pk], transition="recognise")
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=recognise, args=(u,)) for u in bureaus]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(moved) == [0, 0, 0, 1]
    assert AuditEntry.objects.filter(action="recognise", object_id=str(project.pk)).count() == 1
