/**
 * The document model's styles and numbering: styles.xml (paragraph styles, their bold and numbering through the
 * basedOn chain) and numbering.xml (abstract lists, overrides, restarts), and the Numberer that computes the label
 * Word shows before each numbered paragraph ("I.", "2.1.", "a)", bullets).
 */
import { attrOf, childElements, findChild, intAttr, isOn, type XEl } from "./docx-xml.ts";

// ---------------------------------------------------------------------------------------------------------------
// styles.xml

export interface StyleDef {
  type: string;
  basedOn: string | undefined;
  numId: string | undefined;
  ilvl: number | undefined;
  bold: boolean | undefined;
}

export interface Styles {
  byId: Map<string, StyleDef>;
  defaultParagraph: string | undefined;
  defaultBold: boolean;
}

export function readStyles(root: XEl | null): Styles {
  const styles: Styles = { byId: new Map(), defaultParagraph: undefined, defaultBold: false };
  const top = findChild(root, "w:styles");
  if (!top) return styles;
  const rPrDefault = findChild(findChild(findChild(top, "w:docDefaults"), "w:rPrDefault"), "w:rPr");
  styles.defaultBold = isOn(findChild(rPrDefault, "w:b")) ?? false;
  for (const s of childElements(top)) {
    if (s.name !== "w:style") continue;
    const id = s.attrs["w:styleId"];
    if (id === undefined) continue;
    const type = s.attrs["w:type"] ?? "paragraph";
    const numPr = findChild(findChild(s, "w:pPr"), "w:numPr");
    styles.byId.set(id, {
      type,
      basedOn: attrOf(findChild(s, "w:basedOn")),
      numId: attrOf(findChild(numPr, "w:numId")),
      ilvl: intAttr(findChild(numPr, "w:ilvl")),
      bold: isOn(findChild(findChild(s, "w:rPr"), "w:b")),
    });
    const isDefault = s.attrs["w:default"];
    if (type === "paragraph" && (isDefault === "1" || isDefault === "true" || isDefault === "on")) {
      styles.defaultParagraph = id;
    }
  }
  return styles;
}

/** The style and the styles it is based on, nearest first (cycle-safe). */
export function styleChain(styles: Styles, id: string | undefined): { id: string; def: StyleDef }[] {
  const chain: { id: string; def: StyleDef }[] = [];
  const seen = new Set<string>();
  for (let cur = id; cur !== undefined && !seen.has(cur) && chain.length < 32; ) {
    seen.add(cur);
    const def = styles.byId.get(cur);
    if (!def) break;
    chain.push({ id: cur, def });
    cur = def.basedOn;
  }
  return chain;
}

export function styleBold(styles: Styles, id: string | undefined): boolean | undefined {
  for (const { def } of styleChain(styles, id)) if (def.bold !== undefined) return def.bold;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// numbering.xml

interface LevelDef {
  start: number;
  numFmt: string;
  lvlText: string;
  /** w:lvlRestart: restart after this (1-based) level; 0 = never; undefined = after any shallower level. */
  restart: number | undefined;
  isLgl: boolean;
  pStyle: string | undefined;
}

interface AbstractNum {
  levels: Map<number, LevelDef>;
  numStyleLink: string | undefined;
}

interface NumDef {
  abstractId: string;
  startOverrides: Map<number, number>;
  levelOverrides: Map<number, LevelDef>;
}

export interface Numbering {
  abstracts: Map<string, AbstractNum>;
  nums: Map<string, NumDef>;
}

function readLevel(lvl: XEl): LevelDef {
  return {
    // The spec's default start is 0; Word always writes w:start.
    start: intAttr(findChild(lvl, "w:start")) ?? 0,
    numFmt: attrOf(findChild(lvl, "w:numFmt")) ?? "decimal",
    lvlText: attrOf(findChild(lvl, "w:lvlText")) ?? "",
    restart: intAttr(findChild(lvl, "w:lvlRestart")),
    isLgl: isOn(findChild(lvl, "w:isLgl")) ?? false,
    pStyle: attrOf(findChild(lvl, "w:pStyle")),
  };
}

export function readNumbering(root: XEl | null): Numbering {
  const numbering: Numbering = { abstracts: new Map(), nums: new Map() };
  const top = findChild(root, "w:numbering");
  if (!top) return numbering;
  for (const el of childElements(top)) {
    if (el.name === "w:abstractNum") {
      const id = el.attrs["w:abstractNumId"];
      if (id === undefined) continue;
      const levels = new Map<number, LevelDef>();
      for (const lvl of childElements(el)) {
        const ilvl = intAttr(lvl, "w:ilvl");
        if (lvl.name === "w:lvl" && ilvl !== undefined && !levels.has(ilvl)) levels.set(ilvl, readLevel(lvl));
      }
      numbering.abstracts.set(id, { levels, numStyleLink: attrOf(findChild(el, "w:numStyleLink")) });
    } else if (el.name === "w:num") {
      const id = el.attrs["w:numId"];
      const abstractId = attrOf(findChild(el, "w:abstractNumId"));
      if (id === undefined || abstractId === undefined) continue;
      const startOverrides = new Map<number, number>();
      const levelOverrides = new Map<number, LevelDef>();
      for (const o of childElements(el)) {
        const ilvl = intAttr(o, "w:ilvl");
        if (o.name !== "w:lvlOverride" || ilvl === undefined) continue;
        const start = intAttr(findChild(o, "w:startOverride"));
        if (start !== undefined) startOverrides.set(ilvl, start);
        const lvl = findChild(o, "w:lvl");
        if (lvl) levelOverrides.set(ilvl, readLevel(lvl));
      }
      numbering.nums.set(id, { abstractId, startOverrides, levelOverrides });
    }
  }
  return numbering;
}

export function toRoman(n: number): string {
  const table: [number, string][] = [
    [1000, "M"],
    [900, "CM"],
    [500, "D"],
    [400, "CD"],
    [100, "C"],
    [90, "XC"],
    [50, "L"],
    [40, "XL"],
    [10, "X"],
    [9, "IX"],
    [5, "V"],
    [4, "IV"],
    [1, "I"],
  ];
  let out = "";
  for (const [v, s] of table) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/** Word's number formats; the ones without a plain-text equivalent fall back to decimal. */
export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case "none":
    case "bullet":
      return "";
    case "upperRoman":
    case "lowerRoman": {
      if (n < 1 || n > 3999) return String(n);
      const r = toRoman(n);
      return fmt === "upperRoman" ? r : r.toLowerCase();
    }
    case "upperLetter":
    case "lowerLetter": {
      if (n < 1) return String(n);
      // Word repeats the letter past Z: A…Z, AA…ZZ, AAA…
      const s = String.fromCharCode(65 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);
      return fmt === "upperLetter" ? s : s.toLowerCase();
    }
    case "decimalZero":
      return n >= 0 && n < 10 ? `0${n}` : String(n);
    default:
      return String(n);
  }
}

export const MAX_LEVELS = 9;

/** A resolved list instance: the definition to use for each level, and where its counters live. */
interface ListInstance {
  counterKey: string;
  level(ilvl: number): LevelDef | undefined;
  start(ilvl: number): number;
}

/**
 * Word's list counters. Paragraphs of every w:num that points at the same abstractNum without restarting it share one
 * list, so counters are kept per abstractNum; a w:num with a w:startOverride is a list of its own (Word writes one
 * for "Restart at 1"), with its own counters starting from the override.
 */
export class Numberer {
  private readonly counters = new Map<string, (number | undefined)[]>();
  private readonly resolved = new Map<string, ListInstance | null>();

  constructor(
    private readonly numbering: Numbering,
    private readonly styles: Styles,
  ) {}

  /** The abstractNum of a w:num, following w:numStyleLink through a numbering style (cycle-safe). */
  private abstractOf(numId: string): { id: string; def: AbstractNum } | undefined {
    const seen = new Set<string>();
    let num = this.numbering.nums.get(numId);
    while (num && !seen.has(num.abstractId)) {
      seen.add(num.abstractId);
      const def = this.numbering.abstracts.get(num.abstractId);
      if (!def) return undefined;
      if (def.numStyleLink === undefined || def.levels.size > 0) return { id: num.abstractId, def };
      const linkedNumId = styleChain(this.styles, def.numStyleLink).find((s) => s.def.numId !== undefined)?.def.numId;
      num = linkedNumId === undefined ? undefined : this.numbering.nums.get(linkedNumId);
    }
    return undefined;
  }

  private instance(numId: string): ListInstance | null {
    const cached = this.resolved.get(numId);
    if (cached !== undefined) return cached;
    const num = this.numbering.nums.get(numId);
    const abstract = this.abstractOf(numId);
    let result: ListInstance | null = null;
    if (num && abstract) {
      const level = (ilvl: number) => num.levelOverrides.get(ilvl) ?? abstract.def.levels.get(ilvl);
      result = {
        counterKey: num.startOverrides.size > 0 ? `num:${numId}` : `abstract:${abstract.id}`,
        level,
        start: (ilvl) => num.startOverrides.get(ilvl) ?? level(ilvl)?.start ?? 0,
      };
    }
    this.resolved.set(numId, result);
    return result;
  }

  /** The level of a style-linked list whose w:lvl names the style (used when the style gives no w:ilvl). */
  levelForStyle(numId: string, styleIds: string[]): number | undefined {
    const abstract = this.abstractOf(numId);
    if (!abstract) return undefined;
    for (const id of styleIds) {
      for (const [ilvl, lvl] of abstract.def.levels) if (lvl.pStyle === id) return ilvl;
    }
    return undefined;
  }

  /** Advances the list's counters for a paragraph at (numId, ilvl) and gives its label ("" for none). */
  next(numId: string, ilvl: number): { bullet: boolean; label: string } {
    const list = this.instance(numId);
    const def = list?.level(ilvl);
    if (!list || !def) return { bullet: false, label: "" };
    let counters = this.counters.get(list.counterKey);
    if (!counters) {
      counters = new Array<number | undefined>(MAX_LEVELS).fill(undefined);
      this.counters.set(list.counterKey, counters);
    }
    const current = counters[ilvl];
    counters[ilvl] = current === undefined ? list.start(ilvl) : current + 1;
    for (let deeper = ilvl + 1; deeper < MAX_LEVELS; deeper++) {
      const restartAfter = list.level(deeper)?.restart ?? deeper;
      if (restartAfter !== 0 && ilvl < restartAfter) counters[deeper] = undefined;
    }
    if (def.numFmt === "bullet") return { bullet: true, label: "-" };
    const label = def.lvlText.replace(/%([1-9])/g, (_m, k: string) => {
      const at = Number(k) - 1;
      // A level that has not occurred yet shows its start value, as Word does.
      const value = counters[at] ?? list.start(at);
      const fmt = at === ilvl ? def.numFmt : (list.level(at)?.numFmt ?? "decimal");
      return formatNumber(value, def.isLgl && fmt !== "none" && fmt !== "bullet" ? "decimal" : fmt);
    });
    return { bullet: false, label: label.trim() };
  }
}
