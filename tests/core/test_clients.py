from django.test import RequestFactory

from hamafza.core.clients import client_address


def test_without_proxies_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "10.0.0.5"  # a header anyone can forge is ignored


def test_behind_our_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXIES = 1
    forged_then_real = "6.6.6.6, 5.160.1.2"
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forged_then_real
    )
    assert client_address(request) == "5.160.1.2"
