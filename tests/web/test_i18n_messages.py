"""The texts the code writes, in the interface's language on the pages: error
messages (searchhub's own and werkzeug's) and document types, while the JSON API keeps
them English and the URLs keep the stable values."""

from __future__ import annotations

import lxml.html
import pytest


def _tree(response):
    return lxml.html.fromstring(response.get_data(as_text=True))


def _text(tree, expr: str) -> list[str]:
    return [" ".join(el.text_content().split()) for el in tree.xpath(expr)]


@pytest.mark.parametrize("lang, title, message", [
    ("en", "Not found", "There is no document 'no-such-doc' in the index. It may have been "
                        "removed from its source."),
    ("fr", "Introuvable", "Il n’y a pas de document 'no-such-doc' dans l’index. Il a "
                          "peut-être été retiré de sa source."),
    ("ar", None, "لا توجد وثيقة 'no-such-doc' في الفهرس. ربما أُزيلت من مصدرها."),
])
def test_a_missing_document_says_so_in_the_language_and_the_api_in_english(
        client, lang, title, message):
    response = client.get(f"/doc/no-such-doc?lang={lang}")
    assert response.status_code == 404
    tree = _tree(response)
    assert tree.get("lang") == lang
    assert _text(tree, "//section[@class='error']/p[1]") == [message]
    if title:
        assert _text(tree, "//section[@class='error']/h1")[0].startswith(title)
    api = client.get(f"/api/doc/no-such-doc?lang={lang}", headers={"Cookie": f"lang={lang}"})
    assert api.status_code == 404
    assert api.get_json()["error"] == {
        "status": 404, "title": "Not found",
        "message": "There is no document 'no-such-doc' in the index."}


def test_an_unknown_address_and_a_script_asking_for_json(client):
    tree = _tree(client.get("/no/such/page?lang=fr"))
    assert _text(tree, "//section[@class='error']/p[1]") == [
        "L’URL demandée est introuvable sur le serveur. Si vous l’avez saisie vous-même, "
        "vérifiez l’orthographe et réessayez."]
    # a script asking for JSON gets the English text, whatever the page's language
    answer = client.get("/no/such/page?lang=fr", headers={"Accept": "application/json"})
    assert answer.get_json()["error"]["message"].startswith(
        "The requested URL was not found on the server.")
    facet = client.get("/facet/nope?lang=es", headers={"Accept": "application/json"})
    assert facet.status_code == 404
    assert facet.get_json()["error"]["message"].startswith("There is no facet 'nope'; facets are")


def test_a_missing_facet_page_in_spanish(client):
    response = client.get("/facet/nope?lang=es")
    assert response.status_code == 404
    [message] = _text(_tree(response), "//section[@class='error']/p[1]")
    assert message.startswith("No existe el filtro 'nope'; los filtros son ")


def test_document_types_read_in_russian_and_their_links_stay_english(client):
    response = client.get("/search?q=migration&lang=ru")
    assert response.status_code == 200
    tree = _tree(response)
    types = tree.xpath("//section[@id='facet-type']//a[@data-value]")
    labels = {a.get("data-value"): a.xpath("string(.//span[@class='value'])") for a in types}
    assert labels["Report"] == "Отчет" and labels["Web page"] == "Веб-страница"
    assert all("type=Web+page" in a.get("href") or "type=Web%20page" in a.get("href")
               for a in types if a.get("data-value") == "Web page")
    metas = _text(tree, "//p[@class='meta']")
    assert any("Отчет" in meta for meta in metas)
    assert not any("Report" in meta or "Web page" in meta for meta in metas)
    # the chip of a chosen type, and the English page unchanged
    chosen = _tree(client.get("/search?q=migration&type=Web+page&lang=ru"))
    assert "Тип: Веб-страница" in _text(chosen, "//ul[@class='chips']/li/a")[0]
    english = _tree(client.get("/search?q=migration&type=Web+page&lang=en"))
    assert "Type: Web page" in _text(english, "//ul[@class='chips']/li/a")[0]
    # the API keeps the stored value
    api = client.get("/api/search?q=migration&type=Web+page", headers={"Cookie": "lang=ru"})
    data = api.get_json()
    assert data["hits"] and {hit["type"] for hit in data["hits"]} == {"Web page"}
    assert "Web page" in {fv["value"] for fv in data["facets"]["type"]}


def test_a_bad_parameter_is_explained_in_the_language_and_in_english_to_the_api(client):
    response = client.get("/search?q=visa&page=two&lang=zh")
    assert response.status_code == 400
    assert _text(_tree(response), "//section[@class='error']/p[1]") == [
        "page 必须是整数，而不是 'two'"]
    api = client.get("/api/search?q=visa&page=two", headers={"Cookie": "lang=zh"})
    assert api.get_json()["error"]["message"] == "page must be a whole number, not 'two'"


def test_a_form_without_its_token_is_refused_in_the_language(client):
    response = client.post("/login?lang=es", data={"name": "x", "password": "y"})
    assert response.status_code == 400
    assert _text(_tree(response), "//section[@class='error']/p[1]") == [
        "Falta el token de seguridad del formulario. Vuelva a cargar la página e inténtelo "
        "de nuevo."]
    script = client.post("/login?lang=es", data={"name": "x", "password": "y"},
                         headers={"X-Requested-With": "fetch"})
    assert script.get_json()["error"]["message"] == "The CSRF token is missing."
