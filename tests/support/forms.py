"""What the operator's forms post when filled in right; a test overrides what it tries."""

def profile(**overrides):
    data = {"name": "Desa Sukamaju", "kecamatan": "Sukamaju", "kabupaten": "Kabupaten Subang",
            "provinsi": "Jawa Barat", "kode_desa": "3213052001", "address": "Jl. Raya 1",
            "phone": "0260 411", "email": "pemdes@sukamaju.desa.id", "kades_name": "H. Ujang",
            "paper": "F4", "timezone": "Asia/Makassar", "public_url": "https://sukamaju.desa.id/",
            "number_format": "{nomor:03}/{kode}/{tahun}"}
    data.update(overrides)
    return data


def letter_type(**overrides):
    data = {"name": "Surat Keterangan Kelahiran", "code": "474.1", "verifier": "kasi_kesra",
            "validity_days": "60", "service_days": "3", "step_diajukan": "1",
            "step_diverifikasi": "1", "step_diperiksa": "1",
            "requirements": "ktp|Foto KTP orang tua|wajib\r\nbidan|Surat keterangan bidan|opsional\r\n",
            "extra_fields": "nama_bayi|Nama bayi\nhari_lahir|Hari lahir",
            "body_template": "Telah lahir {{ nama_bayi }} pada hari {{ hari_lahir }}, anak dari {{ nama }}."}
    data.update(overrides)
    return data
