"""An article body holding every construct the sanitiser keeps, and a way to compare bodies block by block."""

from html.parser import HTMLParser
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "paste_corpus"
DOCUMENTS = ("web_page", "libreoffice", "word_desktop", "google_docs")

FIRST_PARAGRAPH = "<p>Exporters waited longer for licences this month.</p>"
# What the paste corpus does not already hold: a quote credited with a bare <cite> (as the demo writes
# it) and one with a <footer>, a numbered list that starts late, a fourth-level heading, preformatted
# text, the rarer inline marks, a figure without a caption, and a table with a footer row and a
# header column.
EXTRA = """
<blockquote cite="https://agency.example.cn/commentary"><p>"Compliant exporters have nothing to fear."</p>
<cite>Northern Star News Agency, commentary</cite></blockquote>
<blockquote><p>A measured step.</p><footer>— <cite>The commissioner</cite></footer></blockquote>
<ol start="3"><li><p>Third step</p></li><li><p>Fourth step</p></li></ol>
<h4>Method</h4>
<pre>Tonnes  Month
5,340   May</pre>
<p>Prices <mark>rose</mark>, <small>we estimate</small>, <q>sharply</q>, <u>twice</u>, <s>once</s>,
H<sub>2</sub>O, 10<sup>3</sup>, <code>HS 2805</code>, <b>bold</b> and <i>italic</i><br>on a new line.</p>
<figure><img src="https://cdn.example-news.com/img/map.png" alt="Map of the mines"
width="800" height="450"></figure>
<hr>
<table><caption>Output by <em>grade</em></caption>
<thead><tr><th scope="col">Grade</th><th scope="col">Tonnes</th></tr></thead>
<tbody><tr><th scope="row">Class 1</th><td>5</td></tr><tr><td colspan="2">Merged cell</td></tr></tbody>
<tfoot><tr><td>Total</td><td>5</td></tr></tfoot></table>
<p>See <a href="https://ministry.example.gov/q3" title="The report">the report</a>
and <a href="/sources/">our sources</a>.</p>
"""


def full_body():
    """Every construct at once, raw: the test saves it through the sanitiser like any other body."""
    corpus = "".join((CORPUS / f"{name}.expected.html").read_text() for name in DOCUMENTS)
    return FIRST_PARAGRAPH + corpus + EXTRA


class _Blocks(HTMLParser):
    """Splits HTML into its top-level elements, each kept as its exact source text."""

    VOID = {"br", "hr", "img"}

    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.html, self.depth, self.start, self.blocks = html, 0, None, []
        self.lines = [0]
        for line in html.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.feed(html)
        self.close()

    def _offset(self):
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.start = self._offset()
        if tag in self.VOID:
            if self.depth == 0:
                self.blocks.append(self.html[self.start : self._offset() + len(self.get_starttag_text())])
            return
        self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        if self.depth == 0:
            end = self.html.index(">", self._offset()) + 1
            self.blocks.append(self.html[self.start : end])


def blocks(html):
    """The top-level elements of a body, each as the exact text the body stores."""
    return _Blocks(html).blocks
