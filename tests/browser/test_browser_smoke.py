import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_serves_the_trivial_view_to_a_real_browser(page):
    page.goto("/ping/")
    assert page.text_content("body").strip() == "pong"
