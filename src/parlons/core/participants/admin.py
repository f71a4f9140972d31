"""Django's admin, for the platform's superusers: find accounts (to give a first role)."""

from django.contrib import admin

from parlons.core.participants.models import Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "is_active", "is_staff", "date_joined", "erased_at"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "display_name"]
    fields = ["email", "display_name", "language", "is_active", "is_staff", "is_superuser"]
    readonly_fields = ["email"]
    ordering = ["email"]

    def has_add_permission(self, request) -> bool:
        return False  # people sign up themselves; operators use `parlons createsuperuser`

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # accounts are erased (privacy.do_erase_participant), never deleted
