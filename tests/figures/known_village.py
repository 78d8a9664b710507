"""A small village whose figures are known: requests with fixed timelines in January to March
2026 (Asia/Jakarta, UTC+7), requests waiting now, and Lapak orders. The answers are in the
tests that read it, worked out by hand from the times below."""
import datetime

from balai.db import now
from balai.letters.models import LetterEvent
from balai.market.orders import Order
from tests.support.market import make_product, make_shop, place
from tests.support.village import AHMAD, BUDI, SITI, make_request


def utc(text):
    return datetime.datetime.fromisoformat(text)


def request_with(moves, nik=BUDI, slug="domisili", status=None, waited=None):
    """A request whose timeline is `moves`: (action, from, to, UTC time, reason category)."""
    letter = make_request(nik=nik, slug=slug, status=status or moves[-1][2])
    for action, before, after, at, *category in moves:
        LetterEvent.create(request=letter, role="kasi_pem", action=action, from_status=before,
                           to_status=after, at=utc(at), note="Catatan berisi nama orang",
                           reason_category=category[0] if category else None)
    if moves[-1][2] == "selesai":
        letter.issued_at = utc(moves[-1][3])
    if waited is not None:
        letter.submitted_at = now() - waited
    letter.save()
    return letter


def build():
    hours = datetime.timedelta(hours=1)
    # Sent on 31 December in the village (16:00 UTC is 23:00 WIB): outside the period, but the
    # Kasi's decision (8 h later) falls in January. Waits at the Sekdes 5 days.
    request_with([("ajukan", "draf", "diajukan", "2025-12-31 16:00"),
                  ("setujui", "diajukan", "diverifikasi", "2026-01-01 00:00")],
                 waited=5 * 24 * hours)
    # January: the whole route. Kasi 4 h, Sekdes 20 h, Kades 2 h; issued after 26 h.
    request_with([("ajukan", "draf", "diajukan", "2026-01-05 01:00"),
                  ("setujui", "diajukan", "diverifikasi", "2026-01-05 05:00"),
                  ("setujui", "diverifikasi", "diperiksa", "2026-01-06 01:00"),
                  ("setujui", "diperiksa", "selesai", "2026-01-06 03:00"),
                  ("terbit", "selesai", "selesai", "2026-01-06 03:00")])
    # Sent at 01:00 WIB on 1 February (18:00 UTC the day before): a February request. Returned
    # after 6 h, sent again, Kasi 2 h, Sekdes 10 h, Kades 15 h; issued 57 h after first sent.
    request_with([("ajukan", "draf", "diajukan", "2026-01-31 18:00"),
                  ("kembalikan", "diajukan", "dikembalikan", "2026-02-01 00:00", "berkas_kurang"),
                  ("ajukan", "dikembalikan", "diajukan", "2026-02-02 00:00"),
                  ("setujui", "diajukan", "diverifikasi", "2026-02-02 02:00"),
                  ("setujui", "diverifikasi", "diperiksa", "2026-02-02 12:00"),
                  ("setujui", "diperiksa", "selesai", "2026-02-03 03:00")], nik=SITI)
    # February, Kesra: rejected by the Kasi after 8 h.
    request_with([("ajukan", "draf", "diajukan", "2026-02-10 00:00"),
                  ("tolak", "diajukan", "ditolak", "2026-02-10 08:00", "data_tidak_sesuai")],
                 nik=AHMAD, slug="tidak-mampu")
    # March: Kasi 1 h, then rejected by the Sekdes after 24 h.
    request_with([("ajukan", "draf", "diajukan", "2026-03-02 00:00"),
                  ("setujui", "diajukan", "diverifikasi", "2026-03-02 01:00"),
                  ("tolak", "diverifikasi", "ditolak", "2026-03-03 01:00", "bukan_wewenang")])
    # March: returned after 3 h, before categories were kept (none recorded).
    request_with([("ajukan", "draf", "diajukan", "2026-03-05 00:00"),
                  ("kembalikan", "diajukan", "dikembalikan", "2026-03-05 03:00")], nik=AHMAD)
    # March: sent, waits at the Kasi for 2 days now.
    request_with([("ajukan", "draf", "diajukan", "2026-03-10 00:00")], waited=2 * 24 * hours)
    # March, Kesra: returned after 5 h.
    request_with([("ajukan", "draf", "diajukan", "2026-03-20 00:00"),
                  ("kembalikan", "diajukan", "dikembalikan", "2026-03-20 05:00",
                   "bukan_wewenang")], nik=SITI, slug="tidak-mampu")
    # Waiting now, with no timeline in the period: at the Kasi 1 h, at the Sekdes 10 days.
    request_with([("ajukan", "draf", "diajukan", "2026-04-01 00:00")], waited=hours)
    request_with([("ajukan", "draf", "diajukan", "2026-04-02 00:00")], status="diverifikasi",
                 waited=10 * 24 * hours)
    orders()


def orders():
    """January: one finished (2 x 15.000), one still new; March: one cancelled; April: one."""
    product = make_product(make_shop(), stock=20)
    for status, placed in (("selesai", "2026-01-10 03:00"), ("baru", "2026-01-31 20:00"),
                           ("dibatalkan", "2026-03-15 00:00"), ("selesai", "2026-04-01 00:00")):
        order = place(product, quantity=2)
        Order.update(status=status, created_at=utc(placed)).where(Order.id == order.id).execute()
