"""Who may see whom. Every page and API route goes through these functions.

A clinician sees only their own clients; a practice admin sees their practice; a client sees
only themself; nobody sees another practice. Records outside a person's reach answer 404, so
their existence is not disclosed.
"""

from django.http import Http404

from .models import Client, Clinician


def visible_clients(user):
    if not user.is_authenticated or not user.is_active or user.practice_id is None:
        return Client.objects.none()
    qs = Client.objects.filter(practice_id=user.practice_id)
    if user.is_admin:
        return qs
    if user.is_clinician:
        return qs.filter(clinician__user_id=user.pk)
    if user.is_client:
        return qs.filter(user_id=user.pk)
    return Client.objects.none()


def get_client(user, pk):
    client = visible_clients(user).select_related("clinician", "user").filter(pk=pk).first()
    if client is None:
        raise Http404("No such client")
    return client


def visible_clinicians(user):
    if not user.is_authenticated or user.practice_id is None:
        return Clinician.objects.none()
    qs = Clinician.objects.filter(practice_id=user.practice_id)
    if user.is_admin:
        return qs
    if user.is_clinician:
        return qs.filter(user_id=user.pk)
    return Clinician.objects.none()


def get_clinician(user, pk):
    clinician = visible_clinicians(user).filter(pk=pk).first()
    if clinician is None:
        raise Http404("No such clinician")
    return clinician


def own_clinician(user):
    """The Clinician row of a clinician user, or 404 for anyone else."""
    clinician = Clinician.objects.filter(user_id=user.pk).select_related("practice").first()
    if clinician is None:
        raise Http404("Not a clinician")
    return clinician


def own_client(user):
    client = Client.objects.filter(user_id=user.pk).select_related("clinician", "practice").first()
    if client is None:
        raise Http404("Not a client")
    return client
