# Generated from tests/integration/_async/test_proxies_and_tls.py by tools/gen_sync.py: do not edit; edit the async source.
"""`proxy=`, environment proxies and `verify=`, through a real forward proxy and a TLS
server whose certificate comes from a test CA."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme

from tests.integration.forward_proxy import ProxyLog
from visionchat import APIConnectionError, VisionChat
from visionchat._transports._requests import HTTPSession
from visionchat.server import ReferenceServer


def _targets(log: ProxyLog) -> list[tuple[str, str]]:
    return [(method, target.partition("?")[0]) for method, target, _ in log.seen]


def test_proxy_carries_the_requests(
    server: ReferenceServer, proxy: ProxyLog, no_env_proxies: pytest.MonkeyPatch
) -> None:
    with VisionChat(api_key=server.api_key, base_url=server.base_url, proxy=proxy.url) as client:
        client.chats.list_sessions()
    assert _targets(proxy)[0] == ("GET", f"{server.base_url}/chat/sessions")


def test_proxy_credentials_come_from_its_url(
    server: ReferenceServer, strict_proxy: ProxyLog, no_env_proxies: pytest.MonkeyPatch
) -> None:
    url = f"http://pat:s3cret%20w0rd@127.0.0.1:{strict_proxy.port}"
    with VisionChat(api_key=server.api_key, base_url=server.base_url, proxy=url) as c:
        c.chats.list_sessions()
    assert strict_proxy.seen[0][2] == strict_proxy.required


def test_environment_proxies_unless_bypassed_or_untrusted(
    server: ReferenceServer, proxy: ProxyLog, no_env_proxies: pytest.MonkeyPatch
) -> None:
    no_env_proxies.setenv("HTTP_PROXY", proxy.url)
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as client:
        client.chats.list_sessions()
    assert _targets(proxy) == [("GET", f"{server.base_url}/chat/sessions")]
    with VisionChat(api_key=server.api_key, base_url=server.base_url, trust_env=False) as client:
        client.chats.list_sessions()
    no_env_proxies.setenv("NO_PROXY", "127.0.0.1")
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as client:
        client.chats.list_sessions()
    assert len(proxy.seen) == 1  # neither untrusted nor bypassed calls went through it


def test_a_certificate_from_an_unknown_ca_is_refused(https_url: str) -> None:
    with VisionChat(api_key="k", base_url=https_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError, match="TLS certificate was not accepted"):
            client.chats.get_session("s-1")


def test_verify_takes_a_ca_bundle_path(https_url: str, test_ca: trustme.CA, tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    test_ca.cert_pem.write_to_path(str(bundle))
    for verify in (str(bundle), bundle):
        with VisionChat(api_key="k", base_url=https_url, verify=verify) as client:
            assert (client.chats.get_session("s-1")).session.id == "s-1"


def test_verify_takes_an_ssl_context(https_url: str, test_ca: trustme.CA) -> None:
    context = ssl.create_default_context()
    test_ca.configure_trust(context)
    with VisionChat(api_key="k", base_url=https_url, verify=context) as client:
        assert (client.chats.get_session("s-2")).session.id == "s-2"


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_verify_false_checks_nothing(https_url: str) -> None:
    with VisionChat(api_key="k", base_url=https_url, verify=False) as client:
        assert (client.chats.get_session("s-3")).session.id == "s-3"


def test_tls_through_the_proxy(
    https_url: str, test_ca: trustme.CA, proxy: ProxyLog, no_env_proxies: pytest.MonkeyPatch
) -> None:
    context = ssl.create_default_context()
    test_ca.configure_trust(context)
    with VisionChat(api_key="k", base_url=https_url, proxy=proxy.url, verify=context) as client:
        assert (client.chats.get_session("s-4")).session.id == "s-4"
    assert proxy.seen[0][:2] == ("CONNECT", https_url.split("//")[1].split("/")[0])


def test_a_proxy_that_refuses_says_so(
    https_url: str, strict_proxy: ProxyLog, no_env_proxies: pytest.MonkeyPatch
) -> None:
    with VisionChat(
        api_key="k", base_url=https_url, proxy=strict_proxy.url, max_retries=0
    ) as client:
        with pytest.raises(APIConnectionError, match=r"proxy .*407") as info:
            client.chats.get_session("s-5")
    assert info.value.__cause__ is not None and info.value.attempts == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"proxy": "socks5://127.0.0.1:1080"}, "proxy must be an http:// or https:// URL"),
        ({"proxy": "127.0.0.1:3128"}, "proxy must be an http:// or https:// URL"),
        ({"verify": "/no/such/ca.pem"}, "no CA bundle file or folder at '/no/such/ca.pem'"),
        ({"verify": 1}, "verify must be True, False, a CA bundle path or an ssl.SSLContext"),
        ({"trust_env": "no"}, "trust_env must be True or False"),
    ],
)
def test_bad_network_settings_fail_at_construction(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        VisionChat(api_key="k", base_url="http://127.0.0.1:9/api/v2", **kwargs)


def test_proxy_and_verify_refused_beside_your_own_session() -> None:
    with HTTPSession() as own:
        with pytest.raises(ValueError, match="configure your own session"):
            VisionChat(api_key="k", http_session=own, proxy="http://127.0.0.1:3128")
