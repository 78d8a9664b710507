"""The verification page speaks to a villager first: the file's SHA-256 is behind "Detail
teknis" (a <details> element, no JavaScript), below what the letter is and whether it holds."""
import re


def test_the_sha256_sits_behind_detail_teknis(db, objects, client):
    letter = objects["letters"][1][0]
    html = client.get(f"/verifikasi/{objects['token']}").get_data(as_text=True)
    hidden = re.search(r"<details><summary>Detail teknis</summary>(.*?)</details>", html, re.S)
    assert hidden and letter.sha256 in hidden.group(1)
    assert html.count(letter.sha256) == 1
    facts = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S).group(1)
    assert "SHA-256" not in facts and letter.number in facts
