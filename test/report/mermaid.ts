/**
 * A strict reader of the Mermaid flowchart subset the markdown report writes, for tests: every line must be
 * one of the statements below, every node referenced must be defined once, every label quoted without a
 * raw quote inside, every class defined. (The `mermaid` package parses only in a browser.)
 *
 *   flowchart LR
 *   id["label"]   id[["label"]]   id(["label"])
 *   a --> b --> c
 *   a ==>|"label"| b   a -->|"label"| b   a -.->|"label"| b
 *   classDef name style
 *   class a,b name
 */
export interface Flowchart {
  direction: string;
  nodes: Map<string, string>;
  edges: { from: string; to: string; style: "solid" | "thick" | "dotted"; label: string }[];
  /** The ids of the one unlabelled chain (`a --> b --> c`), in order. */
  chain: string[];
  classes: Map<string, string[]>;
  errors: string[];
  /** The id of the node with this label. */
  idOf(label: string): string;
}

const ID = "[A-Za-z][A-Za-z0-9_]*";
const LABEL = '"([^"]*)"';
const NODE = new RegExp(`^(${ID})(?:\\[\\[${LABEL}\\]\\]|\\[${LABEL}\\]|\\(\\[${LABEL}\\]\\))$`);
const CHAIN = new RegExp(`^${ID}(?: --> ${ID})+$`);
const EDGE = new RegExp(`^(${ID}) (==>|-->|-\\.->)\\|${LABEL}\\| (${ID})$`);
const CLASS_DEF = /^classDef ([A-Za-z]\w*) (\S+)$/;
const CLASS = new RegExp(`^class (${ID}(?:,${ID})*) ([A-Za-z]\\w*)$`);
const STYLE = { "==>": "thick", "-->": "solid", "-.->": "dotted" } as const;

export function parseFlowchart(text: string): Flowchart {
  const errors: string[] = [];
  const nodes = new Map<string, string>();
  const edges: Flowchart["edges"] = [];
  const classes = new Map<string, string[]>();
  const classDefs = new Set<string>();
  const referenced: string[] = [];
  let chain: string[] = [];
  const lines = text.replace(/\n$/, "").split("\n");
  const header = /^flowchart (LR|RL|TB|TD|BT)$/.exec(lines[0] ?? "");
  if (!header) errors.push(`line 1: not a flowchart header: ${lines[0]}`);
  lines.slice(1).forEach((raw, i) => {
    const line = raw.trim();
    const where = `line ${i + 2}`;
    let m: RegExpExecArray | null;
    if ((m = NODE.exec(line))) {
      const label = m[2] ?? m[3] ?? m[4] ?? "";
      if (nodes.has(m[1]!)) errors.push(`${where}: node ${m[1]} defined twice`);
      nodes.set(m[1]!, label);
    } else if (CHAIN.test(line)) {
      if (chain.length > 0) errors.push(`${where}: a second chain`);
      chain = line.split(" --> ");
      referenced.push(...chain);
    } else if ((m = EDGE.exec(line))) {
      edges.push({ from: m[1]!, to: m[4]!, style: STYLE[m[2] as keyof typeof STYLE], label: m[3]! });
      referenced.push(m[1]!, m[4]!);
    } else if ((m = CLASS_DEF.exec(line))) {
      classDefs.add(m[1]!);
    } else if ((m = CLASS.exec(line))) {
      const ids = m[1]!.split(",");
      classes.set(m[2]!, [...(classes.get(m[2]!) ?? []), ...ids]);
      referenced.push(...ids);
    } else {
      errors.push(`${where}: not a statement of the subset: ${raw}`);
    }
  });
  for (const id of referenced) if (!nodes.has(id)) errors.push(`node ${id} is referenced but not defined`);
  for (const name of classes.keys()) if (!classDefs.has(name)) errors.push(`class ${name} is used but not defined`);
  return {
    direction: header?.[1] ?? "",
    nodes,
    edges,
    chain,
    classes,
    errors: [...new Set(errors)],
    idOf(label: string): string {
      const found = [...nodes].find(([, l]) => l === label);
      if (!found) throw new Error(`no node labelled ${label}: ${[...nodes.values()].join(" | ")}`);
      return found[0];
    },
  };
}
