// Balai's own few lines: the CSRF header for htmx, smaller photos, syarat files sent in pieces
// that survive a dropped connection, a progress bar for other uploads, and the service worker
// that keeps news readable offline.
document.addEventListener("htmx:config:request", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) evt.detail.ctx.request.headers["X-CSRFToken"] = meta.content;
});

var MAX_SIDE = 1600, JPEG_QUALITY = 0.8;

// A phone photo (4 MB) becomes a JPEG of at most 1600 px (~250 KB) before it is sent.
function shrink(file) {
  if (!/^image\/(jpeg|png|webp|heic|heif)$/.test(file.type) || !window.createImageBitmap) {
    return Promise.resolve(file);
  }
  return createImageBitmap(file).then(function (image) {
    var scale = Math.min(1, MAX_SIDE / Math.max(image.width, image.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) {
      canvas.toBlob(function (blob) {
        var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
        resolve(blob && blob.size < file.size ? new File([blob], name, {type: "image/jpeg"}) : file);
      }, "image/jpeg", JPEG_QUALITY);
    });
  }).catch(function () { return file; });
}

function shrinkAll(input) {
  input.setCustomValidity("Foto sedang diperkecil, tunggu sebentar.");
  return Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
    var list = new DataTransfer();
    files.forEach(function (file) { list.items.add(file); });
    input.files = list.files;
  });
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
  delete input.dataset.uploadId;  // a new file is a new upload
  var ready = input.dataset.shrink !== undefined && window.DataTransfer ? shrinkAll(input) : Promise.resolve();
  ready.then(function () { checkSize(input); });
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

// Syarat files go in pieces the server confirms (see letters/views/uploads.py): a dropped
// connection is retried with backoff and resumes from the offset the server holds; the bar is
// full only once the server says the file is stored.
var PIECE = 256 * 1024, PIECE_TIMEOUT_MS = 60000, GIVE_UP_MS = 10 * 60 * 1000;

function ask(method, url, body, headers, onprogress) {
  return new Promise(function (resolve, reject) {
    var xhr = new XMLHttpRequest(), meta = document.querySelector('meta[name="csrf-token"]');
    xhr.open(method, url);
    xhr.timeout = PIECE_TIMEOUT_MS;
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
  var bar = field.querySelector("progress") || field.appendChild(document.createElement("progress"));
  var note = field.querySelector(".upload-note") || field.appendChild(document.createElement("p"));
  note.className = "hint upload-note";
  note.setAttribute("role", "status");
  note.textContent = "Mengunggah " + file.name + "...";
  bar.max = file.size;
  bar.value = 0;
  input.dataset.uploadId = input.dataset.uploadId || Array.prototype.map.call(
    crypto.getRandomValues(new Uint8Array(16)), function (b) { return (b + 256).toString(16).slice(1); }).join("");

  function start() {
    var form = new FormData();
    form.append("id", input.dataset.uploadId);
    form.append("nama", file.name);
    form.append("ukuran", file.size);
    return ask("POST", input.dataset.uploadUrl, form).then(answered, retry);
  }
  function answered(xhr) {  // the server's word: stored, go on from its offset, or refused
    var held = xhr.getResponseHeader("Upload-Offset");
    if (held === null || [200, 201, 204, 409].indexOf(xhr.status) < 0) throw refusal(xhr);
    url = url || xhr.getResponseHeader("Location");
    offset = parseInt(held, 10);
    failingSince = tries = 0;
    note.textContent = "Mengunggah " + file.name + "...";
    return xhr.status === 200 ? stored(xhr) : next();
  }
  function next() {
    bar.value = Math.min(offset, file.size - 1);
    var headers = {"Upload-Offset": offset, "Content-Type": "application/offset+octet-stream"};
    return ask("PATCH", url, file.slice(offset, offset + PIECE), headers, function (evt) {
      bar.value = Math.min(offset + evt.loaded, file.size - 1);
    }).then(answered, retry);
  }
  function retry() {
    failingSince = failingSince || Date.now();
    if (Date.now() - failingSince > GIVE_UP_MS) {
      throw new Error("Koneksi terputus terlalu lama; berkas belum tersimpan. Tekan Unggah lagi saat sinyal lebih baik: unggahan dilanjutkan dari bagian yang sudah terkirim.");
    }
    tries += 1;
    note.textContent = "Koneksi terputus, mencoba lagi... (percobaan ke-" + tries + ")";
    return new Promise(function (resolve) {  // or at once when the phone is back online
      setTimeout(resolve, 1000 * Math.min(30, Math.pow(2, tries - 1)));
      window.addEventListener("online", resolve, {once: true});
    }).then(function () { return url ? ask("GET", url).then(answered, retry) : start(); });
  }
  function stored(xhr) {
    var fresh = new DOMParser().parseFromString(xhr.responseText, "text/html").body.firstElementChild;
    bar.value = bar.max;
    fresh.appendChild(bar);
    field.replaceWith(fresh);
    if (window.htmx) htmx.process(fresh);
  }
  return start().catch(function (error) {
    note.className = "field-error upload-note";
    note.textContent = error.message;
    throw error;
  });
}

function refusal(xhr) {
  var plain = /^text\/plain/.test(xhr.getResponseHeader("Content-Type") || "");
  return new Error(plain ? xhr.responseText : "Berkas belum tersimpan (kode " + xhr.status + "). Muat ulang halaman, lalu coba lagi.");
}

// The syarat inputs a submit sends in pieces: the one of an "Unggah" button, or every chosen one.
function piecesToSend(form, submitter) {
  var inputs = submitter && submitter.name === "unggah" ? [submitter.closest(".field").querySelector("input[type=file]")]
    : Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
  return window.Promise && window.crypto ? inputs.filter(function (input) {
    return input && input.dataset.uploadUrl && input.files.length;
  }) : [];
}

function sendAllInPieces(form, inputs, submitter) {
  var buttons = form.querySelectorAll("button");
  buttons.forEach(function (button) { button.disabled = true; });
  var done = function () {
    buttons.forEach(function (button) { button.disabled = false; });
    delete form.dataset.sending;
  };
  inputs.reduce(function (sent, input) { return sent.then(function () { return sendInPieces(input); }); }, Promise.resolve())
    .then(function () {  // the files are stored; "Simpan dan lanjutkan" goes on without them
      if (submitter && submitter.name === "unggah") done(); else form.submit();
    }, done);
}

// A form is sent once: a second click while the first is on its way does nothing. Files wait for
// the server's answer however long it takes; other forms may be sent again after 8 s.
document.addEventListener("submit", function (evt) {
  var form = evt.target, inputs = piecesToSend(form, evt.submitter);
  if (form.dataset.sending) { evt.preventDefault(); return; }
  form.dataset.sending = "1";
  if (inputs.length) {
    evt.preventDefault();
    sendAllInPieces(form, inputs, evt.submitter);
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
