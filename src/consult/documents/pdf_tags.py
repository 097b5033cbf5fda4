"""Tagged PDF for forms drawn with ReportLab: the structure tree, built as pages are drawn.

A screen reader reads a PDF by its structure tree, not by where ink falls on the page.
ReportLab writes no tree, so this module builds one while the form is drawn: the
canvas carries a :class:`StructureTree` (:func:`tree_of`), and what draws content says
what it is:

- a paragraph draws itself as ``P``, or ``H1``/``H2``/``H3`` for a heading, inside a
  marked-content sequence (``/P <</MCID n>> BDC … EMC``) that ties the ink to its
  element (:meth:`StructureTree.content`);
- a table is tagged by its render callback (:class:`TableTags`): ``Table``, ``TR``,
  ``TH`` (with its scope: a column's header or a row's) and ``TD``, the paragraphs of a
  cell inside its cell; a table used only to lay things side by side adds no element
  and its content reads in order; rules and backgrounds are artifacts;
- a figure (a signature, the QR code) is a ``Figure`` with its alternate text;
- page furniture (the running head and the footer repeated on every page) is an
  ``/Artifact`` of type Pagination, which a screen reader skips
  (:meth:`StructureTree.artifact`).

The elements hang in drawing order under one ``Document`` element, which is reading
order: the form is one column, drawn top to bottom. :meth:`StructureTree.write` puts the
tree into the document before it is written: the structure tree root with its parent
tree (each page's marked content back to its element), ``/MarkInfo``, ``/StructParents``
and ``/Tabs /S`` on every page. Lists are not tagged as lists: a bullet point is a
paragraph that starts with its bullet.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any, Final

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFString,
)
from reportlab.platypus import Flowable

__all__ = ["StructureTree", "TableTags", "tagged", "tree_of"]

_PAGE_KEYS: Final = (*PDFPage.__NoDefault__, "StructParents", "Tabs")
HEADER_ROW: Final = "Column"
"""A header cell's scope: the header of its column."""
HEADER_COLUMN: Final = "Row"
"""A header cell's scope: the header of its row."""


def _empty(value: Any) -> bool:
    """Whether a table cell's value is text with nothing to read."""
    return not isinstance(value, (Flowable, list, tuple)) and not str(value or "").strip()


def tree_of(canvas: Any) -> StructureTree | None:
    """The structure tree ``canvas`` records into (None: an untagged document)."""
    tree = getattr(canvas, "structure", None)
    return tree if isinstance(tree, StructureTree) else None


def tagged(
    canvas: Any, role: str | None, *, alt: str | None = None, lang: str | None = None
) -> contextlib.AbstractContextManager[None]:
    """What the block draws on ``canvas``, as an element of ``role`` with alternate text
    ``alt`` and, where it differs from the document's, its language ``lang`` (a screen
    reader reads an English passage of a Japanese form as English);
    :meth:`StructureTree.content`. On an untagged canvas, just drawn."""
    tree = tree_of(canvas)
    if tree is None:
        return contextlib.nullcontext()
    return tree.content(canvas, role, alt=alt, lang=lang)


class _Indirect(PDFObject):  # type: ignore[misc]  # reportlab is untyped
    """An object of the structure tree, written as an indirect object and referred to by
    number. A tree of some three hundred elements refers to each one twice or more (its
    parent's kids, its kids' parent, the parent tree); the reference is made once."""

    __RefOnly__ = 1
    _reference: bytes | None = None

    def reference(self, document: Any) -> bytes:
        """``N 0 R``, the object registered with ``document`` when first referred to
        (where ReportLab would register it: the objects keep their numbers)."""
        if self._reference is None:
            self._reference = bytes(document.Reference(self).format(document))
        return self._reference


class _Referred(PDFObject):  # type: ignore[misc]  # reportlab is untyped
    """An indirect object's reference, for a ReportLab array (which would otherwise look
    the object up again)."""

    def __init__(self, target: _Indirect) -> None:
        self.target = target

    def format(self, document: Any) -> bytes:
        return self.target.reference(document)


class _Element(_Indirect):
    """One structure element, written as an indirect object when the document is."""

    def __init__(
        self,
        role: str,
        parent: _Root | _Element,
        *,
        alt: str | None = None,
        attributes: Mapping[str, Any] | None = None,
        lang: str | None = None,
    ) -> None:
        self.role = role
        self.parent = parent
        self.root: _Root = parent if isinstance(parent, _Root) else parent.root
        self.alt = alt
        self.lang = lang
        self.attributes = attributes
        self.kids: list[_Element | tuple[int, int]] = []
        """Child elements, and marked content as (page number, MCID)."""

    def format(self, document: Any) -> bytes:
        # Written out by hand: a form has some three hundred elements, and ReportLab's
        # generic dictionaries, names and arrays would take longer than drawing the page.
        pages = [kid[0] for kid in self.kids if isinstance(kid, tuple)]
        page = pages[0] if pages else None
        kids: list[bytes] = []
        for kid in self.kids:
            if not isinstance(kid, tuple):
                kids.append(kid.reference(document))
            elif kid[0] == page:
                kids.append(b"%d" % kid[1])
            else:  # marked content on another page than the element's own
                on = self.root.page(kid[0], document)
                kids.append(b"<< /Type /MCR /Pg %s /MCID %d >>" % (on, kid[1]))
        parts = [
            b"<< /Type /StructElem /S /%s /P %s"
            % (self.role.encode("ascii"), self.parent.reference(document))
        ]
        if page is not None:
            parts.append(b" /Pg " + self.root.page(page, document))
        parts.append(b" /K [" + b" ".join(kids) + b"]")
        if self.alt is not None:
            parts.append(b" /Alt " + bytes(PDFString(self.alt).format(document)))
        if self.lang is not None:
            parts.append(b" /Lang " + bytes(PDFString(self.lang).format(document)))
        if self.attributes:
            attributes = b" ".join(
                b"/%s /%s" % (key.encode("ascii"), value.encode("ascii"))
                for key, value in self.attributes.items()
            )
            parts.append(b" /A << " + attributes + b" >>")
        parts.append(b" >>")
        return b"".join(parts)


class _Root(_Indirect):
    """The structure tree root: the document element, and the parent tree."""

    def __init__(self) -> None:
        self.document: _Element | None = None
        self.pages: list[list[_Element]] = []
        self._pages: dict[int, bytes] = {}

    def page(self, number: int, document: Any) -> bytes:
        """A reference to page ``number``: ReportLab names the pages it writes Page1,
        Page2, … (``PDFDocument.thisPageName``)."""
        found = self._pages.get(number)
        if found is None:
            found = bytes(PDFObjectReference(f"Page{number}").format(document))
            self._pages[number] = found
        return found

    def format(self, document: Any) -> bytes:
        numbers: list[Any] = []
        for index, owners in enumerate(self.pages):
            numbers += [index, PDFArray([_Referred(owner) for owner in owners])]
        return bytes(
            PDFDictionary(
                {
                    "Type": PDFName("StructTreeRoot"),
                    "K": PDFArray([self.document]),
                    "ParentTree": PDFDictionary({"Nums": PDFArray(numbers)}),
                    "ParentTreeNextKey": len(self.pages),
                }
            ).format(document)
        )


class StructureTree:
    """The logical structure of one document, recorded while its pages are drawn.

    Drawing code opens and closes elements (:meth:`open`, :meth:`close`) and draws
    content inside :meth:`content` or :meth:`artifact`; the canvas calls
    :meth:`tag_page` for each page it writes and :meth:`write` before the document is.
    """

    def __init__(self) -> None:
        self._root = _Root()
        self._root.document = _Element("Document", self._root)
        self._open: list[_Element] = [self._root.document]
        self._artifacts = 0
        self._marked = 0

    def open(
        self,
        role: str,
        *,
        alt: str | None = None,
        attributes: Mapping[str, Any] | None = None,
        lang: str | None = None,
    ) -> None:
        """Start an element of ``role`` inside the current one; what follows is its."""
        if self._artifacts:
            return
        element = _Element(role, self._open[-1], alt=alt, attributes=attributes, lang=lang)
        self._open[-1].kids.append(element)
        self._open.append(element)

    def close(self) -> None:
        """End the element :meth:`open` started last."""
        if self._artifacts:
            return
        if len(self._open) == 1:
            raise RuntimeError("closing the document element")
        self._open.pop()

    @contextlib.contextmanager
    def content(
        self, canvas: Any, role: str | None, *, alt: str | None = None, lang: str | None = None
    ) -> Iterator[None]:
        """Draw what the block draws as an element of ``role`` (None: as content of the
        current element), tied to it by a marked-content sequence."""
        if self._artifacts or self._marked:
            # Inside an artifact, or already inside marked content (which does not
            # nest): the ink belongs to what is around it.
            yield
            return
        if role is not None:
            self.open(role, alt=alt, lang=lang)
        element = self._open[-1]
        page = canvas.getPageNumber()
        while len(self._root.pages) < page:
            self._root.pages.append([])
        owners = self._root.pages[page - 1]
        element.kids.append((page, len(owners)))
        canvas.addLiteral(f"/{element.role} <</MCID {len(owners)}>> BDC")
        owners.append(element)
        self._marked += 1
        try:
            yield
        finally:
            self._marked -= 1
            canvas.addLiteral("EMC")
            if role is not None:
                self.close()

    @contextlib.contextmanager
    def artifact(self, canvas: Any, kind: str | None = None) -> Iterator[None]:
        """Draw what the block draws as an artifact (rules, tints, page furniture),
        which assistive technology skips; nothing inside it is tagged."""
        if self._artifacts or self._marked:
            yield
            return
        canvas.addLiteral("/Artifact BMC" if kind is None else f"/Artifact <</Type /{kind}>> BDC")
        self._artifacts += 1
        try:
            yield
        finally:
            self._artifacts -= 1
            canvas.addLiteral("EMC")

    def begin_artifact(self, canvas: Any) -> None:
        """:meth:`artifact` for drawing code that reports its start and end apart."""
        if self._artifacts or self._marked:
            self._artifacts += 1
            return
        canvas.addLiteral("/Artifact BMC")
        self._artifacts += 1

    def end_artifact(self, canvas: Any) -> None:
        """Ends what :meth:`begin_artifact` began."""
        self._artifacts -= 1
        if not (self._artifacts or self._marked):
            canvas.addLiteral("EMC")

    def tag_page(self, page: PDFPage, number: int) -> None:
        """Make page ``number`` (ReportLab's page object) part of the tree: its marked
        content is found through the parent tree, and Tab follows the structure."""
        while len(self._root.pages) < number:
            self._root.pages.append([])
        # ReportLab's page writes the keys its class lists; these two it does not know.
        page.__NoDefault__ = list(_PAGE_KEYS)
        page.StructParents = number - 1
        page.Tabs = PDFName("S")
        page.Trans = None  # ReportLab writes an empty transition otherwise

    def write(self, catalog: Any) -> None:
        """Put the tree into the document's ``catalog``: the structure tree root and
        the mark that the document is tagged."""
        if len(self._open) != 1 or self._artifacts or self._marked:
            raise RuntimeError("the structure tree has elements left open")
        catalog.StructTreeRoot = self._root
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})


class TableTags:
    """A table's render callback (ReportLab's ``renderCB``) that tags it as it is drawn.

    ``header_rows`` rows at the top are column headers (a table split over pages repeats
    them, and each part is a table of its own); cells in ``header_columns`` are the
    headers of their rows. With ``layout``, the table only lays its cells side by side:
    it adds no element, and its cells' content reads in order.
    """

    def __init__(
        self,
        *,
        header_rows: int = 0,
        header_columns: frozenset[int] = frozenset(),
        layout: bool = False,
    ) -> None:
        self.header_rows = header_rows
        self.header_columns = header_columns
        self.layout = layout
        self._cell: contextlib.ExitStack | None = None

    def __call__(self, table: Flowable, event: str, *args: Any) -> None:
        tree = tree_of(table.canv)
        if tree is None:
            return
        canvas = table.canv
        if event in ("startBG", "startLines"):
            tree.begin_artifact(canvas)
        elif event in ("endBG", "endLines"):
            tree.end_artifact(canvas)
        elif self.layout:
            self._layout_cell(tree, canvas, event, args)
        elif event == "startTable":
            tree.open("Table")
        elif event == "startRow":
            tree.open("TR")
        elif event == "startCell":
            row, column, value = args[0], args[1], args[2]
            if _empty(value):
                tree.open("TD")  # a filler: an empty cell, heading nothing
            elif row < self.header_rows:
                tree.open("TH", attributes={"O": "Table", "Scope": HEADER_ROW})
            elif column in self.header_columns:
                tree.open("TH", attributes={"O": "Table", "Scope": HEADER_COLUMN})
            else:
                tree.open("TD")
            self._begin_text(tree, canvas, value)
        elif event == "endCell":
            self._end_text()
            tree.close()
        elif event in ("endRow", "endTable"):
            tree.close()

    def _layout_cell(self, tree: StructureTree, canvas: Any, event: str, args: Any) -> None:
        if event == "startCell":
            self._begin_text(tree, canvas, args[2], role="P")
        elif event == "endCell":
            self._end_text()

    def _begin_text(
        self, tree: StructureTree, canvas: Any, value: Any, role: str | None = None
    ) -> None:
        # A cell of plain text (not flowables, which tag themselves) is drawn as the
        # cell's own content; an empty one draws no ink, only an empty text object.
        if isinstance(value, (Flowable, list, tuple)):
            return
        stack = contextlib.ExitStack()
        if _empty(value):
            stack.enter_context(tree.artifact(canvas))
        else:
            stack.enter_context(tree.content(canvas, role))
        self._cell = stack

    def _end_text(self) -> None:
        if self._cell is not None:
            self._cell.close()
            self._cell = None
