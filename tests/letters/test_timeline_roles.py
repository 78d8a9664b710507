"""The timeline names each official with the role they decided in."""
from balai.people.models import User
from tests.support.village import make_request


def test_the_timeline_names_the_officials_role_and_the_residents_name_alone(db, budi):
    letter = make_request()
    letter.apply("ajukan", letter.created_by)
    letter.apply("setujui", User.by_login("kasipem"))
    page = budi.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert "Disetujui oleh Dedi Kurniawan (Kasi Pemerintahan)" in page
    assert "Diajukan oleh Budi Santoso<" in page or "Diajukan oleh Budi Santoso\n" in page
    assert "(Warga)" not in page
