"""Notifications: e-mails sent by tasks after commit, the local mailbox of the embedded mode."""
