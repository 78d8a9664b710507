"""Two villages of one installation on two host names, in one Chromium that resolves *.desa.test
to 127.0.0.1 (and nothing else outside loopback): a resident of each asks for a letter, each
village's officials approve it, each letter carries its own village's kop, number and Kades's
signature, and no page of either village shows anything of the other's."""
import dataclasses
import re

import pytest
from playwright.sync_api import Error, expect

from balai.demo import seed
from balai.letters.models import LetterRequest
from balai.people.models import User
from balai.signing import pdf_check
from balai.signing.issuer import issuer_name
from balai.signing.models import SignerCertificate
from balai.villages.context import village_context
from balai.villages.models import Village
from tests.support.browser import login_page, on_host
from tests.support.journey import (
    approve_from_detail_page,
    approve_from_inbox_row,
    check_pdf,
    download_letter,
    pdf_text,
    qr_codes,
    submit_domisili,
)
from tests.support.village import BUDI
from tests.support.villages import (
    HOST_A,
    HOST_B,
    MEKARJAYA_RESIDENT,
    MEKARJAYA_SIGNING_PASSPHRASE,
    founded_village,
)


@pytest.fixture(scope="module")
def mapped_hosts():
    return ("*.desa.test",)


@dataclasses.dataclass
class Side:
    """One village as the test meets it, and what it leaves: its letter and the pages seen."""
    village: int
    host: str
    url: str
    name: str
    resident_login: str
    resident: str
    kades: str
    purpose: str
    passphrase: str
    number: str  # the pattern its first letter's number follows
    letter: LetterRequest = None
    pages: list = dataclasses.field(default_factory=list)

    def own(self):
        """What only this village's pages may show."""
        return [self.name.removeprefix("Desa "), self.resident, self.kades, self.purpose,
                self.letter.number]


def test_the_browser_finds_desa_test_names_on_loopback_and_no_other_name(page, live_server):
    assert page.goto(on_host(live_server, "lain.desa.test")).ok  # one village: any host
    with pytest.raises(Error, match="ERR_NAME_NOT_RESOLVED"):
        page.goto("http://example.com/")


def sides(app, live_server):
    mekarjaya = founded_village(app)
    return [Side(1, HOST_A, on_host(live_server, HOST_A), "Desa Sukamaju", BUDI, "Budi Santoso",
                 "H. Ujang Suryana", "Melamar pekerjaan di pabrik sepatu",
                 seed.DEMO_SIGNING_PASSPHRASE, r"470/001/3213052001/[IVX]+/20\d\d"),
            Side(mekarjaya, HOST_B, on_host(live_server, HOST_B), "Desa Mekarjaya",
                 MEKARJAYA_RESIDENT["nik"], MEKARJAYA_RESIDENT["name"], "Hj. Nenah Suryani",
                 "Mendaftar kuliah keperawatan", MEKARJAYA_SIGNING_PASSPHRASE,
                 r"470/001/MKJ/20\d\d")]


def seen(page, url, side):
    """Open url as page; keep its HTML among the pages this side showed."""
    page.goto(url)
    side.pages.append((url, page.content()))


def test_two_villages_on_two_hosts_each_issue_their_own_letter(app, browser, live_server, db,
                                                                tmp_path):
    both = sides(app, live_server)
    residents = {}
    for side in both:
        Village.update(public_url=side.url).where(Village.id == side.village).execute()
        residents[side.host] = login_page(browser, side.url, side.resident_login)
        (tmp_path / side.host).mkdir()
        with village_context(side.village):
            side.letter = submit_domisili(residents[side.host], side.url, tmp_path / side.host,
                                          side.purpose)

    for side in both:  # both letters wait at a Kasi: each Kasi's inbox shows their own only
        kasi = login_page(browser, side.url, "kasipem")
        seen(kasi, f"{side.url}/kotak-masuk", side)
        expect(kasi.locator("main")).to_contain_text(side.resident)
        kasi.context.close()
        with village_context(side.village):
            approve_from_detail_page(browser, side.url, "kasipem", side.letter, side.purpose,
                                     side.resident)
            approve_from_inbox_row(browser, side.url, "sekdes", side.letter, side.resident)
            approve_from_detail_page(browser, side.url, "kades", side.letter, side.purpose,
                                     side.resident, side.passphrase)
            side.letter = LetterRequest.get_by_id(side.letter.id)
        assert side.letter.status == "selesai"
        assert re.fullmatch(side.number, side.letter.number), side.letter.number

    for side in both:
        resident = residents[side.host]
        seen(resident, f"{side.url}/surat/{side.letter.id}", side)
        expect(resident.locator("main")).to_contain_text(f"Nomor surat: {side.letter.number}")
        pdf_path = download_letter(resident, tmp_path / side.host / "surat.pdf")
        check_letter(app, side, pdf_path, other=next(s for s in both if s is not side))
        seen(resident, f"{side.url}/surat", side)
        seen(resident, f"{side.url}/verifikasi/{side.letter.verify_token}", side)
        expect(resident.locator("main")).to_contain_text("masih berlaku")
        expect(resident.locator("main")).to_contain_text(side.letter.number)
        operator = login_page(browser, side.url, "operator")
        seen(operator, f"{side.url}/operator/register", side)
        expect(operator.locator("main")).to_contain_text(side.letter.number)
        operator.context.close()

    for side, other in zip(both, both[::-1]):
        resident = residents[side.host]
        for url in (f"{side.url}/verifikasi/{other.letter.verify_token}",
                    f"{side.url}/surat/{other.letter.id}"):
            response = resident.goto(url)
            assert response.status == 404, url
            side.pages.append((url, resident.content()))
        for url, html in side.pages:
            assert side.name.removeprefix("Desa ") in html, url
            for trace in other.own():
                assert trace not in html, (url, trace)


def check_letter(app, side, pdf_path, other):
    """The PDF's kop, number and QR code are its village's; its signature is its own Kades's,
    from its own CA, and is no signature of the other village's."""
    text = pdf_text(pdf_path)
    assert side.name.upper() in text and side.letter.number in text
    assert side.resident in text or side.resident.upper() in text
    assert f"CA {side.name}" in text  # the footer names the certificate's issuer
    for trace in other.own()[:4]:
        assert trace not in text and trace.upper() not in text, trace
    assert qr_codes(pdf_path) == [f"{side.url}/verifikasi/{side.letter.verify_token}"]
    verdict = check_pdf(app, pdf_path.read_bytes(), side.village)
    with village_context(side.village):
        kades_key = SignerCertificate.current_for(User.by_login("kades"))
    assert verdict.status == pdf_check.ASLI
    assert verdict.signer.fingerprint == kades_key.fingerprint
    assert issuer_name(verdict.signer.cert_pem) == f"CA {side.name}"
    assert check_pdf(app, pdf_path.read_bytes(), other.village).status == pdf_check.BUKAN
