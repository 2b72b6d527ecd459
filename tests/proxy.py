"""Requests as they reach the portal behind the documented reverse proxy (README, HTTPS 与反向代理):
nginx sets `X-Forwarded-For: $proxy_add_x_forwarded_for` (what the client sent, then the
address it connected from); Django sees the proxy's own address as REMOTE_ADDR. The settings
for it are the `behind_one_proxy` fixture (tests/conftest.py)."""

PROXY = "172.18.0.5"  # the compose `proxy` container, the same for every request
IP1 = "203.0.113.7"
IP2 = "198.51.100.23"


def forwarded_for(client_ip, sent_by_client=""):
    """X-Forwarded-For as nginx's $proxy_add_x_forwarded_for writes it."""
    return f"{sent_by_client}, {client_ip}" if sent_by_client else client_ip
