"""Open what the user gave (a file, ``-`` for stdin, a ``.gz``) as a stream of UTF-8 byte chunks.

The input is never read whole: callers iterate over chunks. UTF-16 (with a byte-order mark) is
transcoded on the fly; a UTF-8 byte-order mark is dropped; anything else is passed through as
bytes and decoded leniently later, only where it matters. Input that is clearly not text is
refused with a clear error.
"""

import codecs
import gzip
import io
import os
import sys
import zlib

CHUNK_SIZE = 4 * 1024 * 1024
_SNIFF_SIZE = 8192
_GZIP_MAGIC = b"\x1f\x8b"


class InputError(Exception):
    """The input cannot be read; ``recommendation`` tells the user what to do."""

    def __init__(self, message, recommendation=None):
        super().__init__(message)
        self.recommendation = recommendation


def open_source(source):
    """A binary file object for ``source`` (a path or ``-``); raises InputError when impossible."""
    if source == "-":
        return sys.stdin.buffer if hasattr(sys.stdin, "buffer") else io.BytesIO(sys.stdin.read().encode())
    path = os.path.expanduser(source)
    if os.path.isdir(path):
        raise InputError("'{}' is a directory, not a log file.".format(source),
                         "Pass the log file itself, e.g. --log {}.".format(os.path.join(source, "az-debug.log")))
    if not os.path.exists(path):
        raise InputError("The log file '{}' does not exist.".format(source),
                         "Check the path, or pass '-' to read the log from standard input.")
    try:
        return open(path, "rb")  # pylint: disable=consider-using-with
    except OSError as exc:
        raise InputError("The log file '{}' cannot be opened: {}.".format(source, exc.strerror or exc),
                         "Check that you can read the file.") from None


def _gunzip_chunks(raw, first):
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    data = first
    while data:
        try:
            out = decompressor.decompress(data)
            while decompressor.unused_data:
                # Concatenated gzip members (e.g. rotated logs joined with cat).
                rest = decompressor.unused_data
                decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
                out += decompressor.decompress(rest)
        except zlib.error as exc:
            raise InputError("The compressed log is damaged: {}.".format(exc),
                             "Check the .gz file with 'gzip -t', or pass the uncompressed log.") from None
        if out:
            yield out
        data = raw.read(CHUNK_SIZE)
    tail = decompressor.flush()
    if tail:
        yield tail


def _raw_chunks(raw, first):
    data = first
    while data:
        yield data
        data = raw.read(CHUNK_SIZE)


def _transcode(chunks, encoding):
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    for chunk in chunks:
        text = decoder.decode(chunk)
        if text:
            yield text.encode("utf-8")
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail.encode("utf-8")


def _looks_binary(sample):
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return control > len(sample) // 10


def _read_first(raw):
    try:
        return raw.read(CHUNK_SIZE)
    except OSError as exc:
        raise InputError("The input cannot be read: {}.".format(exc.strerror or exc), None) from None


def utf8_chunks(raw):
    """Yield the input's bytes as UTF-8 chunks (gunzipped, transcoded), refusing binary data."""
    first = _read_first(raw)
    chunks = _gunzip_chunks(raw, first) if first.startswith(_GZIP_MAGIC) else _raw_chunks(raw, first)
    chunks = iter(chunks)
    head = next(chunks, b"")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield from _transcode(_prepend(head, chunks), "utf-16")
        return
    elif _is_bomless_utf16(head[:_SNIFF_SIZE]):
        encoding = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        yield from _transcode(_prepend(head, chunks), encoding)
        return
    if _looks_binary(head[:_SNIFF_SIZE]):
        raise InputError("The input is binary data, not a text log.",
                         "Pass the text log written by 'az ... --debug' (or a .gz of it).")
    if head:
        yield head
    yield from chunks


def _is_bomless_utf16(sample):
    # PowerShell's Out-File writes UTF-16 LE; without a BOM every other byte of ASCII is NUL.
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return (odd_nuls > half * 0.9 and even_nuls == 0) or (even_nuls > half * 0.9 and odd_nuls == 0)


def _prepend(head, chunks):
    yield head
    yield from chunks


def read_chunks(source):
    """Yield UTF-8 chunks of ``source`` (a path or ``-``); closes files it opened."""
    raw = open_source(source)
    try:
        yield from utf8_chunks(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError("The input cannot be read: {}.".format(exc), None) from None
    finally:
        if raw is not getattr(sys.stdin, "buffer", None):
            raw.close()


def text_chunks(text):
    """The chunks of an in-memory text (``--message``)."""
    data = text.encode("utf-8", errors="replace")
    for start in range(0, len(data), CHUNK_SIZE):
        yield data[start:start + CHUNK_SIZE]
