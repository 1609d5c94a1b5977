// Parse Mermaid files with the real Mermaid parser, as GitHub's renderer would.
//
// Usage: node parse-mermaid.mjs FILE...
// Prints one JSON line per file, {"file", "ok": true, "type", ...} or {"file", "ok": false,
// "error"}, and exits 1 if any file fails to parse (2 when no file is given). Journey
// diagrams add "tasks" (how many); flowcharts add "nodes" (their ids) and "edges" (how many).
import { readFile } from 'node:fs/promises';
import { JSDOM } from 'jsdom';

// Mermaid expects a browser; jsdom gives it the window and document it reaches for.
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node parse-mermaid.mjs FILE...');
  process.exit(2);
}

// Beyond the syntax, what was read: a step silently lost (taken for a comment or a keyword)
// shows as a missing task or node. These are Mermaid's own databases, fixed by the pinned
// version; the tests give them the diagrams journeymap writes, which hold no directives.
async function contents(text, type) {
  const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
  if (type === 'journey') {
    return { tasks: db.getTasks().length };
  }
  if (type.startsWith('flowchart')) {
    return { nodes: [...db.getVertices().keys()], edges: db.getEdges().length };
  }
  return {};
}

let failed = 0;
for (const file of files) {
  try {
    const text = await readFile(file, 'utf8');
    const { diagramType: type } = await mermaid.parse(text);
    console.log(JSON.stringify({ file, ok: true, type, ...(await contents(text, type)) }));
  } catch (error) {
    failed += 1;
    const message = error instanceof Error ? error.message : String(error);
    console.log(JSON.stringify({ file, ok: false, error: message }));
  }
}
process.exit(failed > 0 ? 1 : 0);
