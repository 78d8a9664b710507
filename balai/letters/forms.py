"""The operator's letter type form: names, the Kasi who checks, syarat, extra fields, body."""
from balai.letters.text import BODY_PLACEHOLDERS, body_template_error
from balai.letters.workflow import VERIFIER_TITLES
from balai.web.access import ROLES
from balai.web.forms import in_order, required, text

VERIFIERS = {role: ROLES[role] for role in VERIFIER_TITLES}  # the choices, by full title


LETTER_TYPE_ORDER = ("name", "code", "verifier", "validity_days", "requirements", "extra_fields",
                     "body_template")


def letter_type_form(form):
    """A letter type's values; requirement and extra-field lines become lists of dicts."""
    errors = {}
    values = required(form, ("name", "code", "verifier", "body_template"), errors,
                       {"name": "Nama surat", "code": "Kode klasifikasi",
                        "body_template": "Isi surat"})
    if values["verifier"] not in VERIFIERS:
        errors["verifier"] = "Pilih Kasi yang memeriksa."
    days = text(form, "validity_days")
    values["validity_days"] = int(days) if days.isdigit() and days.isascii() else 0
    if not 1 <= values["validity_days"] <= 3650:
        errors["validity_days"] = "Masa berlaku harus angka hari antara 1 dan 3650, misalnya 30."
    values["requirements"] = parse_lines(form.get("requirements"), 3, "requirements", errors)
    values["extra_fields"] = parse_lines(form.get("extra_fields"), 2, "extra_fields", errors)
    extra_keys = [field["key"] for field in values["extra_fields"]]
    if clash := sorted(set(extra_keys) & set(BODY_PLACEHOLDERS)):
        errors["extra_fields"] = "Kunci sudah dipakai isian bawaan: " + ", ".join(clash) + "."
    if values["body_template"] and (message := body_template_error(values["body_template"], extra_keys)):
        available = ", ".join(sorted(BODY_PLACEHOLDERS) + extra_keys)
        errors["body_template"] = f"{message} Isian yang tersedia: {available}."
    return in_order(errors, LETTER_TYPE_ORDER), values


LINE_FORMATS = {3: "kunci|Label|wajib (atau opsional)", 2: "kunci|Label"}


def parse_lines(text, parts, name, errors):
    """Lines "key|Label[|wajib/opsional]" as dicts; the first bad line sets errors[name]."""
    items, keys = [], set()
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("|")]
        mandatory = len(cells) == 3 and cells[2].lower() in ("wajib", "opsional")
        if len(cells) != parts or not cells[1] or (parts == 3 and not mandatory):
            errors[name] = f"Baris {number} harus ditulis {LINE_FORMATS[parts]}."
        elif not (cells[0].isidentifier() and cells[0].isascii() and cells[0].islower()):
            errors[name] = (f"Baris {number}: kunci \"{cells[0]}\" hanya boleh huruf kecil, angka "
                            "dan garis bawah, diawali huruf (misalnya nama_usaha).")
        elif cells[0] in keys:
            errors[name] = f"Baris {number}: kunci \"{cells[0]}\" dipakai dua kali."
        else:
            keys.add(cells[0])
            item = {"key": cells[0], "label": cells[1]}
            if parts == 3:
                item["mandatory"] = cells[2].lower() == "wajib"
            items.append(item)
        if name in errors:
            return items
    return items


def lines_of(items):
    """Lists of dicts back into the lines the form shows."""
    return "\n".join("|".join([item["key"], item["label"]] + (
        ["wajib" if item["mandatory"] else "opsional"] if "mandatory" in item else []))
        for item in items)
