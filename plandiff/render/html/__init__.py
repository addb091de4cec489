"""The HTML report: one self-contained page per diff, lineage or trace, for people without a
terminal, for editors and for archives.

Every page is built as an element tree (lxml) and serialised once, so registry and plan text
can only ever be text nodes or checked link addresses, never markup: there is no string
concatenation of HTML anywhere in this package. :mod:`~plandiff.render.html.page` holds the
skeleton every page shares (head, Content-Security-Policy, CSS, the source list);
:mod:`~plandiff.render.html.diff` the diff report, :mod:`~plandiff.render.html.history` the
``log`` and ``trace`` pages. Renderers return the document as a string; the CLI writes it.
"""

from plandiff.render.html.page import document

__all__ = ["document"]
