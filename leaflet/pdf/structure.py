"""Finish a tagged PDF inside ReportLab's own write: structure tree, parent tree, page and catalog entries, XMP."""

from __future__ import annotations

import re
from html import escape  # xml.sax.saxutils would pull in urllib at start-up

from reportlab.pdfbase.pdfdoc import XMP, PDFArray, PDFDictionary, PDFName, PDFObjectReference, PDFPage, PDFString

from .reportlab_internals import add_info_entries, add_page_keys, creation_time
from .tagging import AnnotationItem, MarkedContent, StructNode, Tagger

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # XML 1.0's Char


class DocumentInfo:
    """What the XMP metadata says; the same values as the Info dictionary."""

    __slots__ = (
        "title", "author", "subject", "keywords", "language", "creator", "producer", "owner", "version", "print_file",
    )  # fmt: skip

    def __init__(
        self,
        *,
        title: str,
        author: str,
        subject: str,
        keywords: tuple[str, ...],
        language: str,
        creator: str,
        producer: str,
        owner: str = "",
        version: str = "",
        print_file: str = "",
    ) -> None:
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.language = language
        self.creator = creator
        self.producer = producer
        self.owner = owner  # who is responsible for the leaflet (review.owner)
        self.version = version  # the leaflet's version (review.version)
        self.print_file = print_file  # for a file made for printing only: what it is (the reading copy is not)


def page_ref(page: int) -> PDFObjectReference:
    """ReportLab names page objects Page1, Page2, ..."""
    return PDFObjectReference(f"Page{page}")


def tag_page(page: PDFPage, index: int) -> None:
    """Each page points into the parent tree, and its annotations are visited in structure order (PDF/UA)."""
    add_page_keys(page, "StructParents", "Tabs")
    page.StructParents = index
    page.Tabs = PDFName("S")


def finish(doc, tags: Tagger, pages: int, info: DocumentInfo) -> None:
    """Add the structure tree and the tagged-PDF catalog entries to ReportLab's document before it is written."""
    elements = [node for node in tags.root.walk() if node is tags.root or node.has_content()]
    kept = set(map(id, elements))
    dictionaries = {
        id(node): PDFDictionary({"Type": PDFName("StructElem"), "S": PDFName(node.role)}) for node in elements
    }
    references = {key: doc.Reference(value) for key, value in dictionaries.items()}
    tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    tree_root_ref = doc.Reference(tree_root)

    for node in elements:
        entry = dictionaries[id(node)]
        entry["P"] = references[id(node.parent)] if node.parent is not None else tree_root_ref
        own_pages = [kid.page for kid in node.kids if isinstance(kid, MarkedContent)]
        home = own_pages[0] if own_pages else None
        if home is not None:
            entry["Pg"] = page_ref(home)
        kids = []
        for kid in node.kids:
            if isinstance(kid, StructNode):
                if id(kid) in kept:
                    kids.append(references[id(kid)])
            elif isinstance(kid, MarkedContent):
                if kid.page == home:
                    kids.append(kid.mcid)
                else:
                    kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": page_ref(kid.page), "MCID": kid.mcid}))
            elif isinstance(kid, AnnotationItem):
                kids.append(
                    PDFDictionary(
                        {"Type": PDFName("OBJR"), "Obj": doc.Reference(kid.annotation), "Pg": page_ref(kid.page)}
                    )
                )
        if kids:
            entry["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        if node.alt:
            entry["Alt"] = PDFString(node.alt)
        attributes: dict = {k: PDFName(v) for k, v in node.attributes.items()}
        if node.bbox is not None:
            # Where a figure is on its page (PDF/UA: a Figure has a bounding box), in the layout attributes.
            attributes.update(O=PDFName("Layout"), BBox=PDFArray([round(v, 2) for v in node.bbox]))
        if attributes:
            entry["A"] = PDFDictionary(attributes)

    # The parent tree maps each page's MCIDs, and each annotation, back to the element that owns it.
    nums: list = []
    for page in range(1, pages + 1):
        owners = tags.owners.get(page, [])
        nums += [page - 1, PDFArray([references[id(owner)] for owner in owners])]
    key = pages
    for item, link in tags.annotations:
        item.annotation["StructParent"] = key
        item.annotation["Contents"] = PDFString(link.description)
        nums += [key, references[id(link)]]
        key += 1
    tree_root["K"] = references[id(tags.root)]
    tree_root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
    tree_root["ParentTreeNextKey"] = key

    catalog = doc.Catalog
    catalog.StructTreeRoot = tree_root
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Metadata = XMP(creator=lambda document: xmp_packet(info, document))
    # Document control, as custom Info entries (shown in a viewer's document properties) and in the XMP.
    entries = (("Owner", info.owner), ("Version", info.version), ("PrintFile", info.print_file))
    add_info_entries(doc, {key: value for key, value in entries if value})


def xmp_packet(info: DocumentInfo, doc) -> bytes:
    """XMP metadata with the PDF/UA identification (pdfuaid:part 1), written by hand: no library sets it."""

    def text(value: str) -> str:
        # Reading refuses what XML 1.0 cannot hold; dropping it here too keeps the packet well-formed whatever
        # the caller passes.
        return escape(_NOT_XML.sub("", value))

    created = creation_time(doc).replace(microsecond=0).isoformat()  # the Info dictionary's dates
    keywords = ", ".join(info.keywords)
    # The leaflet's version and owner: xmpMM:VersionID is XMP's own; pdfx: mirrors the custom Info entries.
    control = "".join(
        f"{line}\n"
        for line, value in (
            (f"<xmpMM:VersionID>{text(info.version)}</xmpMM:VersionID>", info.version),
            (f"<pdfx:Version>{text(info.version)}</pdfx:Version>", info.version),
            (f"<pdfx:Owner>{text(info.owner)}</pdfx:Owner>", info.owner),
        )
        if value
    )
    packet = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
 xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text(info.title)}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{text(info.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{text(info.subject)}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{text(info.language)}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>{text(keywords)}</pdf:Keywords>
<pdf:Producer>{text(info.producer)}</pdf:Producer>
<xmp:CreatorTool>{text(info.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{created}</xmp:ModifyDate>
{control}<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
    return packet.encode("utf-8")
