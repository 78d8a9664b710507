// Balai's own few lines: the CSRF header for htmx, and refusing too-large files before upload.
document.addEventListener("htmx:config:request", function (evt) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) evt.detail.ctx.request.headers["X-CSRFToken"] = meta.content;
});

document.addEventListener("change", function (evt) {
  var input = evt.target;
  if (input.type !== "file" || !input.dataset.maxBytes) return;
  var max = parseInt(input.dataset.maxBytes, 10), tooBig = [];
  for (var i = 0; i < input.files.length; i++) {
    if (input.files[i].size > max) tooBig.push(input.files[i].name);
  }
  input.setCustomValidity(tooBig.length ?
    "Berkas " + tooBig.join(", ") + " terlalu besar. Paling besar " + Math.round(max / 1048576) + " MB." : "");
  input.reportValidity();
});

// A form is sent once: a second click while the first is on its way does nothing.
document.addEventListener("submit", function (evt) {
  var form = evt.target;
  if (form.dataset.sending) { evt.preventDefault(); return; }
  form.dataset.sending = "1";
  setTimeout(function () { delete form.dataset.sending; }, 8000);
});

// A "Cetak" button: data-print opens the browser's print dialog.
document.addEventListener("click", function (evt) {
  if (evt.target.closest("[data-print]")) window.print();
});
