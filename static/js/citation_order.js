// The article form's citations are put in order with "Move up" and "Move down" buttons rather than typed
// numbers: the first is the lead source, whose disclaimer applies. Each row's hidden position is
// numbered from the rows' order when the form is sent.
"use strict"
;(() => {
  const GROUP = "#citations-group"

  function rows(group) {
    return [...group.querySelectorAll("tbody tr.form-row")].filter(
      (row) => !row.classList.contains("empty-form") && row.querySelector("input[name$='-position']"),
    )
  }

  function chosen(row) {
    const source = row.querySelector("select[name$='-source']")
    return Boolean(source && source.value) || row.classList.contains("has_original")
  }

  function button(label, symbol) {
    const element = document.createElement("button")
    element.type = "button"
    element.textContent = symbol
    element.title = label
    element.setAttribute("aria-label", label)
    element.dataset.step = label === "Move up" ? "-1" : "1"
    return element
  }

  function addButtons(row) {
    if (row.querySelector(".citation-order")) return
    const cell = document.createElement("td")
    cell.className = "citation-order"
    cell.append(button("Move up", "↑"), button("Move down", "↓"))
    row.querySelector("td.original").after(cell)
  }

  function move(group, row, step) {
    const all = rows(group)
    const target = all[all.indexOf(row) + step]
    if (!target) return
    if (step < 0) target.before(row)
    else target.after(row)
  }

  function number(group) {
    // Only rows with a source: an untouched extra row must stay unchanged, or the form would ask for it.
    rows(group)
      .filter(chosen)
      .forEach((row, index) => {
        row.querySelector("input[name$='-position']").value = String(index)
      })
  }

  document.addEventListener("DOMContentLoaded", () => {
    const group = document.querySelector(GROUP)
    if (!group) return
    const heading = document.createElement("th")
    heading.className = "citation-order"
    heading.textContent = "Order"
    group.querySelector("thead th.original").after(heading)
    // The empty template row gets its cell too, so rows added from it have their buttons.
    for (const row of group.querySelectorAll("tbody tr.form-row")) addButtons(row)
    group.addEventListener("click", (event) => {
      const control = event.target.closest(".citation-order button")
      if (!control) return
      const row = control.closest("tr")
      move(group, row, Number(control.dataset.step))
      control.focus()
    })
    group.closest("form").addEventListener("submit", () => number(group))
  })
})()
