"""The letter workflow in one place: each state of a request (STEPS), the moves between states
(TRANSITIONS), and the step whose approval issues the letter (ISSUING_STEP).

Everything that depends on a state reads it from here: the status a resident reads and what
happens next, whose inbox a request waits in, whom a step tells and what, which requests may
still be changed, and which officials may see a request (the steps of its ROUTE it reached,
see access.py). Adding or renaming a step is an edit of these tables alone."""
from typing import NamedTuple

from balai.signing.models import signs_as_kades


class WorkflowError(Exception):
    """An action that the workflow refuses; the message is for the person who tried it."""
    status = 409  # the HTTP status a view answers with: the request changed meanwhile


class OutOfTurn(WorkflowError):
    """The request does not wait for this user's step."""
    status = 403


class NotOpened(WorkflowError):
    """An approval by an official who has not opened the request since it was sent."""
    status = 409


class InvalidNote(WorkflowError):
    """A missing reason or a note over NOTE_MAX: the form must be fixed."""
    status = 422
    field = "note"  # the form field the message belongs to


class InvalidCategory(InvalidNote):
    """A return or rejection without one of REASON_CATEGORIES."""
    field = "category"


class Step(NamedTuple):
    """One state of a request. The messages may name {letter}, {applicant}, {note} (the step's
    reason), {number} (" dengan nomor ..." once issued) and {submitted} (how it was sent)."""
    label: str  # the status a resident reads; {kasi} is the Kasi the letter type names
    next: str  # what happens next, and roughly when
    official: str = None  # the workflow role whose decision the request waits for
    to_officials: str = ""  # told to those officials when a request arrives here
    to_resident: str = ""  # told to the resident when their request arrives here
    duty: str = ""  # why the official of this step opens the request, as its resident reads it


STEPS = {
    "draf": Step(
        "Draf (belum diajukan)",
        "Permohonan belum dikirim. Lengkapi isian dan syarat, lalu tekan Ajukan."),
    "diajukan": Step(
        "Menunggu pemeriksaan {kasi}",
        "Petugas kantor desa memeriksa data dan berkas Anda, biasanya dalam 1 hari kerja.",
        official="kasi",
        duty="Memeriksa permohonan sebagai {kasi}",
        to_officials="{applicant} {submitted} permohonan {letter}. Permohonan ini menunggu "
                     "pemeriksaan Anda."),
    "diverifikasi": Step(
        "Menunggu pemeriksaan Sekretaris Desa",
        "Sekretaris Desa memeriksa surat Anda, biasanya dalam 1 hari kerja.",
        official="sekdes",
        duty="Memeriksa permohonan sebagai Sekretaris Desa",
        to_officials="Permohonan {letter} dari {applicant} sudah diperiksa Kasi dan menunggu "
                     "pemeriksaan Anda.",
        to_resident="Permohonan {letter} Anda sudah diperiksa Kasi. Berikutnya diperiksa "
                    "Sekretaris Desa, biasanya dalam 1 hari kerja."),
    "diperiksa": Step(
        "Menunggu persetujuan Kepala Desa",
        "Kepala Desa menandatangani surat Anda, biasanya dalam 1 hari kerja.",
        official="kades",
        duty="Menyetujui dan menandatangani surat sebagai Kepala Desa",
        to_officials="Permohonan {letter} dari {applicant} sudah diperiksa Sekretaris Desa dan "
                     "menunggu persetujuan Anda.",
        to_resident="Permohonan {letter} Anda sudah diperiksa Sekretaris Desa. Berikutnya "
                    "menunggu tanda tangan Kepala Desa."),
    "selesai": Step(
        "Selesai, surat dapat diunduh",
        "Surat Anda sudah terbit.",
        to_resident="Surat {letter} Anda sudah terbit{number}. Unduh suratnya dari tautan di "
                    "bawah ini."),
    "dikembalikan": Step(
        "Perlu diperbaiki",
        "Perbaiki isian atau berkas sesuai catatan petugas, lalu ajukan lagi.",
        to_resident="Permohonan {letter} Anda perlu diperbaiki. Alasan: {note}. Perbaiki lalu "
                    "ajukan lagi."),
    "ditolak": Step(
        "Ditolak",
        "Permohonan ini ditolak. Anda dapat mengajukan permohonan baru atau bertanya ke kantor "
        "desa.",
        to_resident="Permohonan {letter} Anda ditolak. Alasan: {note}."),
    "dibatalkan": Step("Dibatalkan", "Permohonan ini dibatalkan."),
}

# (state, action, role) -> next state. "pemohon" is the applicant side: the resident, or the
# official who filed the request at the counter. "kasi" is the Kasi that the letter type names.
TRANSITIONS = {
    ("draf", "ajukan", "pemohon"): "diajukan",
    ("dikembalikan", "ajukan", "pemohon"): "diajukan",
    ("draf", "batalkan", "pemohon"): "dibatalkan",
    ("diajukan", "batalkan", "pemohon"): "dibatalkan",
    ("dikembalikan", "batalkan", "pemohon"): "dibatalkan",
    ("diajukan", "setujui", "kasi"): "diverifikasi",
    ("diajukan", "kembalikan", "kasi"): "dikembalikan",
    ("diajukan", "tolak", "kasi"): "ditolak",
    ("diverifikasi", "setujui", "sekdes"): "diperiksa",
    ("diverifikasi", "kembalikan", "sekdes"): "dikembalikan",
    ("diverifikasi", "tolak", "sekdes"): "ditolak",
    ("diperiksa", "setujui", "kades"): "selesai",
    ("diperiksa", "kembalikan", "kades"): "dikembalikan",
    ("diperiksa", "tolak", "kades"): "ditolak",
}
ISSUING_STEP = "diperiksa"  # approving here numbers, renders and signs the letter
ACTION_LABELS = {"ajukan": "Diajukan", "batalkan": "Dibatalkan", "setujui": "Disetujui",
                 "kembalikan": "Dikembalikan untuk diperbaiki", "tolak": "Ditolak",
                 "terbit": "Surat terbit", "cabut": "Surat dicabut",
                 "hapus_syarat": "Berkas syarat dihapus setelah masa simpan"}
NEEDS_REASON = {"kembalikan", "tolak"}
# What kind of reason a return or rejection gives, beside its free text: the figures count these
# (the free text may name people, so it stays on the request's own pages).
REASON_CATEGORIES = {
    "berkas_kurang": "Berkas syarat kurang",
    "berkas_tidak_jelas": "Berkas tidak jelas atau tidak terbaca",
    "data_tidak_sesuai": "Data tidak sesuai",
    "bukan_wewenang": "Bukan wewenang desa",
    "lainnya": "Lainnya",
}
NOT_RECORDED = "Tidak dicatat"  # returns and rejections from before categories were kept
NO_CATEGORY = ("Pilih jenis alasan (misalnya Berkas syarat kurang) selain menuliskan "
               "catatannya.")
# The steps whose official approves only after opening the request's page since it was last
# sent (its data and uploads): the Kasi checks the syarat, so the inbox list offers no approval.
OPEN_BEFORE_APPROVING = {"kasi"}
NOT_OPENED = ("Buka dan periksa dulu permohonan ini beserta berkas syaratnya sebelum "
              "menyetujui. Setelah diperiksa, tekan Setujui di halaman permohonan.")
NOTE_MAX = 500

# The applicant may change a request as long as they may still send it.
EDITABLE = tuple(state for state in STEPS if (state, "ajukan", "pemohon") in TRANSITIONS)
# A request is finished (issued, refused or cancelled) once no move leads out of its state.
FINISHED = tuple(state for state in STEPS if not any(s == state for s, _, _ in TRANSITIONS))
NOT_EDITABLE = ("Permohonan ini sudah diajukan atau sudah diproses, jadi tidak dapat diubah lagi. "
                "Berikut keadaannya sekarang.")
# The user roles that may be a letter type's "kasi", with the title a resident reads.
VERIFIER_TITLES = {"kasi_pem": "Kasi Pemerintahan", "kasi_kesra": "Kasi Kesra"}
# Who takes the Kasi step of a request that its own Kasi filed at the counter.
OTHER_KASI = {"kasi_pem": "kasi_kesra", "kasi_kesra": "kasi_pem"}


def approval_route():
    """The states a request passes, in order, from sending to an issued letter."""
    route = [TRANSITIONS[("draf", "ajukan", "pemohon")]]
    while STEPS[route[-1]].official:
        route.append(TRANSITIONS[(route[-1], "setujui", STEPS[route[-1]].official)])
    return tuple(route)


ROUTE = approval_route()  # ("diajukan", "diverifikasi", "diperiksa", "selesai")


def official_roles(user):
    """The deciding roles this user holds: "kasi" (on the letter types that name their role),
    "sekdes", and "kades" (the Kepala Desa, or whoever signs for them today)."""
    return {role for role, held in (("kasi", user.role in VERIFIER_TITLES),
                                    ("sekdes", user.role == "sekdes"),
                                    ("kades", signs_as_kades(user))) if held}


class Move(NamedTuple):
    """One move that LetterRequest.check allowed, for LetterRequest.take to write."""
    action: str
    role: str
    from_status: str
    to_status: str
    note: str
    category: str = None  # a REASON_CATEGORIES key, for a return or a rejection

    @property
    def issues(self):
        return self.action == "setujui" and self.from_status == ISSUING_STEP
