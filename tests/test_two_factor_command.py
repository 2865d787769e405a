"""`interlude totp EMAIL` prints the account's current code, so the demo needs no phone."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories

pytestmark = pytest.mark.django_db


def test_it_prints_a_code_the_login_accepts():
    w = factories.world()
    user = w.clinician.user
    out = StringIO()
    call_command("totp", user.email.upper(), stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user=user)
    assert verify_token(user, device.persistent_id, code) is not None


def test_it_says_when_there_is_no_such_account_or_device():
    w = factories.world()
    with pytest.raises(CommandError, match="No account"):
        call_command("totp", "nobody@example.org")
    with pytest.raises(CommandError, match="no confirmed authenticator"):
        call_command("totp", w.client.user.email)
