// Conditional questions: a block with data-show-question is shown only while that question's answer meets the
// condition (equals, not_equals, contains, any_other_than, answered); the server checks again (clean_answers).
(function () {
  function values(form, code) {
    var out = [];
    form.querySelectorAll('[name="' + code + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.value !== "") out.push(el.value);
    });
    return out;
  }
  function holds(form, block) {
    var vals = values(form, block.dataset.showQuestion), want = block.dataset.showValue, op = block.dataset.showOp;
    if (op === "answered") return vals.length > 0;
    if (!vals.length) return false;
    if (op === "equals") return vals.length === 1 && vals[0] === want;
    if (op === "not_equals") return !(vals.length === 1 && vals[0] === want);
    if (op === "contains") return vals.indexOf(want) >= 0 || vals.some(function (v) { return v.indexOf(want) >= 0; });
    if (op === "any_other_than") return vals.some(function (v) { return v !== want; });
    return true;
  }
  function update(form) {
    form.querySelectorAll("[data-show-question]").forEach(function (block) { block.hidden = !holds(form, block); });
  }
  document.querySelectorAll(".phone-preview").forEach(function (form) {
    update(form);
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("input", function () { update(form); });
  });
})();
