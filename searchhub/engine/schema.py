"""The Whoosh schema: field names and how each is analysed and stored."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from whoosh import columns, formats
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.util.numeric import pack_uint

from searchhub.models import FACET_NAMES

from .analysis import GROUPS, analyzer, plain_analyzer, terms
from .postings import LENGTH_OF_BYTE

#: Bumped whenever the schema or the analysis changes what an index holds; an index
#: of another version must be rebuilt.
INDEX_FORMAT = 5   # 5: one accent folding (ß -> ss, æ -> ae, œ -> oe)


def patch_whoosh() -> None:
    """Whoosh 2.7 looks for a field's length column on disk once per posting when the
    field has none (scorable=False fields), a stat() call each time; remember misses."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield

    if getattr(W3PerDocReader, "_searchhub_patched", False):
        return
    original = W3PerDocReader._cached_reader

    def cached_reader(self, fieldname, column):
        misses = self.__dict__.setdefault("_searchhub_misses", set())
        if fieldname in misses:
            return None
        reader = original(self, fieldname, column)
        if reader is None:
            misses.add(fieldname)
        return reader

    # At commit, Whoosh asks the length of every posting's field in its document
    # through several calls; read each length column once per segment instead.
    def doc_field_length(self, docnum, fieldname, default=0):
        table = self.__dict__.setdefault("_searchhub_lengths", {})
        lengths = table.get(fieldname)
        if lengths is None:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            lengths = table[fieldname] = (
                LENGTH_OF_BYTE[np.fromiter(reader, dtype=np.uint8)]
                if reader is not None else None)
        if lengths is None:
            return default
        return int(lengths[docnum]) or default

    W3PerDocReader._cached_reader = cached_reader
    W3PerDocReader.doc_field_length = doc_field_length
    W3PerDocReader._searchhub_patched = True
    _lazy_buffer_streams()


def _lazy_buffer_streams() -> None:
    """Each file inside a compound segment is a ``BufferFile`` over the segment's
    memory map, and Whoosh copies it into a BytesIO when it opens it (the whole
    postings file, every time a generation is opened: 1.5 s and 0.8 GB at 100,000
    documents). Random access (``get``) reads the map directly; only stream access
    (seek, read) needs the BytesIO, so make it on first use."""
    from io import BytesIO

    from whoosh.filedb.structfile import BufferFile

    def init(self, buf, name=None, onclose=None):
        self._buf = buf
        self._name = name
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def stream(self):
        found = self.__dict__.get("_stream")
        if found is None:
            found = self.__dict__["_stream"] = BytesIO(self._buf)
        return found

    def close(self):
        if self.is_closed:
            raise Exception("This file is already closed")
        self.is_closed = True
        if self.onclose:
            self.onclose(self)
        found = self.__dict__.get("_stream")
        if found is not None:
            found.close()

    BufferFile.__init__ = init
    BufferFile.file = property(stream)
    BufferFile.close = close


#: Weight of a title match relative to a body match (tuned on the dev qrels).
TITLE_WEIGHT = 0.1

#: Facet fields searchable with ``field:value`` in the query box: the facets and
#: the source. Values are kept as given (comma-separated, case-insensitive), so
#: "agency:iom" works.
FACET_FIELDS = (*FACET_NAMES, "source")


def title_field(group: str) -> str:
    return f"title_{group}"


def body_field(group: str) -> str:
    return f"body_{group}"


class ArrayPositions(formats.Positions):
    """Positions as little-endian 32-bit integers, four bytes each.

    Whoosh's own Positions format pickles each posting's list; this one is read
    with one ``np.frombuffer`` over a whole posting list, which is what makes a
    phrase over common words cheap (see ``snapshot``)."""

    def encode(self, poslist):
        return np.asarray(poslist, dtype="<u4").tobytes()

    def decode_positions(self, valuestring):
        return np.frombuffer(valuestring, dtype="<u4").tolist()

    def decode_frequency(self, valuestring):
        return len(valuestring) // 4

    def decode_weight(self, valuestring):
        return len(valuestring) // 4 * self.field_boost


class FastText(TEXT):
    """A TEXT field whose indexing skips Whoosh's token-by-token analysis.

    ``index`` takes the text (or the list of its terms, already computed) and
    builds the postings from ``analysis.terms``, which yields exactly what the
    field's analyzer would; queries still go through the analyzer.
    """

    def __init__(self, group: str, *, phrase: bool, **kwargs):
        super().__init__(analyzer=analyzer(group) if group != "plain" else plain_analyzer(),
                         phrase=phrase, **kwargs)
        self.group = "xx" if group == "plain" else group
        if phrase:
            self.format = ArrayPositions(field_boost=self.format.field_boost)

    def index(self, value, **kwargs):
        words = value if isinstance(value, list) else terms(self.group, value)
        boost = self.format.field_boost
        if isinstance(self.format, formats.Positions):
            positions = defaultdict(list)
            for pos, word in enumerate(words):
                positions[word].append(pos)
            encode = self.format.encode
            return [(w.encode("utf-8"), len(p), len(p) * boost, encode(p))
                    for w, p in positions.items()]
        return [(w.encode("utf-8"), n, n * boost, pack_uint(n))
                for w, n in Counter(words).items()]


def content_fields() -> list[str]:
    return [f for g in GROUPS for f in (title_field(g), body_field(g))]


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        # Compact per-document data read in bulk when a searcher opens: facet
        # values, date, field lengths, hash. Kept in a column, not stored fields,
        # so loading it does not unpickle every document's text.
        "meta": COLUMN(columns.VarBytesColumn()),
        "doc": STORED(),          # the whole document (JSON, zlib) for display
        "spell": FastText("plain", phrase=False),
    }
    for group in GROUPS:
        multitoken = "and" if group == "cjk" else "default"
        fields[title_field(group)] = FastText(group, phrase=True, multitoken_query=multitoken)
        fields[body_field(group)] = FastText(group, phrase=True, multitoken_query=multitoken)
    for name in FACET_FIELDS:
        fields[name] = KEYWORD(lowercase=True, commas=True, scorable=False)
    return Schema(**fields)
