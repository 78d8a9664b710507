"""Ordering from a lapak as a buyer does in the browser: the form, the check page, "Pesan"."""
import re

from balai.market.orders import Order


def order_through_forms(client, product, quantity=1, **choice):
    """(check page html, placed Order) for one product; choice: delivery, dusun, payment, note.
    The Order is None when the form refused the choice (the check page is then the form)."""
    form = {f"qty-{product.id}": str(quantity), **choice}
    check = client.post(f"/lapak/{product.shop_id}/pesan", data=form)
    html = check.get_data(as_text=True)
    if check.status_code != 200:
        return html, None
    form_key = re.search(r'name="form_key" value="([^"]+)"', html).group(1)
    placed = client.post(f"/lapak/{product.shop_id}/pesan/kirim",
                         data={**form, "form_key": form_key})
    assert placed.status_code == 303, placed.get_data(as_text=True)
    return html, Order.get(Order.form_key == form_key)
