// The body editor's document schema for what core.sanitizer keeps in an article and the editor's own
// nodes do not hold: a table's caption and its header and footer rows, a header cell's scope, the
// credit of a quote (<cite>), <q>, <mark>, <small> and preformatted text. Without them an edit
// anywhere in a body rewrote these parts on save (a caption became a data row, a credit a plain
// paragraph). articles.forms turns these on; articles.body_guard refuses a save that loses them anyway.
import {
  Mark,
  mergeAttributes,
  Node,
  Table,
  TableHeader,
  TableRow,
  getHTMLFromFragment,
  gettext,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const SECTION_OF = { THEAD: "head", TBODY: "body", TFOOT: "foot" }
const SECTION_TAG = { head: "thead", body: "tbody", foot: "tfoot" }

// Parsed in an inert <template>, so nothing in the markup loads or runs while the editor works with it.
function parsed(html, context = "") {
  const template = document.createElement("template")
  template.innerHTML = context ? `<${context}>${html}</${context}>` : html
  return context ? template.content.firstElementChild : template.content
}

function captionText(html) {
  return html ? parsed(html).textContent : ""
}

function escaped(text) {
  const span = document.createElement("span")
  span.textContent = text
  return span.innerHTML
}

// A row knows which part of the table it belongs to; the table writes consecutive rows of one part
// into one <thead>, <tbody> or <tfoot>.
export const ArticleTableRow = TableRow.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      section: {
        default: "body",
        parseHTML: (element) => SECTION_OF[element.parentElement?.tagName] || "body",
        renderHTML: () => ({}),
      },
    }
  },
})

export const ArticleTableHeader = TableHeader.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      scope: {
        default: null,
        parseHTML: (element) => element.getAttribute("scope"),
        renderHTML: (attributes) => (attributes.scope ? { scope: attributes.scope } : {}),
      },
    }
  },
})

// The caption is kept as the table's attribute (its markup as saved): prosemirror's table commands
// count every child of a table as a row, so it cannot be a child node.
export const ArticleTable = Table.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      caption: {
        default: null,
        parseHTML: (element) => {
          const caption = element.querySelector(":scope > caption")
          return caption ? caption.innerHTML.trim() || null : null
        },
        renderHTML: () => ({}),
      },
    }
  },

  parseHTML() {
    // The caption's text is read by the attribute above and must not become a row of the table.
    return [{ tag: "table" }, { tag: "caption", ignore: true }]
  },

  renderHTML({ node, HTMLAttributes }) {
    const table = document.createElement("table")
    for (const [name, value] of Object.entries(mergeAttributes(this.options.HTMLAttributes, HTMLAttributes))) {
      if (value != null) table.setAttribute(name, value)
    }
    if (node.attrs.caption) {
      const caption = table.appendChild(document.createElement("caption"))
      caption.append(parsed(node.attrs.caption))
    }
    let part = null
    node.forEach((row, offset) => {
      const tag = SECTION_TAG[row.attrs.section] || "tbody"
      if (!part || part.localName !== tag) {
        part = table.appendChild(document.createElement(tag))
      }
      const html = getHTMLFromFragment(node.content.cut(offset, offset + row.nodeSize), node.type.schema)
      part.append(...parsed(`<tbody>${html}</tbody>`, "table").querySelector("tbody").childNodes)
    })
    return table
  },

  addNodeView() {
    const create = this.parent?.()
    return (props) => {
      const view = create(props)
      const caption = document.createElement("caption")
      caption.contentEditable = "false"
      caption.className = "article-table-caption"
      const show = (node) => {
        caption.textContent = captionText(node.attrs.caption)
        if (node.attrs.caption && !caption.isConnected) view.table.prepend(caption)
        if (!node.attrs.caption) caption.remove()
      }
      show(props.node)
      const update = view.update.bind(view)
      view.update = (node) => {
        if (!update(node)) return false
        show(node)
        return true
      }
      const ignoreMutation = view.ignoreMutation.bind(view)
      view.ignoreMutation = (record) => caption.contains(record.target) || ignoreMutation(record)
      return view
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      editTableCaption:
        () =>
        ({ editor, state }) => {
          const table = enclosing(state, "table")
          if (!table) return false
          const before = captionText(table.node.attrs.caption)
          updateAttrsDialog(
            { caption: { type: "string", title: gettext("Caption") } },
            { title: gettext("Table caption"), submitText: gettext("Update") },
          )(editor, { caption: before }).then((attrs) => {
            // An unchanged text keeps the caption's markup (its emphasis and links) as it was.
            if (!attrs || attrs.caption.trim() === before.trim()) return
            const caption = attrs.caption.trim() ? escaped(attrs.caption.trim()) : null
            editor
              .chain()
              .focus()
              .command(({ tr }) => {
                tr.setNodeAttribute(table.pos, "caption", caption)
                return true
              })
              .run()
          })
          return true
        },
      toggleHeaderSection:
        () =>
        ({ state, dispatch }) => {
          const row = enclosing(state, "tableRow")
          if (!row) return false
          if (dispatch) {
            const section = row.node.attrs.section === "head" ? "body" : "head"
            dispatch(state.tr.setNodeAttribute(row.pos, "section", section))
          }
          return true
        },
    }
  },

  addMenuItems({ editor, buttons, menu }) {
    this.parent?.({ editor, buttons, menu })
    const inTable = (editor) => !editor.isActive("table")
    menu.defineItem({
      name: "table:caption",
      groups: "table",
      command(editor) {
        editor.chain().focus().editTableCaption().run()
      },
      button: buttons.material("title", gettext("Table caption")),
      hidden: inTable,
    })
    menu.defineItem({
      name: "table:headerSection",
      groups: "table",
      command(editor) {
        editor.chain().focus().toggleHeaderSection().run()
      },
      button: buttons.material("table_rows", gettext("Header row (thead)")),
      hidden: inTable,
      active(editor) {
        const row = enclosing(editor.state, "tableRow")
        return Boolean(row && row.node.attrs.section === "head")
      },
    })
  },
})

function enclosing(state, name) {
  const { $from } = state.selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name === name) return { node, pos: $from.before(depth) }
  }
  return null
}

function phrase(name, tag, attributes = {}) {
  return Mark.create({
    name,
    addAttributes() {
      return attributes
    },
    parseHTML() {
      return [{ tag }]
    },
    renderHTML({ HTMLAttributes }) {
      return [tag, mergeAttributes(HTMLAttributes), 0]
    },
  })
}

// A quote's credit: the sanitiser keeps it as <p><cite>…</cite></p> inside the <blockquote>.
export const Cite = phrase("cite", "cite")
export const InlineQuote = phrase("inlineQuote", "q", { cite: { default: null } })
export const Highlighted = phrase("highlighted", "mark")
export const SmallPrint = phrase("smallPrint", "small")

export const Preformatted = Node.create({
  name: "preformatted",
  group: "block",
  content: "text*",
  marks: "_",
  code: true,
  defining: true,
  parseHTML() {
    return [{ tag: "pre", preserveWhitespace: "full" }]
  },
  renderHTML() {
    return ["pre", 0]
  },
})
