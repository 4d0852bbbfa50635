// The admin editor's paste: a document pasted from Word, LibreOffice, Google Docs or a web page is
// tidied by the server (core.paste and core.sanitizer, the same code that cleans every saved body)
// before the editor reads it, so headings, nested lists, links, emphasis, tables and quotes arrive as
// the article will keep them. A copy and paste within the editor is left to the editor itself.
import { Extension, Plugin } from "django-prose-editor/editor"

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]")
  return input ? input.value : ""
}

export const PasteCleanup = Extension.create({
  name: "pasteCleanup",

  addOptions() {
    return { url: "" }
  },

  addProseMirrorPlugins() {
    const url = this.options.url
    return [
      new Plugin({
        props: {
          handlePaste(view, event) {
            const html = event.clipboardData ? event.clipboardData.getData("text/html") : ""
            if (!url || !html || html.includes("data-pm-slice")) return false
            event.preventDefault()
            fetch(url, {
              method: "POST",
              body: new URLSearchParams({ html }),
              credentials: "same-origin",
              headers: { "X-CSRFToken": csrfToken() },
            })
              .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
              .then((data) => view.pasteHTML(data.html))
              // Without an answer the editor pastes as it would have; saving cleans the body anyway.
              .catch(() => view.pasteHTML(html))
            return true
          },
        },
      }),
    ]
  },
})
