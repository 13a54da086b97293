"""Healthcheck of the web container: GET / from gunicorn as the reverse proxy would send it.

Exits 0 on an answer below 500. Uses the first of ALLOWED_HOSTS as Host and says the request
came over HTTPS, so SECURE_SSL_REDIRECT does not turn it into a redirect.
"""

import http.client
import os
import sys

host = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
if not host or host == "*":
    host = "localhost"
port = int(os.environ.get("PORT", "8000"))
try:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/", headers={"Host": host, "X-Forwarded-Proto": "https"})
    status = connection.getresponse().status
except OSError as exc:
    print(f"healthcheck: {exc}", file=sys.stderr)
    sys.exit(1)
print(f"healthcheck: GET / as {host} -> {status}")
sys.exit(0 if status < 500 else 1)
