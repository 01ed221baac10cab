// Select-all checkbox for bulk actions on list pages.
document.addEventListener("change", function (event) {
  if (event.target.matches("input[data-select-all]")) {
    document.querySelectorAll('input[name="pk"][form="bulk-form"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  }
});
