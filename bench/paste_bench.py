"""Cleaning pasted documents: how long a save spends tidying and sanitising a body.

Builds bodies of about 20, 100 and 200 KB (the largest the editor accepts) from the paste corpus in
tests/support/paste_corpus/ (Word, Google Docs, LibreOffice, a web page) and prints, for each, the time
clean_article_html takes, and the share of it spent parsing the raw HTML into a tree (lxml) and
sanitising (nh3) alone, in CPU time (steady on a busy machine). Usage: python bench/paste_bench.py
[--repeat N]
"""

import argparse
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

import lxml.html  # noqa: E402

from core import sanitizer  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--repeat", type=int, default=5)
args, _ = parser.parse_known_args()

CORPUS = ROOT / "tests" / "support" / "paste_corpus"


def body_of(name, size):
    """The document's body repeated until the raw HTML is about `size` characters."""
    raw = (CORPUS / f"{name}.html").read_text()
    head, _, rest = raw.partition("<body")
    inner = rest.partition(">")[2].rpartition("</body>")[0] or raw
    copies = max(1, size // max(1, len(inner)))
    return f"{head}<body>{inner * copies}</body></html>"


def timed(function, raw):
    times = []
    for _ in range(args.repeat):
        start = time.process_time()
        function(raw)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


print(f"{'document':<14}{'raw KB':>8}{'clean ms':>10}{'parse ms':>10}{'nh3 ms':>9}{'clean/nh3':>11}")
for name in ("word_desktop", "google_docs", "libreoffice", "web_page"):
    for size in (20_000, 100_000, 200_000):
        raw = body_of(name, size)
        clean = timed(sanitizer.clean_article_html, raw)
        parse = timed(lxml.html.document_fromstring, raw)
        nh3_only = timed(sanitizer._article_cleaner.clean, raw)
        print(
            f"{name:<14}{len(raw) / 1000:>8.0f}{clean:>10.1f}{parse:>10.1f}"
            f"{nh3_only:>9.1f}{clean / nh3_only:>11.1f}"
        )
