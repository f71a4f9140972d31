"""The contribution toolkit shared by modules: comments, supports and reactions,
attachments, locations, reports and moderation, official answers.

A module makes one of its models a *target* by declaring a :class:`~.targets.Target`
(see ``docs/modules/contributions.md``); the services in :mod:`.services`, the reads in
:mod:`.selectors`, the views mounted by :func:`.urls.contribution_urls` and the template
pieces in ``templates/contributions/`` then work on that model's objects.
"""
