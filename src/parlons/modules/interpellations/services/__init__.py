"""Every change the interpellation module makes: directories and their imports, campaigns
and proposals, messages to representatives, stances. ``check_*`` validates and authorises,
``do_*`` writes in one transaction and audits."""

from parlons.modules.interpellations.services.campaigns import (
    do_delete_proposal,
    do_save_campaign,
    do_save_proposal,
)
from parlons.modules.interpellations.services.directories import (
    ImportReport,
    do_create_directory,
    do_import_directory,
    read_directory_files,
)
from parlons.modules.interpellations.services.messages import (
    MessageDraft,
    check_send_messages,
    do_confirm_messages,
    do_record_reply,
    do_send_followups,
    do_send_messages,
)
from parlons.modules.interpellations.services.stances import (
    check_record_stances,
    do_record_stances,
    do_send_stance_links,
    stance_link_token,
)

__all__ = [
    "ImportReport",
    "MessageDraft",
    "check_record_stances",
    "check_send_messages",
    "do_confirm_messages",
    "do_create_directory",
    "do_delete_proposal",
    "do_import_directory",
    "do_record_reply",
    "do_record_stances",
    "do_save_campaign",
    "do_save_proposal",
    "do_send_followups",
    "do_send_messages",
    "do_send_stance_links",
    "read_directory_files",
    "stance_link_token",
]
