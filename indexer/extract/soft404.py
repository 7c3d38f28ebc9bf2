"""Soft 404s: pages that answer HTTP 200 but say that the page is not there.

Many CMSs (government sites, older Drupal and WordPress set-ups, ASP.NET sites) answer
a missing page with a 200 and a page titled "Page not found", "Page introuvable",
"Página no encontrada", "Страница не найдена", "الصفحة غير موجودة" or "页面不存在".
Such a page is no document: a page read over HTTP that is one is a 404 to the crawl
(``worker.process`` raises the ``soft-404`` fetch error; ``decide.Decider._gone``
takes it from there, as for a 404).

The test is strict, for a false alarm removes a real document. Both must hold:

- the title, or one of the first headings, *is* a not-found message: its first or
  last segment (the parts a site's name is joined to a title with, " | ", " - ", "_",
  and sentences) reads whole as one, give or take "Oops", "Sorry", "Error 404" and the
  like; or it is "404" or "Error 404" alone beside the site's name. A title that
  merely holds the words ("404 migrants found dead at sea", "Missing migrants: bodies
  not found") is none;
- the text is short: at most ``MAX_WORDS`` words (see there).

In: the title, the first headings and the text that the HTML extractor has already
read (no second parse). Out: the title or heading that says so, or "".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: A soft 404 holds at most this many words of text (a Han, kana or Hangul character
#: counts as half a word: a Chinese word is two characters or so). The stock messages
#: are far shorter: Drupal's "The requested page ... could not be found." is 8 words,
#: WordPress themes' 15-25 with their headings, IIS/ASP.NET and GOV.UK-style pages
#: 30-45; a WordPress theme's widgets (recent posts, categories, archives) that the
#: extractor keeps, or the message said again in a second language (Canada's pages),
#: bring them to 50-100. A page of real content is longer: the index's quality signal
#: already calls a document under 100 words "little-text". So: a handful of
#: sentences, with room for the menus a page leaves in its text.
MAX_WORDS = 120
#: A title or heading longer than this is no not-found message (and is not read).
MAX_HEADING_CHARS = 300

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD = re.compile(f"[^\\W{_CJK}]+")
#: No text of MAX_WORDS words is longer than this many characters: a longer one is
#: not counted, so the check costs next to nothing on real documents.
_MAX_TEXT_CHARS = MAX_WORDS * 25


def word_count(text: str) -> float:
    """Words of ``text``, a Han, kana or Hangul character counting as half a word."""
    return len(_WORD.findall(text)) + len(_CJK_CHAR.findall(text)) / 2


def is_short(text: str) -> bool:
    """Is ``text`` short enough for a soft 404 (at most ``MAX_WORDS`` words)?"""
    return len(text) <= _MAX_TEXT_CHARS and word_count(text) <= MAX_WORDS


def _plain(text: str) -> str:
    """How messages are compared: case folded, accents and Arabic marks dropped
    ("trouvée" is "trouvee", "найдена" "наидена", "عذراً" "عذرا", "أو" "او"), curly
    apostrophes straight."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in text if not unicodedata.combining(c)))


def _compile(pattern: str) -> re.Pattern:
    """A pattern written as people spell the words, matched against ``_plain`` text
    (so it may use only lower-case escapes: ``\\s``, ``\\w``)."""
    return re.compile(_plain(pattern), re.VERBOSE)


#: Where a title or heading is cut into segments: the separators that join a site's
#: name to a title (" | ", " - ", " / ", "_" and "-" on Chinese sites) and sentence
#: ends (", " too in Chinese and Arabic, where "抱歉，..." and "عذراً، ..." say sorry).
_SEGMENTS = re.compile(
    r"\s+(?:[-|/\u2013\u2014\u00b7\u2022\u00bb>]|::)\s+|[|\uff5c_\u00bb]"
    rf"|(?<=[{_CJK}])[-\u2013\u2014\uff0d]|[-\u2013\u2014\uff0d](?=[{_CJK}])"
    r"|[.!?\u2026\u3002\uff01\uff1f\u061f]+(?:\s|$)|[\uff0c\uff1a\u060c]")
#: What a segment is read without: punctuation (an apostrophe is kept: "can't").
_PUNCTUATION = re.compile(r"[^\w']+")
#: Where Chinese meets digits or Latin letters ("404页面不存在"): read as a space.
_SCRIPT_CHANGE = re.compile(rf"(?<=[{_CJK}])(?=[^\W{_CJK}])|(?<=[^\W{_CJK}])(?=[{_CJK}])")

_ERROR_WORDS = "error|erreur|ошибка|خطأ"
_ERRORS = "404|" + _ERROR_WORDS
_CJK_ERRORS = "错误|錯誤"
#: Words around a not-found message that add nothing: "Oops", "Sorry", "Error", "404".
#: (Chinese ones need no space after or before them.)
_NOISE = _compile(rf"""
    ^(?:(?:{_ERRORS}|http|oops|whoops|uh\ oh|ouch|sorry|we're\ sorry|oups|désolé|désolée
      |nous\ sommes\ désolés|oh\ non|ups|vaya|lo\ sentimos|lo\ siento|perdón|упс|ой
      |извините|к\ сожалению|عذرا|عفوا|نأسف|للأسف)(?:\s+|$)
      |(?:{_CJK_ERRORS}|抱歉|很抱歉|对不起|對不起|哎呀|糟糕|啊哦|出错了|出錯了)\s*)
    |(?:(?:^|\s+)(?:{_ERRORS})|\s*(?:{_CJK_ERRORS}))$""")
_ERROR = _compile(rf"(?:^|\s)(?:{_ERROR_WORDS})(?:\s|$)|{_CJK_ERRORS}")

#: A not-found message that names what is missing (a page, a file).
_MESSAGE = _compile(r"""^(?:
    # English: "(the) page (you are looking for) could not be found", "file not found",
    # "we can't find that page"
    (?:(?:the|this|that|your)\s)?(?:requested\s)?
    (?:page|web\s?page|file|document|resource|url|address|content|article|post|link)
    (?:\s(?:(?:that\s)?you(?:'re|\sare|\swere)?\s[\w'\s]{1,40}?|requested))?
    \s(?:(?:is|was|has\sbeen)\s)?(?:not\sfound|missing|gone
      |(?:could|can)\s?not\sbe\sfound|(?:can't|couldn't|cannot)\sbe\sfound
      |(?:does\s?not|doesn't|did\snot|didn't)\sexist|no\slonger\s(?:exists|available)
      |(?:has\sbeen|was|may\shave\sbeen)\s(?:removed|deleted))
    |(?:we\s)?(?:can't|cannot|can\snot|couldn't|could\snot)\sfind\s(?:that|the|this|your)\s
      (?:requested\s)?(?:web\s?)?page(?:\syou(?:'re|\sare|\swere)?\s[\w'\s]{1,30})?
    |there\sis\sno\ssuch\spage|no\ssuch\s(?:page|file|document)
    # French: "(la) page (demandée) est introuvable", "page non trouvée", "cette page
    # n'existe pas", "nous ne pouvons trouver cette page"
    |(?:(?:la|cette|le|ce)\s)?(?:page(?:\sweb)?|document|fichier|ressource|contenu
      |adresse|url|article)
    (?:\s(?:demandée|demandé|recherchée|recherché|que\svous\s[\w'\s]{1,40}?))?
    \s(?:(?:est|semble)\s)?(?:introuvable|non\strouvée?|inexistante?|n'existe\s(?:pas|plus)
      |n'a\spas\s(?:pu\s)?été\strouvée?|n'est\splus\sdisponible|a\sété\ssupprimée?)
    |(?:nous\sne\s(?:pouvons|parvenons\spas\sà|trouvons)|impossible\sde)\s(?:pas\s)?
      (?:trouver\s)?(?:cette|la)\spage(?:\sweb)?(?:\sdemandée)?
    # Spanish: "(la) página (que busca) no existe", "página no encontrada", "no se pudo
    # encontrar la página"
    |(?:(?:la|esta|el|este)\s)?(?:página(?:\sweb)?|documento|archivo|recurso|contenido
      |dirección|url|artículo)
    (?:\s(?:solicitada|solicitado|buscada|que\s[\w'\s]{1,40}?))?
    \s(?:(?:ya\s)?no\s(?:existe|se\s(?:ha\s)?(?:encontrado|encuentra|pudo\sencontrar)
        |(?:ha\s)?sido\sencontrad[ao]|pudo\sser\sencontrad[ao]|está\sdisponible)
      |no\sencontrad[ao]|inexistente|ha\ssido\s(?:eliminad[ao]|borrad[ao]))
    |no\s(?:se\s)?(?:(?:ha|han)\s)?(?:pudo|podido|pudimos|encontró|encontramos|encuentra)
      \s(?:encontrar\s)?(?:la|esta|el)\s(?:página|documento|archivo)
      (?:\s(?:solicitada|solicitado|que\s[\w'\s]{1,30}))?
    # Russian: "(запрашиваемая) страница не найдена", "такой страницы не существует"
    |(?:(?:запрашиваемая|запрошенная|такая|эта|данная|искомая|запрашиваемый|данный)\s)?
    (?:страница|документ|файл|материал|ресурс|запись|статья|адрес)
    (?:\s(?:котор\w+\sвы\s[\w\s]{1,30}?))?
    \s(?:не\s(?:найден[аоы]?|существует|был[аои]?\sнайден[аоы]?)|отсутствует
      |удален[аоы]?|удалён|был[аои]?\sудален[аоы]?)
    |(?:такой\s)?страницы\sне\sсуществует|(?:мы\s)?не\s(?:можем|смогли|удалось)\s
      (?:найти\s)?(?:эту\s|такую\s)?страницу
    # Arabic: "(ال)صفحة (المطلوبة) غير موجودة", "لم يتم العثور على الصفحة"
    |(?:هذه\s)?(?:الصفحة|صفحة|الملف|ملف|الرابط|المستند|الوثيقة)
    (?:\s(?:المطلوبة|المطلوب|التي\s[\w\s]{1,30}?|الذي\s[\w\s]{1,30}?))?
    \s(?:غير\sموجود[ةه]?|لم\sتعد\sموجود[ةه]|لم\sيعد\sموجودا|لم\sيتم\sالعثور\sعلي(?:ها|ه)
      |محذوف[ةه]|تم\sحذف(?:ها|ه))
    |(?:لم\s(?:يتم|نتمكن\sمن|نستطع)\s)?(?:العثور|إيجاد)\sعلى\s(?:هذه\s)?
      (?:الصفحة|صفحة|الملف|الرابط)(?:\s(?:المطلوبة|المطلوب|التي\s[\w\s]{1,30}))?
    |تعذر\s(?:العثور\sعلى|إيجاد)\s(?:الصفحة|الملف)(?:\sالمطلوبة)?
    # Chinese (simplified and traditional): "(您访问的)页面不存在", "找不到页面"
    |(?:(?:您|你)?(?:所)?(?:要)?(?:访问|訪問|请求|請求|查找|寻找|尋找|浏览|瀏覽|打开|打開|查看)
      (?:的)?)?(?:该|該|此|这个|這個)?
    (?:页面|頁面|网页|網頁|文件|文档|文檔|文章|内容|內容|信息|資訊|资源|資源|链接|鏈接)
    (?:已|已经|已經)?(?:不存在|未找到|找不到|没有找到|沒有找到|没找到|沒找到|无法找到|無法找到
      |被删除|被刪除|删除|刪除|丢失|丟失|不见|不見|走丢|走丟)(?:了|啦)?
    |(?:找不到|未找到|无法找到|無法找到|没有找到|沒有找到)(?:您|你)?(?:要|所)?
      (?:访问|訪問|请求|請求|查找)?(?:的)?(?:该|該|此)?(?:页面|頁面|网页|網頁|文件|文档|文檔)
    )
    # "... or has been moved", "... ou a été déplacée", "... или была удалена", "…或已删除"
    (?:\s(?:or|ou|o|или|либо|أو)\s[\w'\s]{1,40}|\s?或[\w'\s]{1,40})?$""")
#: A not-found message that names nothing ("Not found", "Introuvable"): one only
#: beside the site's name, or alone.
_BARE_MESSAGE = _compile(r"""^(?:not\sfound|introuvable|non\strouvée?|no\sencontrad[ao]
    |не\sнайден[аоы]?|غير\sموجود[ةه]?|لم\sيتم\sالعثور\sعليها|未找到|找不到|不存在)$""")


def _reading(segment: str) -> tuple[str, bool, bool]:
    """A segment without punctuation and noise words ("Oops", "Error 404"); whether
    "404" was among them, and whether an error was ("Error 404", "404 error")."""
    text = _SCRIPT_CHANGE.sub(" ", _PUNCTUATION.sub(" ", _plain(segment))).strip()
    said_404 = said_error = False
    while (match := _NOISE.search(text)) is not None:
        said_404 = said_404 or "404" in match.group()
        said_error = said_error or _ERROR.search(match.group()) is not None
        text = (text[:match.start()] + text[match.end():]).strip()
    return text, said_404, said_error


def says_not_found(candidate: str, *, title: bool) -> bool:
    """Does a title (``title``) or a heading read as a not-found message?

    Its first or last segment that is more than noise is a message that names what is
    missing ("Page not found | Ministry", "Oops! That page can't be found."); or one
    that names nothing ("Not found") is its only segment, or, in a title, one of two
    (the site's name the other); or a title's first or last segment is a "404" and
    nothing more ("404 | Ministry", "Error 404"), as is a heading's ("Error 404": a
    heading that is a bare "404" may be a figure)."""
    if len(candidate) > MAX_HEADING_CHARS:
        return False
    readings = [_reading(s) for s in _SEGMENTS.split(candidate) if s and s.strip()]
    words = [text for text, _, _ in readings if text]
    if words and any(_MESSAGE.match(text) for text in {words[0], words[-1]}):
        return True
    if words and len(words) <= (2 if title else 1) and any(
            _BARE_MESSAGE.match(text) for text in words):
        return True
    if title:
        return any(not reading[0] and reading[1] for reading in readings[:1] + readings[-1:])
    return not words and any(said_404 and said_error for _, said_404, said_error in readings)


def not_found_message(title: str, headings: Iterable[str], text: str) -> str:
    """The title or heading that says the page is not found, if the page is a soft
    404 (see the module); else ""."""
    if not is_short(text):
        return ""
    if title and says_not_found(title, title=True):
        return title
    for heading in headings:
        if heading and says_not_found(heading, title=False):
            return heading
    return ""


__all__ = ["MAX_WORDS", "is_short", "not_found_message", "says_not_found", "word_count"]
