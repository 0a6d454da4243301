"""Figures are public statistics: with public reading on they are read without a token, and the chart, which an
intranet page shows in an `<img>` that cannot send a header, also takes an API token in `token=`."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.funds.test_open_calls import public  # noqa: F401 - fixture
from tests.metrics.query_factories import UMEA, figures_of, indicator, small_county

API = "/api/v1"
Headers = dict[str, str]
RANGE = {"from": "2020", "to": "2021"}


def _api_token(client: TestClient, admin: Headers, *roles: str) -> str:
    body = {
        "kind": "service",
        "login": "intranat",
        "display_name": "Intranätet",
        "grants": [{"role": r} for r in roles],
    }
    principal = client.post(f"{API}/principals", json=body, headers=admin)
    assert principal.status_code == 201, principal.text
    token = client.post(
        f"{API}/api-tokens", json={"principal_id": principal.json()["id"], "name": "Intranät"}, headers=admin
    )
    assert token.status_code == 201, token.text
    return str(token.json()["token"])


def test_the_chart_takes_an_api_token_in_the_url(client: TestClient, admin: Headers, session: Session) -> None:
    places = small_county(client, admin)
    sip = indicator(session)
    figures_of(session, sip, places).value(places[UMEA], "2020", numerator=131, denominator=250)
    url = f"{API}/indicators/{sip}/chart.svg"

    assert client.get(url, params={**RANGE, "scope": "2480"}).status_code == 401
    r = client.get(url, params={**RANGE, "scope": "2480", "token": _api_token(client, admin, "reader")})
    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml"
    assert client.get(url, params={**RANGE, "token": "svk_not-a-token"}).status_code == 401
    # the series itself takes its token only in the header: `token` is an unknown parameter there
    refused = client.get(f"{API}/indicators/{sip}/series", params={**RANGE, "token": "x"}, headers=admin)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["query", "token"]


def test_with_public_reading_on_the_figures_need_no_token(
    public: TestClient,  # noqa: F811
    admin: Headers,
    session: Session,
) -> None:
    places = small_county(public, admin)
    sip = indicator(session)
    figures_of(session, sip, places).value(places[UMEA], "2020", numerator=131, denominator=250)

    for path in (
        "/indicators",
        f"/indicators/{sip}",
        "/targets",
        "/indicator-values",
        f"/indicators/{sip}/series?from=2020&to=2021&scope=2480",
        f"/indicators/{sip}/attainment?from=2020&to=2021",
        f"/indicators/{sip}/chart.svg?from=2020&to=2021&scope=2480",
    ):
        assert public.get(API + path).status_code == 200, path
    assert public.post(f"{API}/indicators", json={}).status_code == 401  # writing still needs a token
