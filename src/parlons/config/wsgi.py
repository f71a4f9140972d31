import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parlons.config.settings")

from parlons.config.lean import LeanFront

# Django's application behind the lean routes of the hot URLs (see parlons.config.lean).
application = LeanFront(get_wsgi_application())
