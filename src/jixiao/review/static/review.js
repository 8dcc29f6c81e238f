// Highlight evidence in the source text and drive the review queue from the keyboard.
// No inline scripts (the Content-Security-Policy forbids them); data comes from
// data-spans="start-end;start-end" attributes holding offsets into the source text.
(function () {
  "use strict";
  const source = document.getElementById("source");

  function textNode() {
    return source && source.firstChild && source.firstChild.nodeType === Node.TEXT_NODE
      ? source.firstChild : null;
  }

  function rangesOf(el) {
    const node = textNode();
    const spec = el.getAttribute("data-spans") || "";
    if (!node || !spec) return [];
    return spec.split(";").filter(Boolean).map(function (pair) {
      const parts = pair.split("-").map(Number);
      const range = document.createRange();
      range.setStart(node, Math.min(parts[0], node.length));
      range.setEnd(node, Math.min(parts[1], node.length));
      return range;
    });
  }

  function select(el) {
    document.querySelectorAll(".selected").forEach(function (x) { x.classList.remove("selected"); });
    el.classList.add("selected");
    const ranges = rangesOf(el);
    if (!ranges.length) return;
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("evidence", new Highlight(...ranges));
    }
    source.dataset.highlighted = ranges.map(function (r) { return r.toString(); }).join("\u241E");
    const box = ranges[0].getBoundingClientRect();
    const frame = source.getBoundingClientRect();
    source.scrollTop += box.top - frame.top - frame.height / 3;
  }

  document.addEventListener("click", function (event) {
    const el = event.target.closest("[data-spans]");
    if (el && !event.target.closest("a, button, input, select")) select(el);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-spans]")) select(event.target);
  });

  const auto = document.querySelector("[data-autoselect]");
  if (auto) select(auto);

  const form = document.getElementById("decide");
  if (!form) return;
  const reviewer = document.getElementById("reviewer");
  if (reviewer && !reviewer.value) reviewer.value = localStorage.getItem("jixiao-reviewer") || "";
  form.addEventListener("submit", function () {
    if (reviewer) localStorage.setItem("jixiao-reviewer", reviewer.value);
  });
  const newValue = document.getElementById("new-value");
  newValue.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); document.getElementById("btn-correct").click(); }
  });
  form.addEventListener("keydown", function (event) {
    // Enter in the name or comment field must not fire the first button (accept) by accident
    if (event.key === "Enter" && event.target.matches("input") && event.target !== newValue) event.preventDefault();
    if (event.key === "Escape" && event.target.matches("input, select")) event.target.blur();
  });
  document.addEventListener("keydown", function (event) {
    if (event.target.matches("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const buttons = { a: "btn-accept", w: "btn-source-wrong", s: "btn-skip" };
    if (event.key === "e") { event.preventDefault(); newValue.focus(); return; }
    if (buttons[event.key]) { event.preventDefault(); document.getElementById(buttons[event.key]).click(); }
  });
})();
