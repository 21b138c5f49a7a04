"""Open what the user gave (a file, ``-`` for stdin, a ``.gz``) as a stream of UTF-8 byte chunks.

The input is never read whole: callers iterate over chunks. UTF-16 (with a byte-order mark) is
transcoded on the fly; a UTF-8 byte-order mark is dropped; anything else is passed through as
bytes and decoded leniently later, only where it matters. Input that is clearly not text is
refused with a clear error.
"""

import codecs
import io
import os
import sys
import zlib

CHUNK_SIZE = 4 * 1024 * 1024
_RAW_PIECE = 256 * 1024  # compressed bytes read at a time (a piece can inflate to many chunks)
_SNIFF_SIZE = 8192
_GZIP_MAGIC = b"\x1f\x8b"
STDIN_NAME = "on standard input"


class InputError(Exception):
    """The input cannot be read; ``recommendation`` tells the user what to do."""

    def __init__(self, message, recommendation=None):
        super().__init__(message)
        self.recommendation = recommendation


def _megabytes(count):
    return "{:.1f} MB".format(count / (1024.0 * 1024.0)) if count >= 100 * 1024 else "{} bytes".format(count)


class PartialInputError(InputError):
    """A compressed input that cannot be read to its end (cut short or damaged).

    What was read before the damage is still explained (``explain`` says how many failed operations
    it holds), but the command fails: the part that is missing may hold the failure."""

    def __init__(self, name, problem, compressed_bytes, text_bytes):
        self.name = name
        self.problem = problem
        self.compressed_bytes = compressed_bytes
        self.text_bytes = text_bytes
        super().__init__(self.describe(), self.advice())

    def describe(self, found=None):
        message = "The compressed log {} {}: {} of it read, {} of text decompressed.".format(
            self.name, self.problem, _megabytes(self.compressed_bytes), _megabytes(self.text_bytes))
        if found is not None:
            message += " The text read holds {} distinct failure(s); the rest of the log is missing.".format(found)
        return message

    def advice(self):
        source = "<file>" if self.name == STDIN_NAME else self.name.strip("'")
        return ("Check the file with 'gzip -t {0}' and compress the whole log again; to explain the part that "
                "can be read: gzip -dc {0} | az sig doctor explain --log -".format(source))


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


def _gunzip_chunks(raw, first, name):
    """Decompress in bounded pieces: at most ``CHUNK_SIZE`` bytes of text come out of each call, so
    a small ``.gz`` of a huge log costs no more memory than the log itself would."""
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    read = len(first)  # compressed bytes read so far
    text = 0  # text bytes produced so far
    pending = first
    while True:
        if not pending or (decompressor.eof and len(pending) < len(_GZIP_MAGIC)):
            more = raw.read(_RAW_PIECE)
            if not more:
                break
            read += len(more)
            pending += more
        if decompressor.eof:
            # What follows a complete member: another member (rotated logs joined with cat), or the
            # zeros some tools pad a file with; anything else is damage.
            if not pending.strip(b"\x00"):
                pending = b""
                continue
            if not pending.startswith(_GZIP_MAGIC):
                raise PartialInputError(name, "holds data after the end of its compressed stream", read, text)
            decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            out = decompressor.decompress(pending, CHUNK_SIZE)
        except zlib.error as exc:
            raise PartialInputError(name, "is damaged ({})".format(exc), read, text) from None
        pending = decompressor.unused_data if decompressor.eof else decompressor.unconsumed_tail
        if out:
            text += len(out)
            yield out
        out = None  # not kept alive while the next piece is decompressed
    while not decompressor.eof:
        # Input consumed, output may still be pending inside the decompressor.
        try:
            out = decompressor.decompress(b"", CHUNK_SIZE)
        except zlib.error as exc:
            raise PartialInputError(name, "is damaged ({})".format(exc), read, text) from None
        if not out:
            raise PartialInputError(name, "is cut short", read, text)
        text += len(out)
        yield out


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
        return raw.read(_RAW_PIECE)
    except OSError as exc:
        raise InputError("The input cannot be read: {}.".format(exc.strerror or exc), None) from None


def utf8_chunks(raw, name="the input"):
    """Yield the input's bytes as UTF-8 chunks (gunzipped, transcoded), refusing binary data.
    ``name`` names the input in errors."""
    first = _read_first(raw)
    chunks = _gunzip_chunks(raw, first, name) if first.startswith(_GZIP_MAGIC) else _raw_chunks(raw, first)
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
    head = None  # the first chunk is not kept alive for the whole input
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
    name = STDIN_NAME if source == "-" else "'{}'".format(source)
    try:
        yield from utf8_chunks(raw, name)
    except OSError as exc:
        raise InputError("The input cannot be read: {}.".format(exc), None) from None
    finally:
        if raw is not getattr(sys.stdin, "buffer", None):
            raw.close()


def text_chunks(text):
    """The chunks of an in-memory text (``--message``)."""
    data = text.encode("utf-8", errors="replace")
    for start in range(0, len(data), CHUNK_SIZE):
        yield data[start:start + CHUNK_SIZE]
