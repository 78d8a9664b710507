"""Reading a PDF that anyone may upload: a cheap scan of the raw bytes refuses files that
declare or inflate to too much, then the real reading runs in a child process with a time and
memory limit, so a file that slips past the scan costs the web worker neither."""
import collections
import logging
import multiprocessing
import os
import re
import resource
import time
import zlib
from pathlib import Path

MAX_OBJECTS = 50_000  # a signed letter has about 30 objects, a long scan a few thousand
MAX_STREAMS = 10_000  # a scan of a thousand pages has about 3,000
MAX_STREAM = 64 << 20  # bytes one stream may inflate to: more than an A4 page in colour at 600 dpi
MAX_INFLATED = 128 << 20  # all streams together, which bounds the scan's own time
MAX_ENTRY_WIDTH = 8  # bytes in one field of an xref stream entry (real files use 1 to 4)
HEAD = 1024  # how far before its data a stream's dictionary is looked for (a few hundred bytes)
SECONDS = 3  # to start the child and read; with the scan (under a second), answered in 5 s
READ_SECONDS = 1  # the least left to read after a worker's first, slow start of the child
MEMORY = 256 << 20  # what the child may allocate on top of what it starts with
CHUNK_IN, CHUNK_OUT = 16 << 10, 1 << 20  # small input: what follows a stream is copied once

# Every pattern starts with a literal and runs over the raw bytes in linear time (a pattern
# such as rb"\d+\s+\d+\s+obj" takes seconds on a few kilobytes of digits).
SIZE = re.compile(rb"/Size\s+(\d{1,12})")  # in a trailer or an xref stream's dictionary
STREAM = re.compile(rb">>\s*stream(?:\r\n|\r|\n)")
XREF_STREAM = re.compile(rb"/Type\s*/XRef\b")
OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
COUNT = re.compile(rb"/N\s+(\d{1,12})")
WIDTHS = re.compile(rb"/W\s*\[([\d\s]*)\]")
INDEX = re.compile(rb"/Index\s*\[([\d\s]*)\]")

log = logging.getLogger(__name__)


class Refused(Exception):
    """A PDF we will not read: too big or too intricate, or its reading ran out of time or
    memory. The message (for the log) says which bound it crossed."""


def read(data, reader, *args):
    """reader(data, *args), run on an untrusted PDF in a child process once scan(data) passes.

    reader is a module-level function that deals with a broken file itself and returns
    something that pickles. Raises Refused when the scan fails or the child runs out of time or
    memory."""
    try:
        scan(data)
        return _in_child(reader, data, args)
    except Refused as refused:
        log.warning("Untrusted PDF of %d bytes refused: %s", len(data), refused)
        raise


def scan(data):
    """Refused unless the raw bytes promise a bounded reading: at most MAX_OBJECTS objects
    (written out, declared by a trailer or xref stream, or packed in object streams), at most
    MAX_STREAMS streams, and every Flate stream inflating to at most MAX_STREAM bytes,
    MAX_INFLATED in all."""
    objects = data.count(b"obj") - data.count(b"endobj")
    declared = 0
    for number, size in enumerate(SIZE.finditer(data)):  # one per trailer or xref stream
        if number >= MAX_STREAMS:
            raise Refused(f"over {MAX_STREAMS} trailers")
        declared = max(declared, int(size.group(1)))
    flate = []  # (where the data starts, how many Flate filters) of each Flate stream
    for number, match in enumerate(STREAM.finditer(data)):
        if number >= MAX_STREAMS:
            raise Refused(f"over {MAX_STREAMS} streams")
        window = max(0, match.start() - HEAD)  # the stream's dictionary, from its `obj`:
        head = (max(window, data.rfind(b"obj", window, match.start())), match.start())
        if XREF_STREAM.search(data, *head):
            declared = max(declared, _xref_entries(data, head))
        elif OBJECT_STREAM.search(data, *head) and (count := COUNT.search(data, *head)):
            objects += int(count.group(1))
        if filters := data.count(b"/FlateDecode", *head):
            flate.append((match.end(), filters))
    if max(objects, declared) > MAX_OBJECTS:
        raise Refused(f"{max(objects, declared)} objects")
    inflater = _Inflater(data)
    for start, filters in flate:
        inflater.stream(start, filters)


def _xref_entries(data, head):
    """The entries an xref stream's /Index declares (its /Size is counted with the trailers');
    Refused for a field wider than MAX_ENTRY_WIDTH bytes."""
    widths = WIDTHS.search(data, *head)
    if widths and any(int(width) > MAX_ENTRY_WIDTH for width in widths.group(1).split()):
        raise Refused("xref stream entries too wide")
    index = INDEX.search(data, *head)
    return sum(int(count) for count in index.group(1).split()[1::2]) if index else 0


class _Inflater:
    """Inflates a file's Flate streams a chunk at a time, keeping nothing but the count of
    bytes each filter of each stream gives; Refused past MAX_STREAM or MAX_INFLATED."""

    def __init__(self, data):
        self.view, self.total = memoryview(data), 0

    def stream(self, start, filters):
        chunks = (self.view[at:at + CHUNK_IN] for at in range(start, len(self.view), CHUNK_IN))
        for _ in range(filters):
            chunks = self._inflated(chunks)
        try:
            collections.deque(chunks, maxlen=0)
        except zlib.error:
            pass  # not zlib data after all: the reader will say what it makes of it

    def _inflated(self, chunks):
        inflate, produced = zlib.decompressobj(), 0
        for chunk in chunks:
            while chunk and not inflate.eof:
                out = inflate.decompress(chunk, CHUNK_OUT)
                produced += len(out)
                self.total += len(out)
                if produced > MAX_STREAM or self.total > MAX_INFLATED:
                    raise Refused(f"a stream inflates past {produced} bytes, all past {self.total}")
                yield out
                chunk = inflate.unconsumed_tail
            if inflate.eof:
                return


def _in_child(reader, data, args):
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the reader's module once; each child then starts ready to read.
    context.set_forkserver_preload([reader.__module__])
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_bounded, args=(sending, reader, data, args), daemon=True)
    started = time.monotonic()
    child.start()  # a worker's first start also waits (a second or more) for the fork server
    sending.close()
    try:
        if not receiving.poll(max(SECONDS - (time.monotonic() - started), READ_SECONDS)):
            raise Refused(f"no answer after {time.monotonic() - started:.1f} s")
        return receiving.recv()
    except EOFError:  # the child ended without an answer: out of memory, or the reader failed
        child.join(1)
        raise Refused(f"reading ended without an answer (exit code {child.exitcode})") from None
    finally:
        child.kill()
        child.join()
        receiving.close()


def _bounded(sending, reader, data, args):
    """In the child: cap memory and processor time, then read and send the answer."""
    in_use = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    _lower(resource.RLIMIT_AS, in_use + MEMORY)
    _lower(resource.RLIMIT_CPU, SECONDS + 1)  # should the parent be gone
    try:
        answer = reader(data, *args)
    except MemoryError:
        return  # the parent sees the pipe close
    sending.send(answer)


def _lower(kind, soft):
    hard = resource.getrlimit(kind)[1]
    resource.setrlimit(kind, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
