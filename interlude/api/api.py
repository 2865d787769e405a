"""The versioned JSON API, /api/v1/: a thin face over the same rules and access checks as the
pages. The OpenAPI schema is at /api/v1/openapi.json and the browsable docs at /api/v1/docs."""

from ninja import NinjaAPI

from . import errors
from .auth import ANY_AUTH
from .routers import agreements, availability, clients, hours, me, practice, tokens

api = NinjaAPI(
    title="Interlude API",
    version="1",
    description=(
        "Between-session contact under connection agreements. Authenticate with "
        "'Authorization: Bearer <token>' (create one with POST /tokens from a signed-in "
        "session) or with the browser session and its CSRF token. A clinician sees their own "
        "clients, a practice admin their practice; records out of reach answer 404."),
    auth=ANY_AUTH,
)
errors.register(api)

api.add_router("", me.router)
api.add_router("", clients.router)
api.add_router("", agreements.router)
api.add_router("", availability.router)
api.add_router("", hours.router)
api.add_router("", practice.router)
api.add_router("", tokens.router)
