"""What every URL goes through before a view: a bounded ``<int:…>`` converter and the query-string repair."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.routing import IntegerConverter, Map, ValidationError

from tracker.parsing import MAX_ID, IntegerError, parse_int, percent_encode_invalid_utf8

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` in every route matches only ASCII digits a 32-bit database column can hold (else a plain 404).

    Werkzeug's own ``\\d+`` also matches ``٣`` and ``𝟗``, which would give one event many URLs."""

    regex = "[0-9]+"

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int = 0, max: int = MAX_ID) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max)

    def to_python(self, value: str) -> int:
        try:
            return parse_int(value, name="id", minimum=self.min or 0, maximum=self.max or MAX_ID)
        except IntegerError:
            raise ValidationError() from None


class QueryStringRepair:
    """WSGI middleware: a query string that is not valid UTF-8 gets those bytes percent-encoded (see
    ``parsing.percent_encode_invalid_utf8``) before Werkzeug decodes it strictly and fails with a 500."""

    def __init__(self, wsgi_app: WSGIApplication) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():  # WSGI hands the raw bytes over as latin-1
            environ["QUERY_STRING"] = percent_encode_invalid_utf8(query.encode("latin-1")).decode("latin-1")
        return self.wsgi_app(environ, start_response)
