// npm run graph: the import graph between workspaces, read from the code itself (not from the
// package.json files, which can list a dependency nobody imports). Prints it as a Mermaid
// flowchart, layer by layer; `--check` instead prints each arrow that points up, each import of one
// service by another and each cycle, and exits 1 if there is any. Test files count apart: their
// arrows to the test harnesses are drawn dotted.
import console from 'node:console';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import process from 'node:process';
import { isTestFile, workspacePackages, ROOT } from './workspaces.mjs';

const IMPORT = /(?:from|import)\s*\(?\s*'(@genstream\/[a-z-]+)/g;
const RANK = { lib: 0, service: 1, tool: 2 };

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'generated') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mjs)$/.test(entry.name)) yield path;
  }
}

/** Edges `from -> to` between workspaces, each marked by whether only tests import it. */
function importGraph(packages) {
  const edges = new Map();
  for (const [, from] of packages) {
    for (const file of sourceFiles(join(ROOT, from.workspace))) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const to = packages.get(name);
        if (to === undefined || to.workspace === from.workspace) continue;
        const key = `${from.workspace} ${to.workspace}`;
        const testOnly =
          (edges.get(key)?.testOnly ?? true) && isTestFile(relative(ROOT, file).split(sep).join('/'));
        edges.set(key, { from, to, testOnly });
      }
    }
  }
  return [...edges.values()];
}

function problems(edges) {
  const found = [];
  for (const { from, to, testOnly } of edges) {
    if (RANK[to.layer] > RANK[from.layer] && !(testOnly && to.harness))
      found.push(`${from.workspace} -> ${to.workspace}: points up (${from.layer} imports ${to.layer})`);
    if (from.layer === 'service' && to.layer === 'service')
      found.push(`${from.workspace} -> ${to.workspace}: one service imports another`);
  }
  return [...found, ...cycles(edges)];
}

/** Each cycle of non-test imports, found by a depth-first walk. */
function cycles(edges) {
  const next = new Map();
  for (const { from, to, testOnly } of edges) {
    if (testOnly) continue;
    next.set(from.workspace, [...(next.get(from.workspace) ?? []), to.workspace]);
  }
  const found = [];
  const state = new Map(); // 1 on the current path, 2 done
  const walk = (node, path) => {
    state.set(node, 1);
    for (const to of next.get(node) ?? []) {
      if (state.get(to) === 1) found.push(`cycle: ${[...path.slice(path.indexOf(to)), to].join(' -> ')}`);
      else if (state.get(to) === undefined) walk(to, [...path, to]);
    }
    state.set(node, 2);
  };
  for (const node of next.keys()) if (state.get(node) === undefined) walk(node, [node]);
  return found;
}

function mermaid(packages, edges) {
  const id = (workspace) => workspace.replace(/[/-]/g, '_');
  const lines = ['flowchart TB'];
  for (const [top, layer] of [
    ['tools', 'tool'],
    ['services', 'service'],
    ['libs', 'lib'],
  ]) {
    lines.push(`  subgraph ${top}`);
    for (const { workspace, layer: own } of packages.values())
      if (own === layer) lines.push(`    ${id(workspace)}[${workspace.slice(top.length + 1)}]`);
    lines.push('  end');
  }
  const sorted = [...edges].sort((a, b) =>
    `${a.from.workspace}${a.to.workspace}`.localeCompare(`${b.from.workspace}${b.to.workspace}`),
  );
  for (const { from, to, testOnly } of sorted)
    lines.push(`  ${id(from.workspace)} ${testOnly ? '-.->' : '-->'} ${id(to.workspace)}`);
  return lines.join('\n');
}

const packages = workspacePackages();
const edges = importGraph(packages);
if (process.argv.includes('--check')) {
  const found = problems(edges);
  for (const line of found) console.log(line);
  console.log(
    found.length === 0
      ? `${edges.length} arrows between ${packages.size} workspaces, every one pointing down; no cycle`
      : `${found.length} problems in the import graph`,
  );
  process.exitCode = found.length === 0 ? 0 : 1;
} else {
  console.log(mermaid(packages, edges));
}
