"""The demo village "Desa Sukamaju": officials, residents and every letter type."""
import datetime
import functools
import io
import os

from flask import has_app_context
from PIL import Image, ImageDraw
from werkzeug.security import generate_password_hash

from balai.db import db, now
from balai.letters.models import LetterType
from balai.market.models import Product, ProductPhoto, Shop
from balai.media import process_image
from balai.news.models import News
from balai.people.models import PASSWORD_HASH_METHOD, Person, User
from balai.signing import keys as signing
from balai.signing.models import SignerCertificate
from balai.villages.models import Village

DEMO_PASSWORD = "sukamaju123"
DEMO_SIGNING_PASSPHRASE = "tandatangan-sukamaju"  # opens the demo Kades's key (and the demo CA)
DEMO_VILLAGE = "Desa Sukamaju"
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
def demo_password_hash(method=PASSWORD_HASH_METHOD):
    """One hash for every demo account: they share the demo password."""
    return generate_password_hash(DEMO_PASSWORD, method)


@functools.cache
def demo_signing_material():
    """Demo CA and Kades key as PKCS#12 bytes, made once per process (tests seed every test)."""
    ca = signing.make_ca(DEMO_VILLAGE)
    key, cert = signing.make_signer(ca, "H. Ujang Suryana", DEMO_VILLAGE)
    passphrase = DEMO_SIGNING_PASSPHRASE
    return (signing.p12_bytes(f"CA {DEMO_VILLAGE}", ca[0], ca[1], None, passphrase), ca[1],
            signing.p12_bytes("H. Ujang Suryana", key, cert, [ca[1]], passphrase), cert)


def seed_demo_signer(store, kades):
    """The demo village CA and the demo Kades's certificate, in the store and the register."""
    ca_p12, ca_cert, signer_p12, cert = demo_signing_material()
    signing.install_ca(store, ca_p12, ca_cert)
    signing.add_to_register(store, signer_p12, cert, [ca_cert], kades, "Kepala Desa", "dibuat")


def seed_demo(store=None, password_method=PASSWORD_HASH_METHOD):
    """Create the demo village; do nothing if it is there already. Returns the accounts made.

    With a document store (balai.storage), the demo Kades also gets a signing certificate
    (DEMO_SIGNING_PASSPHRASE) in it.
    password_method is the app's PASSWORD_HASH_METHOD (seeding needs no app context)."""
    if User.select().exists():
        return []
    accounts, password_hash = [], demo_password_hash(password_method)
    with db.atomic():
        village = Village.current()
        Village.update(name=DEMO_VILLAGE, kecamatan="Sukamaju", kabupaten="Kabupaten Subang",
                       provinsi="Jawa Barat", kode_desa="3213052001",
                       address="Jl. Raya Sukamaju No. 1, Subang 41211", phone="(0260) 411 234",
                       email="pemdes@sukamaju.desa.id", kades_name="H. Ujang Suryana",
                       public_url=os.environ.get("BALAI_PUBLIC_URL", "http://127.0.0.1:5000")
                       ).where(Village.id == village.id).execute()
        seed_letter_types()
        for username, role, full_name in OFFICIALS:
            User.create(username=username, role=role, full_name=full_name, active=True,
                        password_hash=password_hash)
            accounts.append((username, role, DEMO_PASSWORD))
        if store:
            seed_demo_signer(store, User.get(User.username == "kades"))
        for data in RESIDENTS:
            person = Person.create(**data)
            User.create(person=person, role="warga", active=True, password_hash=password_hash)
            accounts.append((data["nik"], f"warga ({data['name']})", DEMO_PASSWORD))
        seed_news()
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
     [("Pisang raja", "tani", 25000, "sisir", 8,
       "Pisang raja matang pohon, satu sisir 12-14 buah."),
      ("Kangkung segar", "tani", 3000, "ikat", 40, "Dipetik pagi hari."),
      ("Telur ayam kampung", "ternak", 2500, "pcs", 60, "Dari ayam kampung yang dilepas di kebun."),
      ("Beras pandan wangi", "tani", 14000, "kg", 100, "Panen bulan ini, digiling di desa.")]),
]


PRODUCT_COLOURS = {"makanan": ((211, 84, 0), (250, 229, 211)),
                   "tani": ((39, 174, 96), (212, 239, 223)),
                   "ternak": ((160, 110, 60), (245, 235, 220))}


def seed_market():
    """The demo lapak, approved, with their products approved too (pictured inside the app)."""
    for nik, shop_data, products in MARKET:
        owner = User.by_login(nik)
        shop = Shop.create(owner=owner, status="disetujui", **shop_data)
        for name, category, price, unit, stock, text in products:
            product = Product.create(shop=shop, name=name, category=category, price=price,
                                     unit=unit, stock=stock, description=text, status="disetujui")
            if has_app_context():
                image = process_image(demo_picture(PRODUCT_COLOURS[category]))
                ProductPhoto.create(product=product, key=image.key, image=image.as_dict())


# (title, category, days ago, pinned, picture colours or None, body in Markdown)
NEWS = [
    ("Jadwal Pelayanan Kantor Desa Selama Libur Akhir Tahun", "Pengumuman", 1, True, None,
     "Kantor Desa Sukamaju tetap melayani warga selama libur akhir tahun dengan jadwal berikut:\n\n"
     "- **24-26 Desember**: tutup\n- **27-30 Desember**: buka pukul 08.00-12.00\n"
     "- **31 Desember-1 Januari**: tutup\n\n"
     "Surat keterangan tetap bisa diajukan lewat Balai kapan saja; permohonan diproses "
     "pada hari kerja berikutnya."),
    ("Posyandu Balita Dusun II Pindah ke Balai Warga RW 01", "Kesehatan", 3, False,
     ((236, 112, 99), (250, 219, 216)),
     "Mulai bulan ini kegiatan posyandu balita Dusun II dilaksanakan di Balai Warga RW 01, "
     "setiap Selasa minggu kedua pukul 08.00.\n\nIbu-ibu diharap membawa **buku KIA** dan "
     "datang tepat waktu. Kader posyandu juga melayani penimbangan, imunisasi dasar, dan "
     "pemberian makanan tambahan."),
    ("Pengaspalan Jalan Dusun III Sepanjang 850 Meter Selesai", "Pembangunan", 6, False,
     ((52, 73, 94), (174, 182, 191)),
     "Pengaspalan jalan lingkungan Dusun III dari Kp. Babakan sampai batas Desa Cibeusi "
     "sepanjang 850 meter telah selesai dikerjakan. Pekerjaan dibiayai Dana Desa tahun "
     "anggaran berjalan dan dikerjakan secara padat karya oleh 40 warga setempat.\n\n"
     "Pemerintah desa berterima kasih atas kesabaran warga selama pekerjaan berlangsung."),
    ("Penyaluran BLT Dana Desa Tahap IV", "Bantuan Sosial", 9, True, None,
     "Bantuan Langsung Tunai Dana Desa tahap IV disalurkan di aula kantor desa pada "
     "hari Kamis mulai pukul 09.00.\n\nPenerima wajib membawa:\n\n1. KTP asli\n"
     "2. Kartu Keluarga asli\n3. Undangan dari desa\n\nBila berhalangan, pengambilan bisa "
     "diwakilkan anggota keluarga dalam satu KK dengan surat kuasa."),
    ("Kerja Bakti Membersihkan Saluran Irigasi Cibeureum", "Kegiatan", 12, False,
     ((39, 174, 96), (212, 239, 223)),
     "Menjelang musim tanam, warga Kp. Cibeureum bergotong royong membersihkan saluran "
     "irigasi sepanjang 2 kilometer. Sedimen dan sampah plastik diangkat agar air sampai ke "
     "sawah di hilir.\n\nKerja bakti berikutnya dijadwalkan Minggu depan di saluran tersier "
     "Dusun I."),
    ("Pembagian Benih Padi Unggul untuk Kelompok Tani", "Pertanian", 16, False, None,
     "Dinas Pertanian Kabupaten Subang menyalurkan 2 ton benih padi varietas Inpari 32 "
     "kepada lima kelompok tani di Desa Sukamaju. Ketua kelompok tani dapat mengambil benih "
     "di gudang desa dengan menunjukkan daftar anggota."),
    ("Musyawarah Desa Penyusunan RKP Desa", "Pengumuman", 21, False, None,
     "Pemerintah Desa Sukamaju mengundang tokoh masyarakat, ketua RT/RW, BPD, kader, dan "
     "perwakilan pemuda dan perempuan untuk hadir dalam **Musyawarah Desa** penyusunan "
     "Rencana Kerja Pemerintah Desa tahun depan.\n\nUsulan kegiatan dari tiap dusun dapat "
     "disampaikan paling lambat satu minggu sebelum musyawarah."),
    ("Lomba Kebersihan Antar-RW Memperingati HUT RI", "Kegiatan", 30, False,
     ((241, 196, 15), (253, 246, 208)),
     "Dalam rangka memperingati Hari Ulang Tahun Republik Indonesia, desa mengadakan lomba "
     "kebersihan lingkungan antar-RW. Penilaian meliputi kebersihan jalan, saluran air, "
     "penghijauan, dan pengelolaan sampah.\n\nJuara pertama tahun ini diraih **RW 02**."),
]


def demo_picture(colours, size=(1200, 800)):
    """A simple drawn picture (sky, hills, sun) as JPEG bytes, made at seed time."""
    main, light = colours
    image = Image.new("RGB", size, light)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width * .7, height * .1, width * .85, height * .32), fill=(255, 255, 255))
    draw.polygon([(0, height), (0, height * .6), (width * .35, height * .35),
                  (width * .7, height * .7), (width, height * .5), (width, height)], fill=main)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def seed_news():
    """Demo news items; pictures only inside the app (the CLI), where the document store is known."""
    author = User.get_or_none(User.username == "operator")
    for title, category, days, pinned, colours, body in NEWS:
        item = News(title=title, category=category, pinned=pinned, status="terbit", author=author,
                    publish_at=now() - datetime.timedelta(days=days, hours=3))
        item.set_body(body)
        if colours and has_app_context():
            image = process_image(demo_picture(colours))
            item.image, item.image_key = image.as_dict(), image.key
        item.save()


def demo_accounts():
    """(login, role, password) for each demo account present in the database."""
    accounts = [(username, role, DEMO_PASSWORD) for username, role, _ in OFFICIALS]
    accounts += [(r["nik"], f"warga ({r['name']})", DEMO_PASSWORD) for r in RESIDENTS]
    return [a for a in accounts if User.by_login(a[0]) is not None]


def demo_signing_passphrase(store):
    """The demo Kades's signing passphrase, if it opens the Kades's current key."""
    kades = User.by_login("kades")
    row = kades and SignerCertificate.current_for(kades)
    if not row:
        return None
    try:
        signing.check_passphrase(row, DEMO_SIGNING_PASSPHRASE, store)
    except signing.SigningError:
        return None
    return DEMO_SIGNING_PASSPHRASE
