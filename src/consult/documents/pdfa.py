"""PDF/A-3b for the sealed form, written into ReportLab's document as it is made.

A signed form is read for years, by people without Consult. PDF/A-3 (ISO 19005-3, level
B) is the archival PDF that any conforming reader shows the same way in twenty years;
what it asks beyond what the form already does (every font embedded, no encryption, no
external content), this module adds to ReportLab's document before it is written:

- **XMP metadata** naming the file PDF/A-3b (``pdfaid:part`` 3, ``pdfaid:conformance``
  B), with the title, author, subject, keywords, creating tool, producer and dates of
  the document information dictionary, the same values in both (PDF/A requires them to
  agree); the stream is left uncompressed, as PDF/A asks;
- an **output intent** with the sRGB ICC profile (``resources/icc/sRGB.icc``, made by
  Little CMS; see its README), so that the colours the form draws in device RGB have a
  defined meaning;
- the **sealed record as an associated file** (``/AF``, relationship ``/Data``, MIME
  type ``application/json``, also listed in the embedded files): the machine-readable
  record travels with the paper one, and anyone can hash it again (its SHA-256 is the
  one printed on the form).

ReportLab writes none of these by itself; its catalog writes only the entries it knows,
so the two PDF 2.0 / PDF/A-3 entries (``/AF``, ``/OutputIntents``) are named to it here.
Everything is derived from the arguments alone, so the output stays deterministic.

A printed copy (the sealed form with a mark drawn over every page) keeps all of these,
and is an archival document too: :func:`restate_as_copy` makes its metadata say what it
is (its title names the copy, its modification time is the print's), in the information
dictionary and the XMP alike, as PDF/A asks.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFCatalog,
    PDFDictionary,
    PDFName,
    PDFStream,
    PDFString,
    PDFZCompress,
)

from consult import resources

__all__ = [
    "ICC_PROFILE",
    "OUTPUT_CONDITION",
    "PRODUCER",
    "ArchivalInfo",
    "AssociatedFile",
    "pdf_date",
    "restate_as_copy",
    "write_archival_parts",
    "xmp_date",
    "xmp_packet",
]

ICC_PROFILE: Final = ("icc", "sRGB.icc")
"""The output intent's profile, under ``resources/``."""
OUTPUT_CONDITION: Final = "sRGB IEC61966-2.1"
PRODUCER: Final = "Consult (ReportLab)"
"""The producer named in the sealed revision; the clinic's signature, a later revision,
names its own (pyHanko) in both the information dictionary and the XMP."""
COPY_PRODUCER: Final = "Consult (ReportLab, pypdf)"
"""The producer a printed copy names: its mark is drawn with ReportLab, merged with pypdf."""
PDF_VERSION: Final = "1.7"
"""The version a sealed form, and every copy of it, declares (PDF/A-3 is based on 1.7)."""

_CATALOG_KEYS: Final = (*PDFCatalog.__NoDefault__, "AF", "OutputIntents")
_JSON: Final = "/application#2Fjson"  # a name's "/" is written #2F; PDFName leaves it


@dataclass(frozen=True)
class ArchivalInfo:
    """What the document information dictionary and the XMP metadata both say."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    created: datetime
    """Creation and modification time alike: the moment the record was signed."""
    language: str


@dataclass(frozen=True)
class AssociatedFile:
    """A file carried inside the PDF as an associated file of the whole document."""

    name: str
    data: bytes
    description: str
    modified: datetime
    mime: str = _JSON


def pdf_date(moment: datetime) -> str:
    """A PDF date string for ``moment`` in UTC, as "D:20261121103100+00'00'"."""
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(moment: datetime) -> str:
    """The same moment as XMP writes it, "2026-11-21T10:31:00+00:00"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def xmp_packet(
    info: ArchivalInfo, producer: str = PRODUCER, modified: datetime | None = None
) -> bytes:
    """The XMP metadata of a PDF/A-3b document saying what ``info`` says, modified at
    ``modified`` (None: when it was created)."""
    when = xmp_date(info.created)
    changed = xmp_date(modified) if modified is not None else when

    def text(value: str) -> str:
        return escape(value)

    def alternative(value: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{text(value)}</rdf:li></rdf:Alt>'

    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>3</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title>{alternative(info.title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>{text(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>{alternative(info.subject)}</dc:description>
<dc:language><rdf:Bag><rdf:li>{text(info.language)}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreatorTool>{text(info.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{changed}</xmp:ModifyDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>{text(producer)}</pdf:Producer>
<pdf:Keywords>{text(info.keywords)}</pdf:Keywords>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
    return packet.encode("utf-8")


@functools.cache
def _icc_profile() -> bytes:
    return resources.path(*ICC_PROFILE).read_bytes()


def write_archival_parts(
    document: Any, info: ArchivalInfo, attachment: AssociatedFile | None
) -> None:
    """Add the PDF/A-3b parts to ReportLab's ``document`` (a canvas's ``PDFDocument``)
    before it is written: the information dictionary's producer and keywords, the XMP
    metadata, the output intent, the document language and ``attachment``, if any."""
    document.info.producer = PRODUCER
    document.info.keywords = info.keywords
    catalog = document.Catalog
    # ReportLab's catalog writes the keys its class lists; these two it does not know.
    catalog.__NoDefault__ = list(_CATALOG_KEYS)
    catalog.Lang = PDFString(info.language)
    catalog.Metadata = PDFStream(
        PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
        xmp_packet(info),
        filters=None,  # PDF/A: the metadata stays readable without decoding
    )
    profile = PDFStream(PDFDictionary({"N": 3}), _icc_profile(), filters=[PDFZCompress])
    catalog.OutputIntents = PDFArray(
        [
            PDFDictionary(
                {
                    "Type": PDFName("OutputIntent"),
                    "S": PDFName("GTS_PDFA1"),
                    "OutputConditionIdentifier": PDFString(OUTPUT_CONDITION),
                    "Info": PDFString(OUTPUT_CONDITION),
                    "RegistryName": PDFString("http://www.color.org"),
                    "DestOutputProfile": profile,
                }
            )
        ]
    )
    if attachment is not None:
        _attach(catalog, attachment)


def restate_as_copy(
    pdf: bytes, *, copy: str, printed_at: datetime, not_before_creation: bool = False
) -> bytes:
    """The copy ``pdf`` (a sealed form's pages with a mark drawn over them) with metadata
    that says it is that copy: its title followed by ``copy`` (which copy it is, as "VOID
    copy printed 2026-12-01"), modified ``printed_at`` by the copy's producer,
    in the information dictionary and the XMP alike, and PDF 1.7 declared in the catalog
    (the writer that merged the mark writes an older header). Everything else, the XMP's
    PDF/A identification, the output intent and any associated file, is kept as it was.

    An incremental update: the copy's bytes are kept and the changed objects appended.
    Raises ValueError if ``pdf`` has no metadata of a sealed form to restate.
    ``not_before_creation``: a ``printed_at`` earlier than the form's creation (a copy
    dated by the start of the day the form was signed) becomes the creation moment.
    """
    reader = PdfReader(io.BytesIO(pdf))
    known = reader.metadata
    created = known.creation_date if known is not None else None
    root = reader.root_object
    if known is None or created is None or "/Metadata" not in root:
        raise ValueError("the copy carries no archival metadata to restate")
    title = f"{known.get('/Title', '')}: {copy}"
    created = created if created.tzinfo is not None else created.replace(tzinfo=UTC)
    if not_before_creation:
        printed_at = max(printed_at, created)
    info = ArchivalInfo(
        title=title,
        author=str(known.get("/Author", "")),
        subject=str(known.get("/Subject", "")),
        keywords=str(known.get("/Keywords", "")),
        creator=str(known.get("/Creator", "")),
        created=created,
        language=str(root.get("/Lang", "")),
    )
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_metadata(
        {"/Title": title, "/ModDate": pdf_date(printed_at), "/Producer": COPY_PRODUCER}
    )
    writer.xmp_metadata = xmp_packet(info, COPY_PRODUCER, modified=printed_at)
    writer.root_object[NameObject("/Version")] = NameObject(f"/{PDF_VERSION}")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _attach(catalog: Any, attachment: AssociatedFile) -> None:
    # PDF's checksum of an embedded file is MD5, for spotting damage, not for security.
    checksum = hashlib.md5(attachment.data, usedforsecurity=False).digest()
    stream = PDFStream(
        PDFDictionary(
            {
                "Type": PDFName("EmbeddedFile"),
                "Subtype": attachment.mime,
                "Params": PDFDictionary(
                    {
                        "ModDate": PDFString(pdf_date(attachment.modified)),
                        "Size": len(attachment.data),
                        "CheckSum": _hex_string(checksum),
                    }
                ),
            }
        ),
        attachment.data,
        filters=[PDFZCompress],
    )
    spec = _Indirect(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(attachment.name),
            "UF": PDFString(attachment.name),
            "Desc": PDFString(attachment.description),
            "AFRelationship": PDFName("Data"),
            "EF": PDFDictionary({"F": stream, "UF": stream}),
        }
    )
    # One file specification, named in both places: the associated files (PDF/A-3) and
    # the embedded files' name tree (where readers list attachments).
    catalog.AF = PDFArray([spec])
    catalog.Names = PDFDictionary(
        {"EmbeddedFiles": PDFDictionary({"Names": PDFArray([PDFString(attachment.name), spec])})}
    )


class _Indirect(PDFDictionary):  # type: ignore[misc]  # reportlab is untyped
    """A dictionary always written as an indirect object (one object, referred to twice)."""

    __RefOnly__ = 1


def _hex_string(data: bytes) -> str:
    return f"<{data.hex().upper()}>"
