import os

import pytest

from interlude import settings as real_settings


@pytest.mark.skipif("EMAIL_BACKEND" in os.environ, reason="the environment chooses the backend")
def test_development_mail_goes_to_files_not_to_the_servers_output():
    assert real_settings.DEV
    assert real_settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    assert real_settings.EMAIL_FILE_PATH == real_settings.VAR_DIR / "mail"
