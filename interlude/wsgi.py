import os

from django.core.wsgi import get_wsgi_application

from interlude import triage

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlude.settings")
application = get_wsgi_application()
# The triage model learns from its labeled examples (about 1.5 s): pay it at start-up, so the
# first client to send a message does not wait for it inside the send request.
triage.warm()
