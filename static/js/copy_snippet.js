// "Copy" buttons: copy the text of the element named by data-copy-target.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy-target"));
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent).then(function () {
    var done = button.getAttribute("data-copied");
    if (done) button.textContent = done;
  });
});
