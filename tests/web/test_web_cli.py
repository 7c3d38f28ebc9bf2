"""The `searchhub` command: search, index errors, settings and eval on the demo index."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from demo_corpus import DEMO_BY_AGENCY, DEMO_COUNT, page_count

from searchhub.cli import main
from searchhub.settings import SETTINGS


@pytest.fixture
def cli(demo_data_dir):
    """Run `searchhub --data-dir <demo index> ARGS...`; returns the click Result."""
    def invoke(*args: str):
        return CliRunner().invoke(main, ["--data-dir", str(demo_data_dir), *args])
    return invoke


def test_search_prints_the_iom_document(cli):
    result = cli("search", "return and reintegration", "--agency", "IOM")
    assert result.exit_code == 0, result.output
    # The English report first, then IOM's French one on return and reintegration in
    # Senegal, found through the translations of both words ("retour", "réintégrer").
    assert result.output.startswith("2 documents · page 1 of 1")
    assert result.output.index("1. Return and Reintegration in West Africa") \
        < result.output.index("[id demo-iom-retour-reintegration-senegal-2021.pdf]")
    assert "[id demo-iom-avrr-west-africa-2019.pdf]" in result.output
    assert "(page 1)" in result.output
    assert "**return**" in result.output.lower()


def test_search_json_is_what_the_api_answers(cli, api):
    result = cli("search", "migrant workers", "--region", "Asia and the Pacific",
                 "--language", "en", "--json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    answered = api("/api/search?q=migrant+workers&region=Asia+and+the+Pacific&language=en")
    assert [h["id"] for h in printed["hits"]] == [h["id"] for h in answered["hits"]]
    assert printed["total"] == answered["total"] > 0
    assert printed["facets"] == answered["facets"]


def test_search_sort_pages_and_facets(cli):
    result = cli("search", "--sort", "newest", "--page", "2", "--page-size", "5", "--facets")
    assert result.exit_code == 0, result.output
    assert f"{DEMO_COUNT} documents · page 2 of {page_count(5)}" in result.output
    assert re.search(r"^6\. ", result.output, re.M)
    assert f"\nagency: IOM ({DEMO_BY_AGENCY['IOM']})" in result.output


def test_search_page_size_defaults_to_the_setting(demo_data_dir):
    result = CliRunner().invoke(main, ["--data-dir", str(demo_data_dir), "search", "--json"],
                                env={"SEARCHHUB_PAGE_SIZE": "3"})
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["hits"]) == 3


def test_search_without_an_index_says_how_to_build_one(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "search", "x"])
    assert result.exit_code == 1
    assert "searchhub index" in result.output
    assert "Traceback" not in result.output


def test_index_unknown_source_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "index", "--source", "nope"])
    assert result.exit_code != 0
    assert "unknown source nope" in result.output and "demo-iom" in result.output
    assert not (tmp_path / "index").exists()


def test_invalid_environment_is_reported_at_the_cli(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "search", "x"],
                                env={"SEARCHHUB_WORKERS": "abc", "SEARCHHUB_PORT": "-1"})
    assert result.exit_code == 1
    assert "SEARCHHUB_WORKERS" in result.output and "SEARCHHUB_PORT" in result.output


def test_settings_lists_every_setting_with_its_env_var():
    result = CliRunner().invoke(main, ["settings"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(SETTINGS)
    for setting, line in zip(SETTINGS, lines, strict=True):
        assert line.startswith(setting.env) and setting.help in line


def test_eval_prints_ndcg_and_recall(cli, tmp_path):
    qrels = tmp_path / "qrels.jsonl"
    qrels.write_text("\n".join(json.dumps(q) for q in [
        {"qid": "r1", "query": "return and reintegration",
         "judgments": {"avrr-west-africa-2019.pdf": 2, "retour-reintegration-senegal-2021.pdf": 1,
                       "rohingya-coxs-bazar-2017.html": 0}},
        {"qid": "s1", "query": "migrant smuggling Sahara",
         "judgments": {"smuggling-routes-niger-libya-2019.html": 2}},
    ]) + "\n", encoding="utf-8")
    result = cli("eval", str(qrels))
    assert result.exit_code == 0, result.output
    rows = re.findall(r"^(\w+)\s+nDCG@10 ([\d.]+)\s+recall@10 ([\d.]+)", result.output, re.M)
    assert [r[0] for r in rows] == ["r1", "s1"]
    assert float(rows[1][1]) == 1.0 and float(rows[1][2]) == 1.0
    assert float(rows[0][1]) > 0.5
    assert re.search(r"mean over 2 queries: nDCG@10 [\d.]+ {2}recall@10 [\d.]+", result.output)
    report = json.loads(cli("eval", str(qrels), "--json", "--k", "5").output)
    assert report["k"] == 5 and report["queries"][0]["top"][0] == "avrr-west-africa-2019.pdf"


def test_eval_reports_each_file_and_each_kind_apart(cli, tmp_path):
    first, second = tmp_path / "dev.jsonl", tmp_path / "extra.jsonl"
    first.write_text(json.dumps(
        {"qid": "s1", "query": "migrant smuggling Sahara", "kind": "keywords",
         "judgments": {"smuggling-routes-niger-libya-2019.html": 2}}) + "\n", encoding="utf-8")
    second.write_text("\n".join(json.dumps(q) for q in [
        {"qid": "x1", "query": "migrant smuggling Sahara", "kind": "keywords",
         "judgments": {"smuggling-routes-niger-libya-2019.html": 2}},
        {"qid": "x2", "query": "zzzz nothing", "kind": "question", "language": "fr",
         "judgments": {"smuggling-routes-niger-libya-2019.html": 2}},
    ]) + "\n", encoding="utf-8")
    result = cli("eval", str(first), str(second))
    assert result.exit_code == 0, result.output
    means = re.findall(r"mean over (\d) queries: nDCG@10 ([\d.]+)", result.output)
    assert means == [("1", "1.000"), ("2", "0.500")]
    assert re.search(r"^  question\s+\( 1 queries\) nDCG@10 0\.000", result.output, re.M)
    assert re.search(r"^  in fr\s+\( 1 queries\) nDCG@10 0\.000", result.output, re.M)
    report = json.loads(cli("eval", str(first), str(second), "--json").output)
    assert report[str(second)]["kinds"]["keywords"]["ndcg"] == 1.0
