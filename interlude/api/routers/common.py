"""Small pieces every router shares."""

from ninja.responses import Status

from ..schemas import Error

# Documented on every route: the error handlers answer these in the Error shape.
AUTH_ERRORS = {401: Error, 403: Error}
READ_ERRORS = {**AUTH_ERRORS, 404: Error, 422: Error}
WRITE_ERRORS = {**READ_ERRORS, 409: Error}


def created(value):
    return Status(201, value)


def no_content():
    return Status(204, None)
