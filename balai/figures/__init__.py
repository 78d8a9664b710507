"""The figures the Kades asks for at the monthly meeting: letters and Lapak orders by month,
time at each step and to completion (and the share within the service standard), what waits
now, returns and rejections by kind of reason.

FIGURES names each one (its CSV's address) and the function that makes it for a Period; a
function may add columns (letters.completion takes `more`), so a figure grows by passing one."""
from balai.figures import letters, orders

FIGURES = {
    "permohonan": letters.sent_per_month,
    "tahap": letters.step_times,
    "selesai": lambda period: letters.completion(period, more=[letters.IN_TIME]),
    "menunggu": lambda period: letters.waiting_now(),
    "dikembalikan": letters.returned_or_rejected,
    "alasan": letters.reasons,
    "pesanan": orders.orders_per_month,
}
