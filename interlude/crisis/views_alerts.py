# Placeholder routes; the alert and rota pages replace these.
from django.http import Http404


def _missing(request, pk=None):
    raise Http404


alert_list = alert_detail = acknowledge = on_call_rota = _missing
