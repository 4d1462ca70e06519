"""The programme's API answers in the language the client asks for (Accept-Language),
under the same field names, and says which language it answered in."""

import pytest
from rest_framework.test import APIClient

TITLE_3_1 = {
    "en": "Bringing human rights to the forefront of drug policy",
    "fr": "Placer les droits de l’homme au premier plan de la politique en matière de drogues",
}


def _get(url: str, language: str, **params):
    response = APIClient().get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response


@pytest.mark.parametrize("language", ["en", "fr"])
def test_thematic_priorities_answer_in_the_accepted_language(programme, language):
    response = _get("/api/v1/thematic-priorities/", language)
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    results = response.json()["results"]
    first = results[0]
    assert first["title"] == TITLE_3_1[language]
    assert set(first) >= {"title", "rationale", "aims"}
    assert not any(key.endswith(("_en", "_fr")) for key in first)
    expected = "Contributing to reducing stigmatisation and discrimination;"
    if language == "fr":
        expected = "Contribuer à réduire la stigmatisation et la discrimination\u00a0;"
    assert first["aims"][1] == expected
    titles = {p.number: getattr(p, f"title_{language}") for p in programme.priorities.all()}
    assert {p["number"]: p["title"] for p in results} == titles


def test_formats_criteria_and_the_work_programme_answer_in_french(programme):
    formats = _get("/api/v1/permanent-formats/", "fr").json()["results"]
    training = next(f for f in formats if f["number"] == "4.4")
    assert training["name"] == "Formation des cadres à la politique en matière de drogues"
    assert training["short_name"] == ""
    assert training["beneficiaries"].startswith("La formation sera proposée aux cadres")
    criteria = _get("/api/v1/criteria/", "fr").json()["results"]
    assert [c["title"] for c in criteria][6] == "Rapport coûts-avantages"
    assert criteria[1]["guidance"].startswith("Évaluer si la question traitée")
    body = _get(f"/api/v1/work-programmes/{programme.pk}/", "fr").json()
    assert body["title"] == "Programme de travail du Groupe Pompidou 2015–2018"
    assert body["aims"][1]["title"] == "Débat ouvert"
    assert body["thematic_priorities"][0]["title"] == TITLE_3_1["fr"]
    assert body["criteria"][0]["title"] == "Proposition soutenue par au moins une autre délégation"


def test_an_unknown_or_absent_language_answers_english(programme):
    for language in ("de", ""):
        response = _get("/api/v1/thematic-priorities/", language)
        assert response["Content-Language"] == "en"
        assert response.json()["results"][0]["title"] == TITLE_3_1["en"]


def test_french_missing_in_the_database_answers_the_english(programme):
    programme.priorities.filter(number="3.1").update(title_fr=None)
    results = _get("/api/v1/thematic-priorities/", "fr").json()["results"]
    assert results[0]["title"] == TITLE_3_1["en"]
    assert results[0]["rationale"].startswith("Les droits de l’homme sont une question")
