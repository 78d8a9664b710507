"""Error pages in Bahasa Indonesia: Flask's own are English, and every error a visitor can meet
gets a message of ours (for htmx, in the page's message area)."""
from flask import render_template
from flask_wtf.csrf import CSRFError

from balai.villages.context import NoVillageChosen
from balai.web.htmx import is_htmx

ERROR_MESSAGES = {
    400: "Permintaan ini tidak dapat diproses. Muat ulang halaman, lalu coba lagi.",
    403: "Anda tidak berhak melakukan tindakan ini.",
    404: "Halaman yang Anda cari tidak ditemukan.",
    405: "Alamat ini tidak dapat dibuka dengan cara itu. Kembali ke halaman sebelumnya, lalu "
         "gunakan tombol yang tersedia.",
    500: "Maaf, terjadi gangguan di server. Coba lagi sebentar; bila tetap gagal, hubungi "
         "kantor desa.",
}
EXPIRED_FORM = ("Halaman ini sudah terlalu lama dibuka sehingga formulirnya kedaluwarsa. "
                "Muat ulang halaman, lalu kirim lagi.")


def error_page(message, status):
    """A plain page in Bahasa Indonesia; for htmx, the message goes into the page's message area."""
    if is_htmx():
        html = render_template("_message.html", message=message, category="error")
        return html, status, {"HX-Retarget": "#pesan", "HX-Reswap": "innerHTML"}
    return render_template("error.html", message=message, status=status, category="error"), status


def too_large_message(config):
    each = config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
    total = config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    return (f"Berkas yang Anda kirim terlalu besar. Ukuran paling besar {each} MB per berkas dan "
            f"{total} MB sekali kirim. Perkecil foto atau pindai ulang dengan resolusi lebih "
            "rendah, atau kirim berkasnya sebagian dulu, lalu coba lagi.")


def register(app):
    app.register_error_handler(CSRFError, lambda error: error_page(EXPIRED_FORM, 400))
    app.register_error_handler(413, lambda error: error_page(too_large_message(app.config), 413))
    for status, message in ERROR_MESSAGES.items():
        app.register_error_handler(status, lambda error, m=message, s=status: error_page(m, s))
    # A village's page where no village is chosen (the regency office's host): not found there.
    app.register_error_handler(NoVillageChosen, lambda error: error_page(ERROR_MESSAGES[404], 404))
