"""An organisation's rows never show up in another organisation's scope."""

from __future__ import annotations

import pytest

from parlons.core.processes.models import Phase, Process
from parlons.core.tenancy import ScopeError, scope


def test_queries_outside_a_scope_fail_loudly(make_process):
    make_process()
    with scope(organisation=None), pytest.raises(ScopeError, match="Process is owned"):
        list(Process.objects.all())


def test_a_scope_sees_only_its_organisation(make_process, make_phase):
    mine, theirs = make_process(), make_process()
    make_phase(mine)
    make_phase(theirs)
    with scope(organisation=mine.organisation):
        assert list(Process.objects.all()) == [mine]
        assert list(Phase.objects.values_list("process", flat=True)) == [mine.pk]
        assert Process.objects.filter(pk=theirs.pk).first() is None
        assert list(mine.phases.all()) == list(Phase.objects.all())


def test_urls_of_one_organisation_do_not_reach_another(client, make_process):
    mine, theirs = make_process(), make_process()
    url = f"/en/{mine.organisation.slug}/{theirs.slug}/"
    assert client.get(url).status_code == 404
    assert client.get(f"/en/{theirs.organisation.slug}/{theirs.slug}/").status_code == 200
