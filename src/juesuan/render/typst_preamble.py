"""The Typst preamble of ``juesuan.render.typst``: page, fonts, and the helper functions
(H, P, TOC, FIG, TB, HC, C) the generated body calls.

A ``%``-format string: the font stacks, the watermark, title and author are
filled in as Typst literals (``%%`` is a literal percent sign).  The layout
mirrors the print CSS in ``templates/style.css.j2``.
"""

PREAMBLE = r"""
#let FS = %(fangsong)s
#let HEI = %(sans)s
#let KAI = %(kai)s
#let SONG = %(serif)s
#let MARK = %(mark)s
#let RED = rgb("#c00000")
#set document(title: %(title)s, author: %(author)s)
#set text(font: FS, size: 16pt, lang: "zh", region: "cn", top-edge: 0.8em, bottom-edge: -0.2em,
  cjk-latin-spacing: none)
#set par(justify: true, leading: 12pt, spacing: 12pt, first-line-indent: 0pt)
#set block(spacing: 12pt)
// The continued labels of a table's groups: on every page a long table continues on, above its
// repeated header rows, the 类 and 款 before the page that go on there (``m`` of C on a 类 or
// 款 row: table, level, label), not one the page starts anew (a group row right under the
// header).  Drawn with the page's background, from where the table's header markers (<jht> at
// its top, <jhb> at its bottom, one of each per page it is on) and the group marks (<jgrp>)
// were laid out: nothing in the table depends on them, so the table is laid out once.
#let FIRSTON(xs, p) = {  // the first of ``xs`` (in page order) on page p or after
  let (lo, hi) = (0, xs.len())
  while lo < hi {
    let mid = calc.quo(lo + hi, 2)
    if xs.at(mid).location().page() < p { lo = mid + 1 } else { hi = mid }
  }
  lo
}
#let CONTS() = context {
  let p = here().page()
  let tops = query(<jht>)
  let i = FIRSTON(tops, p)
  if i >= tops.len() or tops.at(i).location().page() != p { return }
  let key = tops.at(i).value
  if i == 0 or tops.at(i - 1).value != key { return }  // the table starts on this page
  let at = tops.at(i).location().position()
  let bottom = query(<jhb>).at(i).location().position()
  let gs = query(<jgrp>)
  let j = FIRSTON(gs, p) - 1
  if j < 0 or gs.at(j).value.at(0) != key { return }
  let first = 0  // the level of a group row right under the header
  if j + 1 < gs.len() {
    let n = gs.at(j + 1)
    let np = n.location().position()
    if n.value.at(0) == key and np.page == p and np.y - bottom.y < 8pt { first = n.value.at(1) }
  }
  let k = j
  let kuan = none
  while k >= 0 and gs.at(k).value.at(0) == key and gs.at(k).value.at(1) != 2 {
    if kuan == none { kuan = gs.at(k).value.at(2) }
    k -= 1
  }
  let labels = ()
  if k >= 0 and gs.at(k).value.at(0) == key and first != 2 { labels.push(gs.at(k).value.at(2) + "（续）") }
  if kuan != none and first == 0 { labels.push(kuan + "（续）") }
  if labels.len() > 0 {
    place(top + left, dx: at.x, dy: at.y - 15pt, text(font: SONG, size: 10.5pt, labels.join(h(2em))))
  }
}
#set page(paper: "a4", margin: (top: 3.7cm, bottom: 3.5cm, left: 2.8cm, right: 2.6cm),
  numbering: "1", footer-descent: 35%%,
  footer: context {
    let n = counter(page).get().first()
    if n > 1 { align(center, text(font: SONG, size: 14pt, "— " + str(n) + " —")) }
  },
  header: if MARK != "" { align(center, text(font: HEI, size: 12pt, weight: "bold", fill: RED, MARK)) },
  background: {
    CONTS()
    if MARK != "" {
      place(center + horizon, rotate(-30deg, reflow: false,
        text(font: HEI, size: 48pt, fill: rgb(192, 0, 0, 38), MARK)))
    }
  },
)
#show heading: it => {
  set text(font: if it.level >= 3 { KAI } else { HEI }, size: 16pt, weight: "regular")
  set par(justify: false, first-line-indent: 0pt)
  if it.level == 1 {
    block(above: 26pt, below: 26pt, sticky: true, width: 100%%, align(center, it.body))
  } else {
    block(above: 12pt, below: 12pt, sticky: true, width: 100%%, { h(2em); it.body })
  }
}
#show outline.entry: set block(spacing: 12pt)
#show outline.entry.where(level: 1): set text(font: HEI)
#let H(level, body, outlined: true) = heading(level: level, outlined: outlined, body)
#let P(style, body, prefix: "") = {
  let b = if prefix != "" { text(font: HEI, prefix) + body } else { body }
  if style == "title" {
    block(above: 44pt, below: 33pt, width: 100%%, {
      set text(font: HEI, size: 22pt)
      set par(leading: 11pt, justify: false)
      align(center, b)
    })
  } else if style == "subtitle" {
    block(width: 100%%, align(center, text(font: KAI, b)))
  } else if style == "center" {
    block(width: 100%%, align(center, b))
  } else if style == "signature" {
    block(width: 100%%, align(right, b))
  } else if style == "meta" {
    block(below: 26pt, width: 100%%, pad(left: 4em, b))
  } else if style == "note" {
    block(above: 9pt, below: 9pt, width: 100%%, {
      set text(size: 12pt)
      set par(leading: 6pt)
      h(2em); b
    })
  } else {
    block(width: 100%%, { h(2em); b })
  }
}
#let TOC(title) = {
  outline(title: title, depth: 3, indent: 1em)
  pagebreak(weak: true)
}
#let FIG(path, width, caption) = block(above: 26pt, below: 26pt, breakable: false, width: 100%%, {
  align(center, image(path, width: width))
  v(4pt)
  align(center, text(size: 14pt, caption))
})
#let HC(body, cs: 1, rs: 1, a: center) = table.cell(colspan: cs, rowspan: rs, align: a + horizon,
  breakable: rs > 1, fill: luma(242), text(font: HEI, body))
// an indent is the cell's own left inset, not a pad around its text: the same place on the
// page, one layout less per cell (a 1,000-row department's PDF: 7 %% less memory)
// ``r``: the row's index in the table's body, in a PDF laid out in parts (render/typst_parts.py)
#let C(body, cs: 1, rs: 1, a: left, b: false, i: 0, m: none, r: none) = table.cell(colspan: cs,
  rowspan: rs, align: a + horizon, breakable: rs > 10, inset: (x: 3pt, y: 3pt, left: 3pt + i * 1.2em), {
    if m != none { place(top + left, [#metadata(m)<jgrp>]) }
    if r != none { place(top + left, [#metadata(r)<jrow>]) }
    if b { text(weight: "bold", body) } else { body }
  })
#let SMALL(body) = block(above: 6pt, below: 6pt, width: 100%%, {
  set text(font: SONG, size: 10.5pt)
  set par(leading: 0.6em, justify: true)
  body
})
// A table that fits on a page (with room for the headings above it) is never split; one a
// little taller than that is set a little smaller so that it fits, instead of leaving its
// last rows alone on the next page; a longer one breaks across pages, its header repeated.
// ``plain`` is the same table without its continued labels (of no height on one page): what is
// measured, so that no label's query is laid out inside the measurement.
#let FIT(plain, body, size) = context {
  let (w, h) = size
  let th = measure(block(width: w, plain)).height
  let room = h * 0.85
  if th <= room { block(breakable: false, body) }
  else if th <= h * 1.08 {
    block(breakable: false, align(center, scale(room / th * 100%%, reflow: true, body)))
  } else { body }
}
// ``cont``: the rest of a table whose title is on an earlier page (a PDF laid out in parts)
#let TB(title, org, unit, tbl, note: "", empty: "", small: false, fit: none, plain: none, cont: false) = {
  let body(tbl) = {
    if not cont {
      block(sticky: true, below: 8pt, width: 100%%, {
        set text(font: HEI, size: 16pt)
        set par(leading: 8pt, justify: false)
        align(center, title)
      })
      block(sticky: true, above: 0pt, below: 4pt, width: 100%%, {
        set text(font: SONG, size: 10.5pt)
        grid(columns: (1fr, auto), column-gutter: 1em, align(left, org), align(right, unit))
      })
    }
    if tbl != none {
      set text(font: SONG, size: 10.5pt)
      set par(leading: 0.35em, justify: false)
      tbl
    }
    if empty != "" { SMALL(empty) }
    if note != "" { SMALL(note) }
  }
  block(above: 26pt, below: 26pt, width: 100%%, breakable: not small,
    if fit != none { FIT(body(if plain != none { plain } else { tbl }), body(tbl), fit) } else { body(tbl) })
}
#if MARK != "" {
  block(fill: RED, width: 100%%, inset: 6pt, align(center, text(font: HEI, size: 14pt, fill: white, MARK)))
}
"""
