"""Django's admin, for the platform's superusers: create organisations, give the first role.

Everything else an organisation does happens in its back-office.
"""

from django.contrib import admin

from parlons.core.organisations.models import Member, Organisation
from parlons.core.tenancy import scopes_disabled


def _across_organisations(view):
    """Superusers' admin pages span organisations: query and render with scopes disabled."""

    def wrapped(self, request, *args, **kwargs):
        with scopes_disabled():
            response = view(self, request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    return wrapped


class MemberInline(admin.TabularInline):
    model = Member
    extra = 1
    autocomplete_fields = ["participant"]
    fields = ["participant", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_language", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "default_language", "languages", "primary_colour", "accent_colour"]
    inlines = [MemberInline]

    changeform_view = _across_organisations(admin.ModelAdmin.changeform_view)
    changelist_view = _across_organisations(admin.ModelAdmin.changelist_view)
    delete_view = _across_organisations(admin.ModelAdmin.delete_view)
