// Select-all checkbox for bulk actions on list pages.
document.addEventListener("change", function (event) {
  if (event.target.matches("input[data-select-all]")) {
    document.querySelectorAll('input[name="pk"][form="bulk-form"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  }
});
// Print buttons (no inline handlers: the Content-Security-Policy forbids inline script).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
