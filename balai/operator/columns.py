"""Which column of a population spreadsheet holds which field of a population record.

Headers are compared without case, spaces or punctuation, against the names villages' files
commonly carry (exports of the civil registry, SIAK, and of other village systems). A header
that names no field is left out; when a required field has no column, or two columns claim
one field, the operator maps them by hand.

OpenSID's penduduk import layout is known by its header names: the columns of
`$daftar_kolom` in OpenSID's donjo-app/models/Impor_model.php (github.com/OpenSID/OpenSID;
earlier the same names and order in `KOLOM_IMPOR_KELUARGA`, donjo-app/models/Import_model.php):
alamat, dusun, rw, rt, nama, no_kk, nik, sex, tempatlahir, tanggallahir, agama_id,
pendidikan_kk_id, pendidikan_sedang_id, pekerjaan_id, status_kawin, kk_level, warganegara_id,
..., status_dasar, ... . Its coded columns hold either the code or the words; the codes are
those of OpenSID's reference tables (tweb_penduduk_sex, _agama, _kawin, _hubungan,
_warganegara, _pekerjaan, tweb_status_dasar), listed in OPENSID_CODES."""
import re

# (field, label, required): the population record's fields an import may fill.
FIELDS = (
    ("nik", "NIK", True),
    ("kk_number", "Nomor KK", True),
    ("name", "Nama lengkap", True),
    ("birth_place", "Tempat lahir", False),
    ("birth_date", "Tanggal lahir", True),
    ("sex", "Jenis kelamin", False),
    ("religion", "Agama", False),
    ("marital_status", "Status perkawinan", False),
    ("occupation", "Pekerjaan", False),
    ("citizenship", "Kewarganegaraan", False),
    ("address", "Alamat", False),
    ("rt", "RT", False),
    ("rw", "RW", False),
    ("dusun", "Dusun", False),
    ("family_role", "Hubungan dalam keluarga (SHDK)", False),
    ("status", "Status (hidup, pindah, meninggal)", False),
    ("left_on", "Tanggal pindah atau meninggal", False),
)
LABELS = {field: label for field, label, _ in FIELDS}
REQUIRED = [field for field, _, required in FIELDS if required]

ALIASES = {
    "nik": ["nik", "noinduk", "nomorinduk", "nomorindukkependudukan", "noindukkependudukan",
            "nonik", "niknomor"],
    "kk_number": ["nokk", "kk", "nomorkk", "nokartukeluarga", "nomorkartukeluarga", "kknomor"],
    "name": ["nama", "namalengkap", "namapenduduk", "namawarga", "namasesuaiktp"],
    "birth_place": ["tempatlahir", "tmptlahir", "tmplahir", "tempatlhr"],
    "birth_date": ["tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "tgllahirddmmyyyy"],
    "sex": ["jeniskelamin", "jk", "lp", "kelamin", "sex", "jenkel", "gender"],
    "religion": ["agama", "agamaid"],
    "marital_status": ["statusperkawinan", "statuskawin", "perkawinan", "statusnikah",
                       "stskawin", "kawin"],
    "occupation": ["pekerjaan", "pekerjaanid", "jenispekerjaan"],
    "citizenship": ["kewarganegaraan", "warganegara", "warganegaraid", "wniwna"],
    "address": ["alamat", "alamatlengkap", "jalan"],
    "rt": ["rt", "nort"],
    "rw": ["rw", "norw"],
    "dusun": ["dusun", "namadusun", "dukuh", "lingkungan", "banjar"],
    "family_role": ["shdk", "hubungan", "hubungandalamkeluarga", "hubungankeluarga",
                    "statushubungandalamkeluarga", "stathbkel", "kklevel", "statushubungan"],
    "status": ["status", "statusdasar", "statuspenduduk", "statushidup"],
    "left_on": ["tanggalstatus", "tanggalpindah", "tanggalmeninggal", "tglpindah",
                "tglmeninggal", "tanggalperistiwa", "tglperistiwa"],
}
BY_ALIAS = {alias: field for field, names in ALIASES.items() for alias in names}

OPENSID_HEADERS = {"no_kk", "tempatlahir", "tanggallahir", "agama_id", "kk_level",
                   "status_kawin", "pekerjaan_id", "warganegara_id"}

OCCUPATIONS = (  # OpenSID's pekerjaan_id 1-89, the civil registry's list
    "Belum/Tidak Bekerja", "Mengurus Rumah Tangga", "Pelajar/Mahasiswa", "Pensiunan",
    "Pegawai Negeri Sipil", "Tentara Nasional Indonesia", "Kepolisian RI", "Perdagangan",
    "Petani/Pekebun", "Peternak", "Nelayan/Perikanan", "Industri", "Konstruksi", "Transportasi",
    "Karyawan Swasta", "Karyawan BUMN", "Karyawan BUMD", "Karyawan Honorer",
    "Buruh Harian Lepas", "Buruh Tani/Perkebunan", "Buruh Nelayan/Perikanan",
    "Buruh Peternakan", "Pembantu Rumah Tangga", "Tukang Cukur", "Tukang Listrik",
    "Tukang Batu", "Tukang Kayu", "Tukang Sol Sepatu", "Tukang Las/Pandai Besi", "Tukang Jahit",
    "Tukang Gigi", "Penata Rias", "Penata Busana", "Penata Rambut", "Mekanik", "Seniman",
    "Tabib", "Paraji", "Perancang Busana", "Penterjemah", "Imam Masjid", "Pendeta", "Pastor",
    "Wartawan", "Ustadz/Mubaligh", "Juru Masak", "Promotor Acara", "Anggota DPR-RI",
    "Anggota DPD", "Anggota BPK", "Presiden", "Wakil Presiden", "Anggota Mahkamah Konstitusi",
    "Anggota Kabinet/Kementerian", "Duta Besar", "Gubernur", "Wakil Gubernur", "Bupati",
    "Wakil Bupati", "Walikota", "Wakil Walikota", "Anggota DPRD Provinsi",
    "Anggota DPRD Kabupaten/Kota", "Dosen", "Guru", "Pilot", "Pengacara", "Notaris", "Arsitek",
    "Akuntan", "Konsultan", "Dokter", "Bidan", "Perawat", "Apoteker", "Psikiater/Psikolog",
    "Penyiar Televisi", "Penyiar Radio", "Pelaut", "Peneliti", "Sopir", "Pialang",
    "Paranormal", "Pedagang", "Perangkat Desa", "Kepala Desa", "Biarawati", "Wiraswasta",
    "Lainnya")


def numbered(names):
    return {str(n): name for n, name in enumerate(names, start=1)}


OPENSID_CODES = {
    "sex": {"1": "L", "2": "P"},
    "religion": numbered(("Islam", "Kristen", "Katolik", "Hindu", "Buddha", "Konghucu",
                          "Kepercayaan terhadap Tuhan YME")),
    "marital_status": numbered(("Belum Kawin", "Kawin", "Cerai Hidup", "Cerai Mati")),
    "family_role": numbered(("Kepala Keluarga", "Suami", "Istri", "Anak", "Menantu", "Cucu",
                             "Orang Tua", "Mertua", "Famili Lain", "Pembantu", "Lainnya")),
    "citizenship": {"1": "WNI", "2": "WNA", "3": "Dua Kewarganegaraan"},
    "occupation": numbered(OCCUPATIONS),
    # status_dasar: 1 hidup, 2 mati, 3 pindah, 6 pergi; 4 hilang and 9 tidak valid are not
    # statuses Balai keeps, so such a row is reported.
    "status": {"1": "", "2": "meninggal", "3": "pindah", "6": "pindah"},
}


def header_key(header):
    """A header as compared: lower case, letters and digits only, "(...)" left out."""
    text = re.sub(r"\(.*?\)", "", str(header or "")).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def is_opensid(header):
    return len(OPENSID_HEADERS & {str(h or "").strip().lower() for h in header}) >= 4


def match_headers(header):
    """{column index: field} for the headers that name a field, one column per field."""
    claims = {}
    for index, name in enumerate(header):
        field = BY_ALIAS.get(header_key(name))
        if field:
            claims.setdefault(field, []).append(index)
    return {indexes[0]: field for field, indexes in claims.items() if len(indexes) == 1}


def mapping_problems(header, mapping):
    """What keeps a mapping from being used, in Bahasa Indonesia (empty when it is complete)."""
    problems = []
    fields = list(mapping.values())
    for field in REQUIRED:
        if field not in fields:
            problems.append(f"Pilih kolom untuk {LABELS[field]}: kolom ini wajib.")
    for field in dict.fromkeys(fields):
        if fields.count(field) > 1:
            problems.append(f"{LABELS[field]} dipilih untuk lebih dari satu kolom.")
    if any(not 0 <= int(index) < len(header) for index in mapping):
        problems.append("Pilihan kolom tidak sesuai dengan berkas. Unggah berkasnya lagi.")
    return problems
