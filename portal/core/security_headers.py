"""Headers every response carries: pages, errors, redirects, files, the JSON API, static files.

Django's SecurityMiddleware adds HSTS (production, over HTTPS), X-Content-Type-Options,
Referrer-Policy and Cross-Origin-Opener-Policy; this middleware adds the Content-Security-Policy
and the Permissions-Policy, and X-Frame-Options for the responses that never reach Django's
XFrameOptionsMiddleware (WhiteNoise answers static files before it). It sits right after
SecurityMiddleware, outside WhiteNoise.

The policy allows no inline script or style: page behaviour lives in portal/static/portal/
portal.js, styles in portal.css; SVG charts and QR codes are inline markup with presentation
attributes, which CSP does not restrict.
"""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The portal uses none of these browser features; no page it shows may ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("X-Frame-Options", "DENY"),
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        headers = response.headers
        for name, value in HEADERS:
            if name not in headers:
                headers[name] = value
        return response
