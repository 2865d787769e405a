import os
import threading

from django.core.wsgi import get_wsgi_application

from interlude import triage

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interlude.settings")
application = get_wsgi_application()
# The triage model learns from its labeled examples (several seconds: it embeds every example).
# Start that now, beside serving, so pages answer at once and the first client to send a
# message waits at most for the rest of it (a send waits for training; it never skips triage).
threading.Thread(target=triage.warm, name="triage-warm", daemon=True).start()
