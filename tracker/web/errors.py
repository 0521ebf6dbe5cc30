"""The error page every 4xx and 5xx answer renders, with its title per status."""

from __future__ import annotations

from flask import render_template

ERROR_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Too large",
    429: "Too many requests",
    500: "Something went wrong",
}


def render_error(status: int, message: str | None = None) -> tuple[str, int]:
    title = ERROR_TITLES.get(status, "Error")
    return render_template("error.html", status=status, title=title, message=message), status
