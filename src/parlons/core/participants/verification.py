"""The verification methods a module instance can require.

Each method is a key stored in ``ModuleInstance.required_verifications`` and in
``Verification.method``.  The flows that create verifications live in
``participants.services``.
"""

from django.utils.translation import gettext_lazy as _

METHODS = {
    "email": _("E-mail address confirmed"),
    "postcode": _("Resident of the area (postcode)"),
    "census": _("On the census or voter list"),
    "code": _("Invitation or voting code"),
    "age": _("Minimum age"),
}
