/**
 * Lays an administrative document out as DOCX in the Nghị định 30/2020/NĐ-CP format (Phụ lục I): A4 portrait,
 * margins 20/20/30/15 mm, Times New Roman (LibreOffice and Chromium substitute the metric-compatible Liberation
 * Serif where it is absent), the two-column header, the date line in italics, type and summary bold and centred,
 * "Kính gửi:", justified body with a first-line indent, the signature block beside "Nơi nhận:" (bold italic 12 pt,
 * its list 11 pt), page numbers centred in the top margin from page 2. Every layout rule lives here, once.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from "docx";
import {
  type AdminDocument,
  type Block,
  dateLine,
  distributionLines,
  normalized,
  numberLine,
  punctuatedBasis,
  type Signature,
  signatureLines,
} from "./admin-document.ts";

/** The page and type measures, in the units Word uses (twips: 1/20 pt; half-points for font sizes). */
export const LAYOUT = {
  font: "Times New Roman",
  pageWidth: 11906, // A4: 210 mm
  pageHeight: 16838, // 297 mm
  margin: { top: 1134, bottom: 1134, left: 1701, right: 851 }, // 20, 20, 30, 15 mm
  bodySize: 28, // 14 pt
  headerSize: 26, // 13 pt: issuer, "Số:"
  nationSize: 24, // 12 pt: Quốc hiệu (12–13 pt allowed; 12 keeps it on one line beside the issuer)
  distributionTitleSize: 24, // 12 pt: "Nơi nhận:"
  distributionSize: 22, // 11 pt: its list
  tableSize: 24, // 12 pt: figures tables
  pageNumberSize: 26, // 13 pt
  firstLineIndent: 720, // 1.27 cm
  paragraphAfter: 120, // 6 pt
  line: 288, // 1.2 lines
} as const;

const TEXT_WIDTH = LAYOUT.pageWidth - LAYOUT.margin.left - LAYOUT.margin.right;
const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" } as const;
const NO_BORDERS = {
  top: NO_BORDER,
  bottom: NO_BORDER,
  left: NO_BORDER,
  right: NO_BORDER,
  insideHorizontal: NO_BORDER,
  insideVertical: NO_BORDER,
};
const THIN = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size?: number;
}
const run = (text: string, s: RunStyle = {}) =>
  new TextRun({
    text,
    font: LAYOUT.font,
    size: s.size ?? LAYOUT.bodySize,
    bold: s.bold,
    italics: s.italics,
    underline: s.underline ? {} : undefined,
  });

const centred = (text: string, s: RunStyle & { before?: number; after?: number } = {}) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: s.before ?? 0, after: s.after ?? 0 },
    children: [run(text, s)],
  });

/** A short centred rule under a heading block: a bottom border on an empty paragraph, indented to ~1/3 width. */
const rule = (width: number) =>
  new Paragraph({
    indent: { left: Math.round(width / 3), right: Math.round(width / 3) },
    border: { bottom: THIN },
    spacing: { before: 0, after: 120 },
    children: [],
  });

const body = (children: ParagraphChild[], opts: { indent?: boolean; align?: "justify" | "left" } = {}) =>
  new Paragraph({
    alignment: opts.align === "left" ? AlignmentType.LEFT : AlignmentType.JUSTIFIED,
    indent: opts.indent === false ? undefined : { firstLine: LAYOUT.firstLineIndent },
    spacing: { before: 0, after: LAYOUT.paragraphAfter, line: LAYOUT.line, lineRule: LineRuleType.AUTO },
    children,
  });

const cell = (children: (Paragraph | Table)[], width: number, opts: { borders?: boolean } = {}) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    borders: opts.borders ? { top: THIN, bottom: THIN, left: THIN, right: THIN } : NO_BORDERS,
    verticalAlign: VerticalAlign.TOP,
    children,
  });

/** Header: issuer and number on the left; Quốc hiệu, Tiêu ngữ and the date line on the right. */
function headerTable(doc: AdminDocument): Table {
  const left = Math.round(TEXT_WIDTH * 0.36);
  const right = TEXT_WIDTH - left;
  const leftCell = [
    ...(doc.superior ? [centred(doc.superior, { size: LAYOUT.headerSize })] : []),
    ...doc.issuer.map((line) => centred(line, { bold: true, size: LAYOUT.headerSize })),
    rule(left),
    centred(numberLine(doc.number, doc.symbol), { size: LAYOUT.headerSize }),
  ];
  const rightCell = [
    centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { bold: true, size: LAYOUT.nationSize }),
    // The solid line under the motto is as long as the motto: an underline on its run.
    centred("Độc lập - Tự do - Hạnh phúc", { bold: true, underline: true, size: LAYOUT.bodySize, after: 240 }),
    ...(doc.dated === false ? [] : [centred(dateLine(doc.place, doc.date, doc.year), { italics: true })]),
  ];
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: [left, right],
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [new TableRow({ children: [cell(leftCell, left), cell(rightCell, right)] })],
  });
}

function blockParagraphs(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case "heading":
      return [
        body([run(b.text, { bold: b.level < 3, italics: b.level === 3 })], {
          indent: true,
          align: "justify",
        }),
      ];
    case "paragraph":
      return [body([run(b.text)])];
    case "bullet":
      return [body([run(`- ${b.text}`)])];
    case "table":
      return figuresTable(b);
  }
}

function figuresTable(b: Extract<Block, { kind: "table" }>): (Paragraph | Table)[] {
  const columns = Math.max(b.header.length, ...b.rows.map((r) => r.length));
  const width = Math.floor(TEXT_WIDTH / columns);
  const cellPara = (value: string | number, header: boolean) =>
    new Paragraph({
      alignment: header ? AlignmentType.CENTER : typeof value === "number" ? AlignmentType.RIGHT : AlignmentType.LEFT,
      children: [
        run(typeof value === "number" ? value.toLocaleString("vi-VN") : value, {
          bold: header,
          size: LAYOUT.tableSize,
        }),
      ],
    });
  const row = (values: (string | number)[], header: boolean) =>
    new TableRow({
      tableHeader: header,
      children: Array.from({ length: columns }, (_, i) =>
        cell([cellPara(values[i] ?? "", header)], width, { borders: true }),
      ),
    });
  const out: (Paragraph | Table)[] = [];
  if (b.caption) out.push(body([run(b.caption, { italics: true })], { indent: false, align: "left" }));
  out.push(
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: Array.from({ length: columns }, () => width),
      layout: TableLayoutType.FIXED,
      rows: [row(b.header, true), ...b.rows.map((r) => row(r, false))],
    }),
    new Paragraph({ spacing: { after: LAYOUT.paragraphAfter }, children: [] }),
  );
  return out;
}

/** "Nơi nhận:" and its list, flush left. */
const distributionParagraphs = (doc: AdminDocument) => [
  new Paragraph({
    children: [run("Nơi nhận:", { bold: true, italics: true, size: LAYOUT.distributionTitleSize })],
  }),
  ...distributionLines(doc.distribution).map(
    (line) => new Paragraph({ children: [run(line, { size: LAYOUT.distributionSize })] }),
  ),
];

/** One signer: position lines, room for the signature (and the seal), the name. */
const signerParagraphs = (s: Signature) => [
  ...signatureLines(s).map((line) => centred(line, { bold: true })),
  ...Array.from({ length: 4 }, () => new Paragraph({ children: [] })),
  centred(s.name ?? "", { bold: true }),
];

/**
 * Signature block: "Nơi nhận:" and its list on the left, level with the signer's position on the right; with a
 * countersigner (minutes), the two signers side by side and "Nơi nhận:" under them.
 */
function signatureBlock(doc: AdminDocument): (Table | Paragraph)[] {
  const left = Math.round(TEXT_WIDTH * 0.45);
  const right = TEXT_WIDTH - left;
  const table = (leftCell: Paragraph[]) =>
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: [left, right],
      layout: TableLayoutType.FIXED,
      borders: NO_BORDERS,
      rows: [
        new TableRow({
          cantSplit: true,
          children: [cell(leftCell, left), cell(signerParagraphs(doc.signature), right)],
        }),
      ],
    });
  if (!doc.countersignature) return [table(distributionParagraphs(doc))];
  return [
    table(signerParagraphs(doc.countersignature)),
    new Paragraph({ spacing: { after: 240 }, children: [] }),
    ...distributionParagraphs(doc),
  ];
}

/** The document's paragraphs and tables in order: what the DOCX body holds. */
function content(doc: AdminDocument): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [headerTable(doc)];
  out.push(centred(doc.type, { bold: true, before: 360 }));
  out.push(centred(doc.title, { bold: true }));
  out.push(rule(TEXT_WIDTH));
  if (doc.addressees.length === 1) out.push(centred(`Kính gửi: ${doc.addressees[0]}.`, { after: 240 }));
  else if (doc.addressees.length > 1) {
    out.push(centred("Kính gửi:", {}));
    const last = doc.addressees.length - 1;
    for (const [i, a] of doc.addressees.entries())
      out.push(
        new Paragraph({
          indent: { left: Math.round(TEXT_WIDTH * 0.3) },
          spacing: { after: i === last ? 240 : 0 },
          children: [run(`- ${a}${i === last ? "." : ";"}`)],
        }),
      );
  }
  for (const b of punctuatedBasis(doc.basis)) out.push(body([run(b, { italics: true })]));
  for (const b of doc.body) out.push(...blockParagraphs(b));
  out.push(new Paragraph({ spacing: { after: 120 }, children: [] }));
  out.push(...signatureBlock(doc));
  return out;
}

/** The DOCX bytes of a document. */
export async function renderDocx(input: AdminDocument): Promise<Buffer> {
  const doc = normalized(input);
  const file = new Document({
    creator: doc.issuer.join(" "),
    title: `${doc.type} ${doc.title}`,
    styles: {
      default: {
        document: { run: { font: LAYOUT.font, size: LAYOUT.bodySize }, paragraph: { spacing: { after: 0 } } },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: LAYOUT.pageWidth, height: LAYOUT.pageHeight },
            margin: { ...LAYOUT.margin, header: 567, footer: 567 },
          },
        },
        headers: {
          // Page numbers centred in the top margin, not on the first page.
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: [PageNumber.CURRENT], font: LAYOUT.font, size: LAYOUT.pageNumberSize }),
                ],
              }),
            ],
          }),
        },
        children: content(doc),
      },
    ],
  });
  return Packer.toBuffer(file);
}
