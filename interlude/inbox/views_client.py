# Placeholder routes; the client's message pages replace these.
from django.http import Http404


def my_messages(request):
    raise Http404


def message_sent(request, pk):
    raise Http404
