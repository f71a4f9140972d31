"""The pages module's API router: the text of a page."""

from django.http import Http404
from ninja import Router, Schema

from parlons.core.organisations.models import Organisation
from parlons.core.processes.selectors import access_instance
from parlons.core.tenancy import scope
from parlons.modules.pages.models import Page

router = Router(tags=["pages"])


class PageOut(Schema):
    instance: str
    title: dict[str, str]
    body: dict[str, str]


@router.get("/{organisation}/{process}/{instance}", response=PageOut)
def get_page(request, organisation: str, process: str, instance: str):
    """The text of an information page, in every language it has."""
    org = Organisation.objects.filter(slug=organisation).first()
    if org is None:
        raise Http404
    with scope(organisation=org):
        found = access_instance(
            person=request.user, process_slug=process, instance_slug=instance, module="pages"
        )
        page = Page.objects.filter(instance=found).first()
    return {"instance": found.slug, "title": found.title, "body": page.body if page else {}}
