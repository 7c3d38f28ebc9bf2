"""Pages and text files in the charsets real partner platforms still serve (Windows-1251,
KOI8-R, GBK, Windows-1256, Latin-1), declared in the HTTP header, in the page, wrongly,
or not at all: the text comes out as written."""

from __future__ import annotations

import pytest

from indexer.extract import extract
from indexer.extract.encoding import as_utf8, charset_of, decode

RU = ("Беженцы и внутренне перемещённые лица получают помощь в приграничных районах. "
      "Международная организация по миграции поддерживает возвращение мигрантов. ") * 3
ZH = ("国际移民组织支持移民安全返回家园，并为境内流离失所者提供住房和医疗援助。"
      "联合国难民署在边境地区设立了接待中心。") * 3
AR = ("تقدم المنظمة الدولية للهجرة المساعدة للمهاجرين واللاجئين في المناطق الحدودية "
      "وتدعم عودتهم الطوعية إلى بلدانهم الأصلية بأمان وكرامة. ") * 3
FR = ("Les réfugiés déplacés reçoivent une aide d’urgence à la frontière ; "
      "l’Organisation internationale pour les migrations coordonne l’accueil. ") * 3


def page(body: str, meta: str = "") -> str:
    return (f"<html><head>{meta}<title>Titre</title></head><body><article><p>{body}</p>"
            "</article></body></html>")


@pytest.mark.parametrize(("data", "content_type", "words"), [
    # The header says it, the page does not.
    (page(RU).encode("cp1251"), "text/html; charset=windows-1251", "Беженцы"),
    # The page says it, the header does not.
    (page(ZH, '<meta charset="gb2312">').encode("gbk"), "text/html", "国际移民组织"),
    # The page says Latin-1 but was saved as UTF-8 (a site moved to a new system).
    (page(FR, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
     .encode("utf-8"), "text/html", "réfugiés"),
    # The server says UTF-8 for everything; the page is Windows-1252 and says so.
    (page(FR, '<meta charset="windows-1252">').encode("cp1252"),
     "text/html; charset=UTF-8", "réfugiés"),
    # Nobody says anything: the bytes are read for their charset.
    (page(AR).encode("cp1256"), "text/html", "للمهاجرين"),
    (page(RU).encode("cp1251"), None, "перемещённые"),
    (page(ZH).encode("gb18030"), None, "流离失所者"),
    # Text files.
    (RU.encode("koi8-r"), "text/plain; charset=koi8-r", "Беженцы"),
    (RU.encode("cp1251"), None, "Беженцы"),
    (FR.replace("’", "'").encode("latin-1"), None, "réfugiés"),
])
def test_the_text_comes_out_as_written(data, content_type, words):
    where = "https://p.org/a.html" if data.lstrip().startswith(b"<") else "https://p.org/a.txt"
    extracted = extract(data, filename_or_url=where, content_type=content_type)
    assert words in extracted.text
    assert "\ufffd" not in extracted.text


def test_the_charset_of_a_content_type():
    assert charset_of('text/html; Charset="windows-1251"') == "windows-1251"
    assert charset_of("text/html") == charset_of(None) == ""


def test_a_byte_order_mark_wins_and_an_unknown_label_is_passed_over():
    assert decode("\ufeffréfugiés".encode("utf-8"), ["koi8-r"]) == "réfugiés"
    assert decode("réfugiés".encode("utf-16"), []) == "réfugiés"
    assert decode(RU.encode("cp1251"), ["no-such-charset", "cp1251"]) == RU
    assert as_utf8(b"plain", "text/html") == b"plain"
    assert as_utf8(RU.encode("cp1251"), "text/html; charset=cp1251").decode("utf-8-sig") == RU
