"""Security headers on every response: a strict Content-Security-Policy (everything from the app
itself — no CDN, no inline script), and the browser feature and referrer policies."""

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Inline style *attributes* size the charts and progress bars; no inline <style> from users.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages with business data are not kept by shared caches or the back button after logout.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
