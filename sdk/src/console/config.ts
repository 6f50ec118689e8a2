// The config editor's logic, pure (Node's tests run it): a campaign's YAML and the JSON the
// console API takes, each problem the server answers placed at the line of its field, and the
// line diff of two versions.
import { diffLines } from "diff";
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from "yaml";

import type { Problem } from "../errors.js";

/** A problem placed in the text: `line` (1-based) of the deepest part of its field the YAML has,
 * or null when the YAML holds none of it (a missing top-level field, a whole-document rule). */
export interface Placed extends Problem {
  line: number | null;
}

/** The YAML a marketer edits for a stored config. */
export const toYaml = (config: unknown): string => stringify(config, { lineWidth: 0 });

/** The config of YAML `text` for the console API, or the syntax problems, each at its line. */
export function parseConfig(text: string): { config: unknown; problems: Placed[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems = doc.errors.map((error) => ({ field: "", message: `YAML：${error.message.split("\n")[0]}`,
    line: lines.linePos(error.pos[0]).line }));
  return { config: problems.length ? null : doc.toJS(), problems };
}

/** Each problem at the line of its field (`games.lucky-wheel.prizes.0.cost`) in `text`. */
export function placeProblems(text: string, problems: Problem[]): Placed[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return problems.map((problem) => {
    let node: unknown = doc.contents;
    let offset: number | null = null;
    for (const part of problem.field ? problem.field.split(".") : []) {
      let next: { at: number; node: unknown } | null = null;
      if (isMap(node)) {
        const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === part);
        const key = pair?.key as Node | undefined;
        if (pair && key?.range) next = { at: key.range[0], node: pair.value };
      } else if (isSeq(node) && /^\d+$/.test(part)) {
        const item = node.items[Number(part)] as Node | undefined;
        if (item?.range) next = { at: item.range[0], node: item };
      }
      if (next === null) break;
      offset = next.at;
      node = next.node;
    }
    return { ...problem, line: offset === null ? null : lines.linePos(offset).line };
  });
}

/** One line of a diff: kept, added in the newer version, or removed from the older. */
export interface DiffLine {
  kind: "same" | "add" | "del";
  text: string;
  /** Its number in the older version (null for an added line), and in the newer. */
  old: number | null;
  new: number | null;
}

/** The line diff from `older` to `newer`. */
export function lineDiff(older: string, newer: string): DiffLine[] {
  const found: DiffLine[] = [];
  let a = 1;
  let b = 1;
  for (const change of diffLines(older, newer)) {
    for (const text of change.value.replace(/\n$/, "").split("\n")) {
      if (change.added) found.push({ kind: "add", text, old: null, new: b++ });
      else if (change.removed) found.push({ kind: "del", text, old: a++, new: null });
      else found.push({ kind: "same", text, old: a++, new: b++ });
    }
  }
  return found;
}
