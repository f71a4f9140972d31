"""Background work: opinion maps refreshed after votes (periodic, hence debounced)."""

from __future__ import annotations

import logging

from django.tasks import task

from parlons.core.tenancy import scopes_disabled

log = logging.getLogger(__name__)


@task()
def refresh_maps() -> int:
    """Refresh every opinion map with votes newer than its last computation."""
    from parlons.core.processes.models import ModuleInstance
    from parlons.modules.debates.services.maps import do_refresh_map, maps_to_refresh

    done = 0
    with scopes_disabled():
        ids = maps_to_refresh()
        for instance in ModuleInstance.objects.filter(pk__in=ids).select_related("process"):
            try:
                do_refresh_map(instance=instance)
            except Exception:  # one broken map must not stop the others; retried next run
                log.exception("the opinion map of instance %s could not be computed", instance.pk)
            else:
                done += 1
    return done
