"""The demo village "Desa Sukamaju": officials, residents and every letter type."""
import datetime
import functools
import os

from werkzeug.security import generate_password_hash

from models import LetterType, Person, Product, Shop, User, Village, db

DEMO_PASSWORD = "sukamaju123"
OFFICIALS = [
    ("operator", "operator", "Rina Operator"),
    ("kasipem", "kasi_pem", "Dedi Kurniawan"),
    ("kasikesra", "kasi_kesra", "Euis Komariah"),
    ("sekdes", "sekdes", "Asep Saepudin"),
    ("kades", "kades", "H. Ujang Suryana"),
]
RESIDENTS = [
    dict(nik="3213051508900001", kk_number="3213050101100001", name="Budi Santoso",
         birth_place="Subang", birth_date=datetime.date(1990, 8, 15), sex="L", religion="Islam",
         marital_status="Belum Kawin", occupation="Petani", address="Jl. Raya Sukamaju No. 12",
         rt="001", rw="002", dusun="Dusun I"),
    dict(nik="3213055503920002", kk_number="3213050101100002", name="Siti Aminah",
         birth_place="Subang", birth_date=datetime.date(1992, 3, 15), sex="P", religion="Islam",
         marital_status="Kawin", occupation="Pedagang", address="Kp. Cibeureum",
         rt="003", rw="001", dusun="Dusun II"),
    dict(nik="3213050101850003", kk_number="3213050101100003", name="Ahmad Hidayat",
         birth_place="Bandung", birth_date=datetime.date(1985, 1, 1), sex="L", religion="Islam",
         marital_status="Kawin", occupation="Buruh Harian Lepas", address="Kp. Babakan",
         rt="002", rw="003", dusun="Dusun III"),
]

_INTRO = ("Yang bertanda tangan di bawah ini Kepala {{ desa }}, Kecamatan {{ kecamatan }}, "
          "{{ kabupaten }}, menerangkan bahwa:")
_CLOSE = "Demikian surat ini dibuat untuk dipergunakan sebagaimana mestinya."
KTP = {"key": "ktp", "label": "Foto KTP", "mandatory": True}
KK = {"key": "kk", "label": "Foto Kartu Keluarga", "mandatory": True}


def _type(code, slug, name, verifier, statement, requirements=(KTP, KK), extra=(), days=30):
    body = f"{_INTRO}\n\n{statement}\n\nSurat ini diberikan untuk keperluan: {{{{ keperluan }}}}.\n\n{_CLOSE}"
    return dict(code=code, slug=slug, name=name, verifier=verifier, body_template=body,
                requirements=list(requirements), extra_fields=list(extra), validity_days=days)


LETTER_TYPES = [
    _type("470", "domisili", "Surat Keterangan Domisili", "kasi_pem",
          "Nama tersebut di atas benar berdomisili di {{ alamat }} RT {{ rt }} RW {{ rw }}, "
          "{{ dusun }}, {{ desa }}."),
    _type("510", "usaha", "Surat Keterangan Usaha", "kasi_pem",
          "Nama tersebut di atas benar memiliki usaha {{ jenis_usaha }} dengan nama "
          "\"{{ nama_usaha }}\" yang beralamat di {{ alamat_usaha }}.",
          requirements=(KTP, KK, {"key": "foto_usaha", "label": "Foto tempat usaha", "mandatory": False}),
          extra=({"key": "nama_usaha", "label": "Nama usaha"},
                 {"key": "jenis_usaha", "label": "Jenis usaha"},
                 {"key": "alamat_usaha", "label": "Alamat usaha"}), days=180),
    _type("474", "belum-menikah", "Surat Keterangan Belum Menikah", "kasi_pem",
          "Menurut data kependudukan dan keterangan yang bersangkutan, nama tersebut di atas "
          "sampai saat ini belum pernah menikah."),
    _type("401", "tidak-mampu", "Surat Keterangan Tidak Mampu", "kasi_kesra",
          "Nama tersebut di atas benar warga {{ desa }} yang tergolong keluarga tidak mampu.",
          requirements=(KTP, KK, {"key": "pengantar_rt", "label": "Surat pengantar RT/RW", "mandatory": True})),
    _type("331", "pengantar-skck", "Surat Pengantar SKCK", "kasi_pem",
          "Nama tersebut di atas benar warga {{ desa }} dan sepanjang pengetahuan kami "
          "berkelakuan baik serta tidak sedang tersangkut perkara pidana.",
          requirements=(KTP, KK, {"key": "pas_foto", "label": "Pas foto 4x6", "mandatory": True})),
    _type("551", "pengantar-sim", "Surat Pengantar SIM", "kasi_pem",
          "Nama tersebut di atas benar warga {{ desa }} dan bermaksud mengajukan permohonan "
          "Surat Izin Mengemudi."),
    _type("471", "pengantar-ktp", "Surat Pengantar KTP", "kasi_pem",
          "Nama tersebut di atas benar warga {{ desa }} dan bermaksud mengurus Kartu Tanda "
          "Penduduk elektronik.", requirements=(KK,)),
    _type("472", "pengantar-kk", "Surat Pengantar KK", "kasi_pem",
          "Nama tersebut di atas benar warga {{ desa }} dan bermaksud mengurus perubahan "
          "Kartu Keluarga.", requirements=(KTP, KK)),
]


def seed_letter_types():
    for data in LETTER_TYPES:
        if not LetterType.select().where(LetterType.slug == data["slug"]).exists():
            LetterType.create(**data)


@functools.cache
def demo_password_hash():
    """One hash for every demo account: they share the demo password."""
    return generate_password_hash(DEMO_PASSWORD)


def make_official(username, role, full_name, password):
    user = User(username=username, role=role, full_name=full_name, active=True)
    user.set_password(password)
    user.save()
    return user


def seed_demo():
    """Create the demo village; do nothing if it is there already. Returns the accounts made."""
    if User.select().exists():
        return []
    accounts = []
    with db.atomic():
        Village.current()
        Village.update(name="Desa Sukamaju", kecamatan="Sukamaju", kabupaten="Kabupaten Subang",
                       provinsi="Jawa Barat", kode_desa="3213052001",
                       address="Jl. Raya Sukamaju No. 1, Subang 41211", phone="(0260) 411 234",
                       email="pemdes@sukamaju.desa.id", kades_name="H. Ujang Suryana",
                       public_url=os.environ.get("BALAI_PUBLIC_URL", "http://127.0.0.1:5000")).execute()
        seed_letter_types()
        for username, role, full_name in OFFICIALS:
            User.create(username=username, role=role, full_name=full_name, active=True,
                        password_hash=demo_password_hash())
            accounts.append((username, role, DEMO_PASSWORD))
        for data in RESIDENTS:
            person = Person.create(**data)
            User.create(person=person, role="warga", active=True, password_hash=demo_password_hash())
            accounts.append((data["nik"], f"warga ({data['name']})", DEMO_PASSWORD))
        seed_market()
    return accounts


# Two approved lapak: (owner NIK, lapak, products as (name, category, price, unit, stock, text)).
MARKET = [
    ("3213055503920002",
     dict(name="Warung Bu Siti", description="Camilan dan masakan rumahan, dibuat setiap pagi.",
          whatsapp="6281234567801", location="RT 003 RW 001, Kp. Cibeureum",
          delivery="ambil,antar", hours="Setiap hari 06.00-17.00"),
     [("Keripik singkong pedas", "makanan", 15000, "bungkus", 24,
       "Singkong dari kebun sendiri, bumbu cabai asli. Isi 250 gram."),
      ("Rengginang ketan", "makanan", 20000, "bungkus", 10, "Rengginang mentah, tinggal digoreng."),
      ("Nasi uduk komplit", "makanan", 12000, "porsi", 15,
       "Nasi uduk, telur balado, orek tempe, sambal kacang. Pesan sebelum jam 9 pagi."),
      ("Gula aren cetak", "makanan", 28000, "kg", 0, "Gula aren asli dari penyadap Sukamaju.")]),
    ("3213050101850003",
     dict(name="Kebun Pak Ahmad", description="Sayur dan buah dari kebun di Kp. Babakan.",
          whatsapp="6285712345602", location="RT 002 RW 003, Kp. Babakan", delivery="ambil",
          hours="Senin-Sabtu 07.00-12.00"),
     [("Pisang raja", "tani", 25000, "sisir", 8, "Pisang raja matang pohon, satu sisir 12-14 buah."),
      ("Kangkung segar", "tani", 3000, "ikat", 40, "Dipetik pagi hari."),
      ("Telur ayam kampung", "ternak", 2500, "pcs", 60, "Dari ayam kampung yang dilepas di kebun."),
      ("Beras pandan wangi", "tani", 14000, "kg", 100, "Panen bulan ini, digiling di desa.")]),
]


def seed_market():
    """The demo lapak, approved, with their products approved too."""
    for nik, shop_data, products in MARKET:
        owner = User.by_login(nik)
        shop = Shop.create(owner=owner, status="disetujui", **shop_data)
        for name, category, price, unit, stock, text in products:
            Product.create(shop=shop, name=name, category=category, price=price, unit=unit,
                           stock=stock, description=text, status="disetujui")


def demo_accounts():
    """(login, role, password) for each demo account present in the database."""
    accounts = [(username, role, DEMO_PASSWORD) for username, role, _ in OFFICIALS]
    accounts += [(r["nik"], f"warga ({r['name']})", DEMO_PASSWORD) for r in RESIDENTS]
    return [a for a in accounts if User.by_login(a[0]) is not None]
