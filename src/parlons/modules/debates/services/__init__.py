"""Every change to debates: ``check_*`` validates and authorises, ``do_*`` calls it inside
its transaction, writes and audits.  Refusals raise ``core.permissions.Refused``, bad
input ``ValidationError`` (translated); nothing is written when either is raised."""
