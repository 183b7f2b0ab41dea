"""Issue 12 item 7: generated files live under CSBOT_HOME (0600), reach only authorised staff, once."""

from __future__ import annotations

import stat
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.web.ui_records import RecordsHandlers


def a_case(client: TestClient) -> str:
    body = client.post("/api/v1/sessions", json={"consent": True}).json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    return client.post(
        f"/api/v1/sessions/{body['session']}/messages", json={"text": "耳机坏了要退货"}, headers=auth
    ).json()["case_id"]


def export_id(web_app: FastAPI, case_id: str) -> tuple[RecordsHandlers, str]:
    records = RecordsHandlers(web_app.state.ctx)
    link = records.export(case_id, "md")["value"]
    assert "/tmp" not in link and "gradio_api/file" not in link
    return records, link.split("/exports/")[1].split('"')[0]


def test_a_record_export_is_under_csbot_home_and_private(client: TestClient, web_app: FastAPI) -> None:
    records, found = export_id(web_app, a_case(client))
    export = records.shelf.get(found)
    home = web_app.state.ctx.settings.home.resolve()
    assert home in export.path.resolve().parents
    assert stat.S_IMODE(export.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(export.path.parent.stat().st_mode) == 0o700


def test_an_export_needs_a_login_with_the_right_role_and_is_handed_out_once(
    client: TestClient, web_app: FastAPI, login: Callable[[str], TestClient]
) -> None:
    case_id = a_case(client)
    records, found = export_id(web_app, case_id)
    assert client.get(f"/exports/{found}").status_code == 401  # anonymous (e.g. through the widget's origin)
    assert login("agent").get(f"/exports/{found}").status_code == 403
    qa = login("qa")
    first = qa.get(f"/exports/{found}")
    assert first.status_code == 200 and case_id in first.text
    assert "attachment" in first.headers["content-disposition"]
    assert qa.get(f"/exports/{found}").status_code == 404  # deleted after use
    assert records.shelf.get(found) is None


def test_keys_and_databases_are_created_private(web_app: FastAPI) -> None:
    home = web_app.state.ctx.settings.home
    web_app.state.ctx.settings.key_file_secret("probe")
    found = [*home.glob("*.db"), *(home / "keys").iterdir()]
    assert any(p.suffix == ".db" for p in found)
    for path in found:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
