// Balai's own few lines: the CSRF header for htmx, smaller photos and a progress bar for uploads,
// and the service worker that keeps news readable offline.
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

// A form is sent once: a second click while the first is on its way does nothing.
document.addEventListener("submit", function (evt) {
  var form = evt.target;
  if (form.dataset.sending) { evt.preventDefault(); return; }
  form.dataset.sending = "1";
  setTimeout(function () { delete form.dataset.sending; }, 8000);
  if (form.dataset.progress !== undefined && window.FormData && form.querySelector('input[type="file"]')) {
    evt.preventDefault();
    sendWithProgress(form, evt.submitter);
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
