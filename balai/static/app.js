// Balai's few lines: CSRF for htmx, smaller photos, syarat sent in resumable pieces, progress
// bars, and the service worker that keeps news readable offline.
document.addEventListener("htmx:config:request", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) evt.detail.ctx.request.headers["X-CSRFToken"] = meta.content;
});

// A phone photo (4 MB) becomes a WebP (else a JPEG) of at most 1600 px (a stored syarat's size:
// media.py) at the best of QUALITIES within its target: a KTP as legible in 3/4 of the bytes.
var MAX_SIDE = 1600, QUALITIES = [0.8, 0.7, 0.6], WEBP = "image/webp", TARGETS = {"image/webp": 150 << 10, "image/jpeg": 200 << 10};

function shrink(file) {
  if (!/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type) || !window.createImageBitmap) {
    return Promise.resolve(file);
  }
  return createImageBitmap(file).then(function (image) {
    var scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
    var canvas = document.createElement("canvas"), name = file.name.replace(/\.[^.]*$/, "") + ".";
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    var context = canvas.getContext("2d");
    context.imageSmoothingQuality = "high";  // no aliasing: sharper text, and 10 % fewer bytes
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    function encode(step, type) {  // a browser without a WebP encoder answers with a PNG
      return new Promise(function (resolve) { canvas.toBlob(resolve, type, QUALITIES[step]); })
        .then(function (blob) {
          if (!blob || blob.type !== type) return type === WEBP ? encode(0, "image/jpeg") : file;
          if (blob.size > TARGETS[type] && step + 1 < QUALITIES.length) return encode(step + 1, type);
          return blob.size < file.size ? new File([blob], name + type.slice(6), {type: type}) : file;
        });
    }
    return encode(0, WEBP);
  }).catch(function () { return file; });
}

var shrinking = Promise.resolve();  // one field at a time: the first photo goes sooner

function shrinkAll(input) {
  input.setCustomValidity("Foto sedang diperkecil, tunggu sebentar.");
  var done = shrinking.then(function () {
    return Promise.all(Array.prototype.map.call(input.files, shrink));
  }).then(function (files) {
    var list = new DataTransfer();
    files.forEach(function (file) { list.items.add(file); });
    input.files = list.files;
  });
  shrinking = done.catch(function () {});
  return done;
}

// Refuse too-large files before they are sent (after shrinking photos where asked).
function checkSize(input) {
  var max = parseInt(input.dataset.maxBytes, 10), tooBig = [];
  for (var i = 0; max && i < input.files.length; i++) {
    if (input.files[i].size > max) tooBig.push(input.files[i].name);
  }
  input.setCustomValidity(tooBig.length ?
    "Berkas " + tooBig.join(", ") + " terlalu besar. Paling besar " + Math.round(max / 1048576) + " MB." : "");
  if (tooBig.length) input.reportValidity();
}

document.addEventListener("change", function (evt) {
  var input = evt.target;
  if (input.type !== "file") return;
  delete input.dataset.uploadId;  // a new file is a new upload: one on its way stops
  if (input.upload) busy(input, !delete input.upload);
  var ready = input.dataset.shrink !== undefined && window.DataTransfer ? shrinkAll(input) : Promise.resolve();
  ready.then(function () {  // a syarat goes at once, while the resident goes on
    checkSize(input);
    if (input.validity.valid && sendsInPieces(input)) upload(input).catch(function () {});
  });
});

// Forms marked data-progress send their files with XMLHttpRequest, which reports progress
// (htmx 4 uploads with fetch, which does not). Without JavaScript the form posts as usual.
function sendWithProgress(form, submitter) {
  var bar = form.querySelector("progress") || form.appendChild(document.createElement("progress"));
  bar.max = 100;
  bar.value = 0;
  var xhr = new XMLHttpRequest();
  xhr.open(form.method, form.action);
  xhr.upload.onprogress = function (evt) {
    if (evt.lengthComputable) bar.value = Math.round(100 * evt.loaded / evt.total);
  };
  xhr.onload = function () {
    // Show the answer as it came (a redirect's target keeps its one-time message), at its URL.
    if (xhr.responseURL && xhr.responseURL !== location.href) history.replaceState(null, "", xhr.responseURL);
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    document.title = page.title;
    document.body.replaceWith(page.body);
    if (window.htmx) htmx.process(document.body);
  };
  xhr.onerror = function () { delete form.dataset.sending; form.submit(); };
  xhr.send(submitter ? new FormData(form, submitter) : new FormData(form));
}

// Syarat files go in pieces the server confirms (see letters/views/uploads.py), the first with
// the upload's start, so a photo under 1 MB takes one request; a piece is as big as the line
// sends in 8 s (256 KB-1 MB). A dropped connection is retried with backoff and resumes from the
// offset the server holds; the bar is full only once the server says the file is stored.
var PIECE_MIN = 256 * 1024, PIECE_MAX = 1024 * 1024, PIECE_MS = 8000, GIVE_UP_MS = 10 * 60 * 1000;

function ask(method, url, body, headers, onprogress, bytes) {
  return new Promise(function (resolve, reject) {
    var xhr = new XMLHttpRequest(), meta = document.querySelector('meta[name="csrf-token"]');
    xhr.open(method, url);
    xhr.timeout = 60000 + (bytes || 0) / 8;  // a minute, more for a piece slow at 64 kbit/s
    if (meta) xhr.setRequestHeader("X-CSRFToken", meta.content);
    Object.keys(headers || {}).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
    if (onprogress) xhr.upload.onprogress = onprogress;
    xhr.onload = function () { (xhr.status >= 500 ? reject : resolve)(xhr); };
    xhr.onerror = xhr.ontimeout = function () { reject(xhr); };
    xhr.send(body);
  });
}

function sendInPieces(input) {
  var file = input.files[0], field = input.closest(".field"), url = null, offset = 0, tries = 0, failingSince = 0;
  var piece = file.size <= PIECE_MAX ? file.size : PIECE_MIN, sentAt = 0, sent = 0;
  var bar = field.querySelector("progress") || field.appendChild(document.createElement("progress"));
  var note = field.querySelector(".upload-note") || field.appendChild(document.createElement("p"));
  note.className = "hint upload-note";
  note.setAttribute("role", "status");
  note.textContent = "Mengunggah " + file.name + "...";
  bar.max = file.size;
  bar.value = 0;
  var id = input.dataset.uploadId = input.dataset.uploadId || Array.prototype.map.call(
    crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join("");
  function mine() {  // another file chosen: this upload stops without a word
    if (input.dataset.uploadId !== id) throw CHANGED;
  }

  function send(method, target, body, headers) {
    sentAt = Date.now();
    sent = body.size || piece;
    return ask(method, target, body, headers, function (evt) {
      if (input.dataset.uploadId === id) bar.value = Math.min(offset + evt.loaded, file.size - 1);
    }, sent).then(answered, retry);
  }
  function start() {
    var form = new FormData();
    form.append("id", id);
    form.append("nama", file.name);
    form.append("ukuran", file.size);
    form.append("potongan", file.slice(0, piece), "potongan");
    return send("POST", input.dataset.uploadUrl, form);
  }
  function answered(xhr) {  // the server's word: stored, go on from its offset, or refused
    mine();
    var held = xhr.getResponseHeader("Upload-Offset");
    if (held === null || [200, 201, 204, 409].indexOf(xhr.status) < 0) throw refusal(xhr);
    url = url || xhr.getResponseHeader("Location");
    if (sent) piece = Math.round(Math.max(PIECE_MIN, Math.min(PIECE_MAX, sent * PIECE_MS / (Date.now() - sentAt + 1))));
    offset = parseInt(held, 10);
    failingSince = tries = sent = 0;
    note.textContent = "Mengunggah " + file.name + "...";
    return xhr.status === 200 ? stored(xhr) : next();
  }
  function next() {
    bar.value = Math.min(offset, file.size - 1);
    return send("PATCH", url, file.slice(offset, offset + piece),
                {"Upload-Offset": offset, "Content-Type": "application/offset+octet-stream"});
  }
  function retry() {
    mine();
    piece = PIECE_MIN;
    sent = 0;
    failingSince = failingSince || Date.now();
    if (Date.now() - failingSince > GIVE_UP_MS) {
      throw new Error("Koneksi terputus terlalu lama; berkas belum tersimpan. Tekan Unggah lagi saat sinyal lebih baik: unggahan dilanjutkan dari bagian yang sudah terkirim.");
    }
    tries += 1;
    note.textContent = "Koneksi terputus, mencoba lagi... (percobaan ke-" + tries + ")";
    return new Promise(function (resolve) {  // or at once when the phone is back online
      setTimeout(resolve, 1000 * Math.min(30, Math.pow(2, tries - 1)));
      window.addEventListener("online", resolve, {once: true});
    }).then(function () { mine(); return url ? ask("GET", url).then(answered, retry) : start(); });
  }
  function stored(xhr) {
    var fresh = new DOMParser().parseFromString(xhr.responseText, "text/html").body.firstElementChild;
    bar.value = bar.max;
    fresh.appendChild(bar);
    field.replaceWith(fresh);
    if (window.htmx) htmx.process(fresh);
  }
  return start().catch(function (error) {
    if (error !== CHANGED) {
      note.className = "field-error upload-note";
      note.textContent = error.message;
    }
    throw error;
  });
}
var CHANGED = new Error("another file");

function refusal(xhr) {
  var plain = /^text\/plain/.test(xhr.getResponseHeader("Content-Type") || "");
  return new Error(plain ? xhr.responseText : "Berkas belum tersimpan (kode " + xhr.status + "). Muat ulang halaman, lalu coba lagi.");
}

function sendsInPieces(input) {
  return window.Promise && window.crypto && input.dataset.uploadUrl && input.files.length;
}

// The file's upload: the one on its way, or a new one (with the same id: the server resumes it).
// Its Unggah button stays disabled until the server's answer.
function upload(input) {
  if (!input.upload) {
    var sending = input.upload = sendInPieces(input);
    busy(input, true);
    sending.catch(function () {}).then(function () {
      if (input.upload === sending) busy(input, !delete input.upload);
    });
  }
  return input.upload;
}

function busy(input, on) {
  var button = input.closest(".field").querySelector('button[name="unggah"]');
  if (button) button.disabled = on;
}

// "Unggah" sends the chosen files and stays; "Simpan" waits for them however long it takes, every
// button disabled, then goes on without them. Any other form may be sent again after 8 s.
document.addEventListener("submit", function (evt) {
  var form = evt.target, buttons = form.querySelectorAll("button"),
    inputs = Array.prototype.filter.call(form.querySelectorAll("input[type=file]"), sendsInPieces);
  var all = Promise.all(inputs.map(upload));
  if (form.dataset.sending || inputs.length) evt.preventDefault();
  if (form.dataset.sending || inputs.length && evt.submitter && evt.submitter.name === "unggah") {
    all.catch(function () {});
    return;
  }
  form.dataset.sending = "1";
  if (inputs.length) {
    buttons.forEach(function (button) { button.disabled = true; });
    all.then(function () { form.submit(); }, function () {
      buttons.forEach(function (button) { button.disabled = false; });
      inputs.forEach(function (input) { busy(input, !!input.upload); });
      delete form.dataset.sending;
    });
  } else if (form.dataset.progress !== undefined && window.FormData && form.querySelector('input[type="file"]')) {
    evt.preventDefault();
    sendWithProgress(form, evt.submitter);
  } else {
    setTimeout(function () { delete form.dataset.sending; }, 8000);
  }
});

// A "Cetak" button: data-print opens the browser's print dialog.
document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) window.print();
});

// Registered after the page has loaded, so it never delays the first visit.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js"); });
}
