"""The public page."""

from django.shortcuts import render

from parlons.core.processes.selectors import access_instance
from parlons.modules.pages.models import Page


def detail(request, organisation_slug, process_slug, instance_slug):
    instance = access_instance(
        person=request.user,
        process_slug=process_slug,
        instance_slug=instance_slug,
        module="pages",
    )
    page = Page.objects.filter(instance=instance).first()
    return render(
        request,
        "pages/page.html",
        {
            "instance": instance,
            "process": instance.process,
            "page": page,
        },
    )
