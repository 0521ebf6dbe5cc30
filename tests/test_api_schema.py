"""Schemathesis against the served OpenAPI document: every operation, with data generated from the document
(valid and, for the reading operations, invalid), answers no 500 and nothing the document does not describe.

Bounded: at most ``EXAMPLES`` cases per operation and mode, no deadline (the machine is shared), no example
database (runs do not depend on earlier ones). The writing operations are called with a write token, on a
database holding the Skopje conference, so generated updates and cancellations reach a real event too.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from tests.conftest import NOW, SKOPJE_CONFERENCE, add_user, make_event
from tracker.services.api_tokens import issue_token

EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def authorised(app: Flask, db_session: Session) -> dict[str, str]:
    make_event(db_session, **SKOPJE_CONFERENCE)  # id 1: the event the operations on one event reach
    make_event(db_session, title="Internal call", visibility="internal", start_date="2022-11-15")
    user = add_user(db_session, email="robot@example.org")
    _row, secret = issue_token(db_session, "schemathesis", user, NOW, can_write=True, can_see_internal=True)
    db_session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str], checks: list[Any], **path: Any) -> None:
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path or None))
    @settings(
        max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    check()


def test_every_operation_conforms_to_the_served_document(app: Flask, authorised: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = sorted(f"{operation.method.upper()} {operation.path}" for operation in operations)
    assert set(labels) >= {  # (schemathesis leaves out the document's own address)
        "GET /api/events",
        "GET /api/events/{event_id}",
        "GET /api/organisations",
        "GET /api/people",
        "PATCH /api/events/{event_id}",
        "POST /api/events",
        "POST /api/events/{event_id}/cancel",
    }
    for operation in operations:
        for headers in ({}, authorised):
            _run(operation, GenerationMode.POSITIVE, headers, CHECKS)
        if "{event_id}" in operation.path:
            _run(operation, GenerationMode.POSITIVE, authorised, CHECKS, event_id=1)
        if operation.method.upper() == "GET":
            # Values outside the document (end=5, limit=0, a window end before its start) must be refused.
            _run(operation, GenerationMode.NEGATIVE, authorised, [*CHECKS, negative_data_rejection])
