"""The population import in a real browser: the form, the preview, applying, and the progress
bar that follows the worker by htmx polling, or by reloading itself without JavaScript."""
import re

import pytest
from playwright.sync_api import expect

from balai.operator.population_import import PopulationImport
from balai.people.models import Person
from tests.support.browser import login_page
from tests.support.spreadsheets import HEADER, csv_bytes, resident_rows


def test_the_operator_uploads_previews_and_applies(db, browser, live_server, tmp_path):
    path = tmp_path / "penduduk.csv"
    path.write_bytes(csv_bytes([HEADER] + resident_rows(8)))
    page = login_page(browser, live_server, "operator")
    page.goto(f"{live_server}/operator/penduduk/")
    page.click("text=Impor dari spreadsheet")
    page.set_input_files("input[name=berkas]", str(path))
    page.click("text=Unggah dan periksa")
    expect(page.locator("main")).to_contain_text("Baru: 8")
    page.click("text=Terapkan 8 perubahan")
    expect(page.locator("main")).to_contain_text("Sudah diterapkan: 8 penduduk baru")
    assert Person.select().where(Person.name.startswith("Warga")).count() == 8


@pytest.mark.parametrize("javascript", [True, False])
def test_the_progress_bar_follows_the_worker(db, browser, live_server, tmp_path, javascript):
    path = tmp_path / "penduduk.csv"
    path.write_bytes(csv_bytes([HEADER] + resident_rows(4)))
    page = login_page(browser, live_server, "operator", javascript=javascript)
    page.goto(f"{live_server}/operator/penduduk/impor/")
    page.set_input_files("input[name=berkas]", str(path))
    page.click("text=Unggah dan periksa")
    page.wait_for_url(re.compile(r"/impor/\d+$"))  # reloading mid-navigation detaches the page
    batch = PopulationImport.select().order_by(PopulationImport.id.desc()).first()
    PopulationImport.update(status="staging", total_rows=4, done_rows=2).execute()
    page.reload()
    expect(page.locator("progress")).to_have_attribute("value", "50")
    PopulationImport.update(done_rows=4).execute()
    if javascript:  # htmx polls the bar in place
        expect(page.locator("progress")).to_have_attribute("value", "100")
    PopulationImport.update(status="ready").where(PopulationImport.id == batch.id).execute()
    expect(page.locator("main")).to_contain_text("Pratinjau")  # the page came back by itself
    expect(page.locator("progress")).to_have_count(0)
