"""Every change to contributions: ``check_*`` validates and authorises, ``do_*`` calls its
``check_*`` inside its transaction, writes, audits and queues side effects.

Permission refusals raise ``core.permissions.Refused`` (its ``decision.message`` is in
the person's language); invalid input raises ``ValidationError``.  Nothing is written
when either is raised.
"""

from parlons.contributions.services.answers import check_answer, do_answer, do_bulk_answer
from parlons.contributions.services.attachments import (
    check_attachments,
    do_attach,
    do_remove_attachment,
)
from parlons.contributions.services.comments import (
    check_comment,
    check_delete_comment,
    check_edit_comment,
    do_comment,
    do_delete_comment,
    do_edit_comment,
)
from parlons.contributions.services.counts import do_refresh_counts, touch
from parlons.contributions.services.locations import LocationInput, check_location, do_set_location
from parlons.contributions.services.moderation import (
    check_moderate,
    check_report,
    do_block,
    do_dismiss_reports,
    do_hide,
    do_lift_block,
    do_report,
    do_restore,
    do_save_word_list,
    screen_text,
)
from parlons.contributions.services.supports import (
    check_support,
    check_withdraw_support,
    do_support,
    do_withdraw_support,
)

__all__ = [
    "LocationInput",
    "check_answer",
    "check_attachments",
    "check_comment",
    "check_delete_comment",
    "check_edit_comment",
    "check_location",
    "check_moderate",
    "check_report",
    "check_support",
    "check_withdraw_support",
    "do_answer",
    "do_attach",
    "do_block",
    "do_bulk_answer",
    "do_comment",
    "do_delete_comment",
    "do_dismiss_reports",
    "do_edit_comment",
    "do_hide",
    "do_lift_block",
    "do_refresh_counts",
    "do_remove_attachment",
    "do_report",
    "do_restore",
    "do_save_word_list",
    "do_set_location",
    "do_support",
    "do_withdraw_support",
    "screen_text",
    "touch",
]
