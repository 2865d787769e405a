from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect


def ping(request):
    """A trivial view: the yardstick `make bench` compares real pages against."""
    return HttpResponse("pong", content_type="text/plain")


@login_required
def home(request):
    user = request.user
    if user.is_client:
        return redirect("client_home")
    if user.is_clinician:
        return redirect("client_list")
    return redirect("practice_home")
