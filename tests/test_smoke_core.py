"""The vertical slice of issue 2: an editor records the Skopje conference and anyone reads it."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import SKOPJE_CONFERENCE


def form_data(values: dict) -> dict:
    data = {key: value for key, value in values.items() if key != "organisations"}
    data["org_name[]"] = [name for name, _ in values.get("organisations", [])]
    data["org_role[]"] = [role for _, role in values.get("organisations", [])]
    return data


def test_editor_records_skopje_conference_and_public_reads_it(editor_client: FlaskClient) -> None:
    response = editor_client.post("/edit/events/new", data=form_data(SKOPJE_CONFERENCE))
    assert response.status_code == 302
    location = response.headers["Location"]
    editor_client.post("/logout")
    page = editor_client.get(location).get_data(as_text=True)
    assert "Ministerial Conference on Sustainable Migration Management in the Western Balkans" in page
    assert "15–16 November 2022" in page
    assert "Ministry of Interior of the Republic of North Macedonia" in page
    assert "Co-organiser" in page and "Supporter" in page
