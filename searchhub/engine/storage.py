"""The folder our index lives in: Whoosh's ``FileStorage``, with segment files mapped.

Each file inside a compound segment (``.seg``) is, in stock Whoosh, a
``BufferFile`` over a memory map that copies itself into a ``BytesIO`` when it
is opened: the whole postings file every time a generation is opened (1.5 s and
0.8 GB at 100,000 documents). Our reads are random access (``get``), which
needs only the map. ``SegmentStorage`` hands Whoosh's ``CompoundStorage`` a
segment file without a ``fileno`` but with ``subset`` (its documented fallback
for files that cannot be mapped), and ``subset`` returns a buffer over our own
map that makes its ``BytesIO`` only when something streams it (seek, read).

Only indexes opened through this storage are affected: stock Whoosh elsewhere
in the process is unchanged, and the files on disk are ordinary Whoosh files.
``_LazyBufferFile`` sets ``BufferFile``'s own ``_buf`` and ``_name`` (its
methods read them) because it must not run that class's copying constructor.
"""

from __future__ import annotations

import mmap
import os
from io import BytesIO

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile


class SegmentStorage(FileStorage):
    """A ``FileStorage`` whose compound segment files are read through a memory map."""

    def open_file(self, name, **kwargs):
        if name.endswith(".seg") and not kwargs:
            return _MappedSegmentFile(os.path.abspath(os.path.join(self.folder, name)), name)
        return super().open_file(name, **kwargs)


class _MappedSegmentFile(StructFile):
    """A segment file as one read-only memory map: streamed for its directory, cut
    by ``subset`` into lazily streamed buffers. The file handle is closed at once
    (the map keeps the data), as Whoosh's own mapping does."""

    def __init__(self, path: str, name: str):
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        # An mmap has no fileno(): CompoundStorage falls back to ``subset``.
        super().__init__(mapped, name=name)
        self._map = mapped
        self.segment_name = name

    def subset(self, offset, length, name=None):
        return _LazyBufferFile(memoryview(self._map)[offset:offset + length],
                               name=name or self.segment_name)

    def close(self):
        if self.is_closed:
            raise ValueError("This file is already closed")
        self.is_closed = True
        try:
            self._map.close()
        except BufferError:
            # Buffers still point into the map; it closes when they are gone (as
            # Whoosh's CompoundStorage does with its own map).
            pass


class _LazyBufferFile(BufferFile):
    """A ``BufferFile`` that makes its ``BytesIO`` copy on first stream access."""

    def __init__(self, buf, name=None, onclose=None):  # no super(): it copies the buffer
        self._buf = buf
        self._name = name
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False
        self._stream: BytesIO | None = None

    @property
    def file(self) -> BytesIO:
        if self._stream is None:
            self._stream = BytesIO(self._buf)
        return self._stream

    def close(self):
        if self.is_closed:
            raise ValueError("This file is already closed")
        self.is_closed = True
        if self.onclose:
            self.onclose(self)
        if self._stream is not None:
            self._stream.close()
