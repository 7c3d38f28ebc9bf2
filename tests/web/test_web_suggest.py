"""/api/suggest: prefix suggestions from taxonomy labels, lexicon terms and titles."""

from __future__ import annotations

from searchhub.completion import LIMIT


def _suggest(client, q, **args):
    response = client.get("/api/suggest", query_string={"q": q, **args})
    assert response.status_code == 200 and response.is_json
    return response.get_json()["suggestions"]


def test_labels_in_the_interface_language_then_titles(client):
    english = _suggest(client, "return")
    theme = {"text": "Return and reintegration", "kind": "theme",
             "filter": {"name": "theme", "value": "Return and reintegration"}}
    assert english[0] == theme
    french = _suggest(client, "retour", lang="fr")
    theme = {**theme, "text": "Retour et réintégration"}     # the filter stays English
    assert theme in french
    assert all(s["text"].lower().startswith("retour") or " retour" in s["text"].lower()
               for s in french)
    # Accents and case aside, and any word of a suggestion may begin with it.
    assert theme in _suggest(client, "REINTEGRA", lang="fr")


def test_titles_of_the_index(client, app):
    with app.app_context():
        from searchhub.web import services
        engine = services().engine
        title = engine.get(next(iter(engine.known()))).title
    typed = title.split()[0][:4]
    found = _suggest(client, typed)
    assert 0 < len(found) <= LIMIT
    assert any(s["kind"] == "title" for s in _suggest(client, " ".join(title.split()[:3])))


def test_bounded_and_quiet_on_odd_input(client):
    assert _suggest(client, "") == [] and _suggest(client, "r") == []
    assert _suggest(client, "x" * 5000) == []
    assert _suggest(client, "zzzzqqq") == []
    assert len(_suggest(client, "mi")) == LIMIT
    assert _suggest(client, "return", lang="xx")[0]["text"] == "Return and reintegration"


def test_formal_terms_are_suggested_not_everyday_wordings(client):
    # "Cash transfers" is a term of the lexicon; "cash handouts" only a wording that
    # finds it (corpus/lexicon.toml's [[colloquial]]): suggestions teach the term.
    texts = [s["text"] for s in _suggest(client, "cash")]
    assert "cash transfers" in texts
    assert "cash handouts" not in texts and "cash grants" not in texts
    assert "leftover bombs" not in [s["text"] for s in _suggest(client, "leftover")]
