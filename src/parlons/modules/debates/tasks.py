"""Background work: opinion maps refreshed after votes (periodic, hence debounced)."""

from __future__ import annotations

from django.tasks import task

from parlons.core.tenancy import scopes_disabled


@task()
def refresh_maps() -> int:
    """Refresh every opinion map with votes newer than its last computation."""
    from parlons.core.processes.models import ModuleInstance
    from parlons.modules.debates.services.maps import do_refresh_map, maps_to_refresh

    with scopes_disabled():
        ids = maps_to_refresh()
        for instance in ModuleInstance.objects.filter(pk__in=ids).select_related("process"):
            do_refresh_map(instance=instance)
    return len(ids)
