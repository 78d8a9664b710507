"""Signing in a real browser without JavaScript: a batch, one approval, a revocation, the check."""
from balai.demo import seed
from tests.support.signing import PASSPHRASE, reloaded, stored_pdf
from tests.support.village import AHMAD, SITI, make_request


def test_without_javascript_sign_a_batch_and_one_revoke_and_check(app, db, browser, live_server,
                                                                  tmp_path):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.base = live_server
    first, second, third = (make_request(status="diperiksa", nik=nik)
                            for nik in (seed.RESIDENTS[0]["nik"], SITI, AHMAD))
    page.goto(page.base + "/masuk")
    page.fill("input[name=login]", "kades")
    page.fill("input[name=password]", seed.DEMO_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.goto(page.base + "/kotak-masuk")
    page.check(f"#pilih-{first.id}")
    page.check(f"#pilih-{third.id}")
    page.fill("#tandatangani #passphrase", PASSPHRASE)
    page.click("text=Setujui & tanda tangani yang dipilih")
    page.wait_for_selector("text=2 dari 2 surat terbit")
    assert reloaded(second).status == "diperiksa"
    page.goto(f"{page.base}/kotak-masuk/{second.id}")
    page.fill("#passphrase", PASSPHRASE)
    page.click("button[value=setujui]")
    page.wait_for_selector("text=disetujui")
    signed = reloaded(second)
    assert signed.status == "selesai" and signed.signer_id
    page.goto(f"{page.base}/kotak-masuk/{second.id}")
    page.click("text=Cabut surat")
    page.fill("#note", "Salah ketik nama")
    page.click("text=Ya, cabut surat ini")
    page.wait_for_selector("text=sudah dicabut")
    (tmp_path / "surat.pdf").write_bytes(stored_pdf(app, signed))
    page.goto(f"{page.base}/verifikasi/{signed.verify_token}")
    page.set_input_files("#berkas", str(tmp_path / "surat.pdf"))
    page.click("button:has-text('Periksa berkas')")
    page.wait_for_selector("text=Hasil pemeriksaan")
    assert "ASLI" in page.content() and "DICABUT" in page.content()
