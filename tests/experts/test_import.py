"""`searchhub experts import / export / remove` through the real command line and the
real curation database."""

from __future__ import annotations

import csv
import io

from searchhub import database
from searchhub.experts import store

from .conftest import EXAMPLES

HEADER = ("key,name,organisation,agency,themes,gcm_objectives,regions,countries,"
          "languages,bio,consent_date,visibility,contact,email")


def write(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "experts.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def keys(data_dir) -> list[str]:
    conn = database.connect(data_dir / "curation.sqlite")
    try:
        return [p.key for p in store.profiles(conn, None)]
    finally:
        conn.close()


def test_the_example_profiles_import_and_a_second_import_updates_them(cli, tmp_path):
    data = tmp_path / "data"
    first = cli(data, "experts", "import", str(EXAMPLES))
    assert first.exit_code == 0, first.output
    assert "5 added, 0 updated" in first.output
    again = cli(data, "experts", "import", str(EXAMPLES))
    assert "0 added, 5 updated" in again.output
    assert len(keys(data)) == 5
    conn = database.connect(data / "curation.sqlite")
    awa = store.get(conn, "example-awa-ndiaye")
    conn.close()
    # taxonomy values by id or label are stored as the values documents carry
    assert awa.themes == ["Return and reintegration", "Labour migration"]
    assert awa.gcm_objectives == [21, 7]
    assert awa.countries == ["Senegal", "Mali", "Niger"]
    assert awa.languages == ["fr", "en"]
    assert awa.example and awa.visibility == "public" and awa.consent_date.year == 2026


def test_an_import_updates_by_key_instead_of_duplicating(cli, tmp_path):
    data = tmp_path / "data"
    row = ("ana-silva,{name},IOM,IOM,health,Objective 15,Southern Africa,MOZ,pt,Bio.,"
           "2025-03-01,public,none,")
    assert cli(data, "experts", "import", str(write(tmp_path, row.format(name="Ana Silva")))
               ).exit_code == 0
    result = cli(data, "experts", "import", str(write(tmp_path, row.format(name="Ana M. Silva"))))
    assert "0 added, 1 updated" in result.output
    conn = database.connect(data / "curation.sqlite")
    [ana] = store.profiles(conn)
    conn.close()
    assert ana.name == "Ana M. Silva" and ana.countries == ["Mozambique"]
    assert ana.gcm_objectives == [15] and ana.themes == ["Migration and health"]


def test_every_problem_is_reported_with_its_row_and_nothing_is_imported(cli, tmp_path):
    data = tmp_path / "data"
    good = "good-one,Good One,IOM,IOM,health,1,Global,,en,Bio.,2025-01-01,public,none,"
    path = write(
        tmp_path, good,
        "Bad Key,,IOM,IOM,Astrology,99,Atlantis,Narnia,Klingon,Bio.,yesterday,secret,anyone,",
        "good-one,Again,IOM,IOM,,,,,,,2025-01-01,members,none,",
        "short,Short,IOM,IOM,,,,,,,2025-01-01,public,never,not-an-address")
    result = cli(data, "experts", "import", str(path))
    assert result.exit_code != 0
    out = result.output
    for problem in ("row 3: key: use lower-case", "row 3: name: required",
                    "row 3: themes: unknown theme 'Astrology'",
                    "row 3: gcm_objectives: unknown GCM objective '99'",
                    "row 3: regions: unknown region 'Atlantis'",
                    "row 3: countries: unknown country 'Narnia'",
                    "row 3: languages: unknown language 'Klingon'",
                    "row 3: consent_date: not a date", "row 3: visibility: choose one of",
                    "row 3: email: needed when the expert may be contacted",
                    "row 4: key: 'good-one' is also on row 2",
                    "row 5: contact: choose one of", "row 5: email: not an e-mail address"):
        assert problem in out, (problem, out)
    assert "nothing imported: 13 problems" in out
    assert keys(data) == []            # the good row was not imported either


def test_a_header_without_the_template_columns_is_refused(cli, tmp_path):
    path = write(tmp_path, "x,X", header="key,name,shoe_size")
    result = cli(tmp_path / "data", "experts", "import", str(path))
    assert result.exit_code != 0
    assert "header: missing columns organisation, agency" in result.output
    assert "header: unknown column shoe_size" in result.output


def test_export_gives_the_template_back(cli, tmp_path):
    data, again = tmp_path / "data", tmp_path / "again"
    cli(data, "experts", "import", str(EXAMPLES))
    out = tmp_path / "out.csv"
    assert cli(data, "experts", "export", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["key"] for r in rows][:1] == ["example-awa-ndiaye"]
    assert rows[0]["gcm_objectives"] == "21; 7"
    assert cli(again, "experts", "import", str(out)).exit_code == 0
    conn_a = database.connect(data / "curation.sqlite")
    conn_b = database.connect(again / "curation.sqlite")
    try:
        strip = lambda ps: [(p.key, p.name, p.themes, p.regions, p.documents, p.email,  # noqa: E731
                             p.consent_date, p.visibility) for p in ps]
        assert strip(store.profiles(conn_a)) == strip(store.profiles(conn_b))
    finally:
        conn_a.close()
        conn_b.close()


def test_a_removal_on_request_leaves_no_trace_of_the_person(cli, tmp_path):
    data = tmp_path / "data"
    cli(data, "experts", "import", str(EXAMPLES))
    result = cli(data, "experts", "remove", "example-karim-haddad")
    assert result.exit_code == 0, result.output
    assert "example-karim-haddad" not in keys(data) and len(keys(data)) == 4
    conn = database.connect(data / "curation.sqlite")
    try:
        dump = "\n".join(conn.iterdump())
        log = store.audit_log(conn)
    finally:
        conn.close()
    for trace in ("Karim", "Haddad", "karim.haddad@example.org", "example-karim-haddad",
                  "fair recruitment"):
        assert trace not in dump, trace
    assert log[0]["action"] == "remove" and log[0]["expert_id"] is None
    assert log[0]["detail"] == "{}"
    # the file itself keeps no copy either (deleted pages are overwritten)
    raw = (data / "curation.sqlite").read_bytes()
    assert b"karim.haddad@example.org" not in raw
    again = cli(data, "experts", "remove", "example-karim-haddad")
    assert again.exit_code != 0 and "no expert" in again.output
