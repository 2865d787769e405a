# Placeholder routes; the clinician's inbox pages replace these.
from django.http import Http404


def _missing(request, pk=None):
    raise Http404


inbox = thread = reply = look_at_held = keep_for_session = unpin = _missing
