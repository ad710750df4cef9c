/** Reading a DOCX back in tests: its body's XML and the plain text of each paragraph, in order. */
import JSZip from "jszip";

/** The XML of the document's body (`word/document.xml`). */
export async function documentXml(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  return (await zip.file("word/document.xml")?.async("string")) ?? "";
}

/** The plain text of every `<w:p>` of some DOCX XML (a table's cell, the whole body), in order. */
export function docxParagraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >].*?<\/w:p>/gs)].map((m) =>
    [...m[0].matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(""),
  );
}
