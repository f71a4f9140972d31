"""The ``pages`` module: an information page a phase can show."""

from django.utils.translation import gettext_lazy as _

from parlons.core.registry import ModuleDeclaration


def _demo(**kwargs):
    from parlons.modules.pages.demo import load_demo

    load_demo(**kwargs)


declaration = ModuleDeclaration(
    key="pages",
    name=_("Information page"),
    description=_("A page of text that a phase shows: the rules, the calendar, the results."),
    capabilities=("show",),
    phase_combinations=(frozenset({"show"}),),
    permissions=("pages.page:edit",),
    urls="parlons.modules.pages.urls",
    backoffice_urls="parlons.modules.pages.backoffice_urls",
    api_router="parlons.modules.pages.api.router",
    demo=_demo,
    audit_actions={"pages.page.edited": _("%(actor)s edited the page %(target)s")},
)
