"""Words a query drops before searching: the English, French, Spanish, Russian and
Arabic stop lists.

The lists but the Arabic one are the Snowball project's (as Whoosh ships them in
``whoosh.lang.stopwords``), copied here so that the query parser, which sits above the
engine seam, needs no engine. ``tests/test_query_parser.py`` checks that they still
equal Whoosh's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from searchhub.text import HAN, KANA, WORD

_EN = (
    "a about above after again against all am an and any are as at be because been before "
    "being below between both but by can did do does doing don down during each few for "
    "from further had has have having he her here hers herself him himself his how i if "
    "in into is it its itself just me more most my myself no nor not now of off on once "
    "only or other our ours ourselves out over own s same she should so some such t than "
    "that the their theirs them themselves then there these they this those through to "
    "too under until up very was we were what when where which while who whom why will "
    "with you your yours yourself yourselves"
).split()

_FR = (
    "ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez "
    "aurions aurons auront aux avaient avais avait avec avez aviez avions avons ayant "
    "ayante ayantes ayants ayez ayons c ce ces d dans de des du elle en es est et eu eue "
    "eues eurent eus eusse eussent eusses eussiez eussions eut eux eûmes eût eûtes furent "
    "fus fusse fussent fusses fussiez fussions fut fûmes fût fûtes il j je l la le leur "
    "lui m ma mais me mes moi mon même n ne nos notre nous on ont ou par pas pour qu que "
    "qui s sa se sera serai seraient serais serait seras serez seriez serions serons "
    "seront ses soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi "
    "ton tu un une vos votre vous y à étaient étais était étant étante étantes étants "
    "étiez étions été étée étées étés êtes"
).split()

_ES = (
    "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde "
    "durante e el ella ellas ellos en entre era erais eran eras eres es esa esas ese eso "
    "esos esta estaba estabais estaban estabas estad estada estadas estado estados "
    "estamos estando estar estaremos estará estarán estarás estaré estaréis estaría "
    "estaríais estaríamos estarían estarías estas este estemos esto estos estoy estuve "
    "estuviera estuvierais estuvieran estuvieras estuvieron estuviese estuvieseis "
    "estuviesen estuvieses estuvimos estuviste estuvisteis estuviéramos estuviésemos "
    "estuvo está estábamos estáis están estás esté estéis estén estés fue fuera fuerais "
    "fueran fueras fueron fuese fueseis fuesen fueses fui fuimos fuiste fuisteis fuéramos "
    "fuésemos ha habida habidas habido habidos habiendo habremos habrá habrán habrás "
    "habré habréis habría habríais habríamos habrían habrías habéis había habíais "
    "habíamos habían habías han has hasta hay haya hayamos hayan hayas hayáis he hemos "
    "hube hubiera hubierais hubieran hubieras hubieron hubiese hubieseis hubiesen "
    "hubieses hubimos hubiste hubisteis hubiéramos hubiésemos hubo la las le les lo los "
    "me mi mis mucho muchos muy más mí mía mías mío míos nada ni no nos nosotras nosotros "
    "nuestra nuestras nuestro nuestros o os otra otras otro otros para pero poco por "
    "porque que quien quienes qué se sea seamos sean seas sentid sentida sentidas sentido "
    "sentidos seremos será serán serás seré seréis sería seríais seríamos serían serías "
    "seáis siente sin sintiendo sobre sois somos son soy su sus suya suyas suyo suyos sí "
    "también tanto te tendremos tendrá tendrán tendrás tendré tendréis tendría tendríais "
    "tendríamos tendrían tendrías tened tenemos tenga tengamos tengan tengas tengo "
    "tengáis tenida tenidas tenido tenidos teniendo tenéis tenía teníais teníamos tenían "
    "tenías ti tiene tienen tienes todo todos tu tus tuve tuviera tuvierais tuvieran "
    "tuvieras tuvieron tuviese tuvieseis tuviesen tuvieses tuvimos tuviste tuvisteis "
    "tuviéramos tuviésemos tuvo tuya tuyas tuyo tuyos tú un una uno unos vosostras "
    "vosostros vuestra vuestras vuestro vuestros y ya yo él éramos"
).split()

_RU = (
    "а без более больше будет будто бы был была были было быть в вам вас вдруг ведь во "
    "вот впрочем все всегда всего всех всю вы где да даже два для до другой его ее ей ему "
    "если есть еще ж же за зачем здесь и из или им иногда их к как какая какой когда "
    "конечно кто куда ли лучше между меня мне много может можно мой моя мы на над надо "
    "наконец нас не него нее ней нельзя нет ни нибудь никогда ним них ничего но ну о об "
    "один он она они опять от перед по под после потом потому почти при про раз разве с "
    "сам свою себе себя сейчас со совсем так такой там тебя тем теперь то тогда того тоже "
    "только том тот три тут ты у уж уже хорошо хоть чего чем через что чтоб чтобы чуть "
    "эти этого этой этом этот эту я"
).split()

#: Arabic function words (prepositions, conjunctions, pronouns, demonstratives, question
#: words), with and without hamza as queries are typed: Whoosh has no Arabic list, and the
#: documents' light stemmer keeps them; written for searchhub.
_AR = (
    "في من على إلى الى عن مع أو او ثم حتى أن ان إن لا لم لن ما ماذا هل كيف أين اين متى "
    "لماذا كم هذا هذه ذلك تلك هؤلاء التي الذي الذين هو هي هم هن نحن أنا انا أنت انت كان "
    "كانت يكون تكون قد كل بعض غير عند لدى منذ خلال حول ضد دون بل لكن لأن إذا اذا وفي ومن "
    "وعلى وإلى والى ولا وما أي اي"
).split()

#: Stop words of the languages queries are written in (a query drops those of its own
#: language, ``query_stopwords``; Chinese function words between terms are dropped where
#: a run is split, ``lexicon.segment``).
STOPWORDS = frozenset((*_EN, *_FR, *_ES, *_RU, *_AR))
#: Each language's list: the stop words a query in that language drops, and what tells
#: which of a document's languages a piece of its text is in (``piece_language``).
STOPWORDS_OF = {"en": frozenset(_EN), "fr": frozenset(_FR), "es": frozenset(_ES),
                "ru": frozenset(_RU), "ar": frozenset(_AR)}
#: The English words the index drops in every language that has stop words, besides
#: that language's own (Whoosh's ``STOP_WORDS``, which its StopFilter adds to each list:
#: ``engine.analysis.stop_words``). A query keeping one could match it only in the
#: documents of other languages: "migrants in the US" found no English document.
INDEX_STOPWORDS = frozenset((
    "a an and are as at be by can for from have if in is it may not of on or tbd that "
    "the this to us we when will with yet you your").split())
#: What a query of no known language drops: English's stop words, and those of two lists
#: or more ("de", "la", "en"). A word of one other list only is kept, for it is often a
#: word of another language: "sea" and "era" are Spanish stop words, "eu" a French one.
SHARED_STOPWORDS = STOPWORDS_OF["en"] | INDEX_STOPWORDS | frozenset(
    word for word in STOPWORDS
    if sum(word in STOPWORDS_OF[lang] for lang in ("fr", "es", "ru", "ar")) >= 2)
#: French function words Snowball's French list lacks (its Spanish list held "les" and
#: "a" for French queries while a query dropped every list's stop words).
_FR_QUERY = frozenset("les a ils elles cette cet leurs".split())
#: Each language's query stop words. Arabic documents are indexed without stop words:
#: an Arabic query drops its own only.
_QUERY_STOPWORDS = {**{lang: stops | INDEX_STOPWORDS for lang, stops in STOPWORDS_OF.items()},
                    "fr": STOPWORDS_OF["fr"] | _FR_QUERY | INDEX_STOPWORDS,
                    "ar": STOPWORDS_OF["ar"]}


def query_stopwords(language: str | None) -> frozenset[str]:
    """The stop words a query in ``language`` drops: its own language's only ("sea" in
    "rescue at sea" is no English stop word, "el" of "El Salvador" no English one),
    SHARED_STOPWORDS when the language is not known or has no list."""
    return _QUERY_STOPWORDS.get(language or "", SHARED_STOPWORDS)


#: Words that make a query a question (interrogatives, "il faut", modal verbs) and
#: that the Snowball lists lack: they say nothing of what is asked, but are frequent
#: enough in documents of their language to outrank the documents that answer.
#: Dropped from a plain query written in that language only ("comment" is also an
#: English word), and only when other words remain. English "many" and "much" are what
#: "how many" / "how much" leave ("how" is a stop word), as "combien" and "cuántos" are
#: (blind h12 "How many people died when the tropical storm hit Mindanao before
#: Christmas?" 0.47 -> 0.58, i11 0.46 -> 0.54; nothing else moved).
QUESTION_WORDS = {
    "en": frozenset("would could must shall many much".split()),
    "fr": frozenset("quel quels quelle quelles comment combien pourquoi où quand faut "
                    "peut peuvent puis dois doit doivent".split()),
    "es": frozenset("cómo cuál cuáles cuánto cuánta cuántos cuántas dónde adónde cuándo "
                    "quién quiénes puedo puede pueden debo debe deben necesito".split()),
    "ru": frozenset("почему какие каких каким каково сколько нужно нужен нужна нужны "
                    "должен должна должны могу может могут".split()),
}
#: Chinese question words, split off and dropped where a run typed without spaces is
#: split at the lexicon's terms (``lexicon.segment``): "如何申请庇护" asks for 申请 and 庇护.
HAN_QUESTION_WORDS = frozenset("如何 怎么 怎样 怎么样 什么 哪些 哪里 哪个 为什么 是否 多少 "
                               "吗 呢".split())


# -- which of a document's languages a piece of its text is in ----------------------------

def piece_language(text: str, languages: Sequence[str]) -> str:
    """Which of a document's ``languages`` (its main one first) a piece of its text (a
    title, a snippet, a page) is in: for a document in one language, that one; else the
    one whose stop words the piece holds most (Chinese and Japanese by their script),
    the main one on a tie. So a French page of an English and French report is marked
    French."""
    if len(languages) < 2:
        return languages[0] if languages else "und"
    counts = stopword_counts(text)
    counts["zh"] = 3 * len(HAN.findall(text))
    counts["ja"] = 3 * len(KANA.findall(text))
    best = max(languages, key=lambda lang: counts.get(lang, 0))
    return best if counts.get(best, 0) > counts.get(languages[0], 0) else languages[0]


def stopword_counts(text: str) -> dict[str, int]:
    """How many stop words of each language with a list ``text`` holds."""
    words = [w.lower() for w in _WORD.findall(text)]
    return {lang: sum(w in stops for w in words) for lang, stops in STOPWORDS_OF.items()}


_WORD = re.compile(WORD)
