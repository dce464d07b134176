// The house rules, as an ESLint plugin of two rules. The layers, from the bottom:
//   libs/*      the product libraries: import only other product libraries;
//   services/*  the five services: product libraries, never another service;
//   tools/*     the tooling around the product (stack, harness, launcher, bench, faults): anything.
// A test of a product library or a service may also use the test harnesses, since integration
// tests need real servers; nothing else in the product may reach tooling.
import { dirname, resolve } from 'node:path';
import { isTestFile, workspaceOf, workspacePackages } from './workspaces.mjs';

/** An import or export of types alone: it vanishes at run time. */
const typesOnly = (node) =>
  node.importKind === 'type' ||
  node.exportKind === 'type' ||
  (node.specifiers?.length > 0 &&
    node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));

/** Every `import ... from`, `export ... from` and `import()` of a module, as its source literal. */
function eachModuleSource(context, check) {
  const visit = (node) => {
    if (node.source?.type === 'Literal' && typeof node.source.value === 'string') check(node.source, node);
  };
  return {
    ImportDeclaration: visit,
    ExportNamedDeclaration: visit,
    ExportAllDeclaration: visit,
    ImportExpression: visit,
  };
}

const noRelativeAcrossWorkspaces = {
  meta: {
    type: 'problem',
    docs: { description: 'A relative import must stay inside its own workspace.' },
    messages: { crosses: "'{{source}}' reaches into {{target}}: import it by its package name." },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const own = workspaceOf(file);
    return eachModuleSource(context, (source) => {
      if (!source.value.startsWith('.')) return;
      const target = workspaceOf(resolve(dirname(file), source.value));
      if (own !== undefined && target !== own) {
        context.report({
          node: source,
          messageId: 'crosses',
          data: { source: source.value, target: target ?? 'the repository root' },
        });
      }
    });
  },
};

let packages;

/** Which workspace packages a file may import, by the layer of its own workspace. */
const layeredImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Product code imports neither tooling nor (outside a service itself) services.' },
    messages: {
      tooling: "{{layer}} code may not import the tooling package '{{source}}'.",
      service: "{{layer}} code may not import the service '{{source}}'.",
    },
    schema: [],
  },
  create(context) {
    packages ??= workspacePackages();
    const own = workspaceOf(context.filename);
    if (own === undefined || own.startsWith('tools/')) return {};
    const layer = own.startsWith('libs/') ? 'A product library' : 'A service';
    const test = isTestFile(context.filename);
    return eachModuleSource(context, (source) => {
      const name = source.value.split('/').slice(0, 2).join('/');
      const target = packages.get(name);
      if (target === undefined || target.workspace === own) return;
      if (target.layer === 'tool' && !(test && target.harness)) {
        context.report({ node: source, messageId: 'tooling', data: { layer, source: source.value } });
      } else if (target.layer === 'service') {
        context.report({ node: source, messageId: 'service', data: { layer, source: source.value } });
      }
    });
  },
};

/** The folder of a service's `src/` a path is in (`handlers`, `services`, `repositories`), if any. */
function serviceFolderOf(absolutePath) {
  const match = /[\\/]services[\\/][^\\/]+[\\/]src[\\/](handlers|services|repositories)[\\/]/.exec(
    absolutePath,
  );
  return match?.[1];
}

/** Inside a service the arrows point down too: handlers -> services -> repositories. */
const RANK_IN_SERVICE = { handlers: 2, services: 1, repositories: 0 };

const serviceLayers = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'In a service, services/ never imports handlers/, repositories/ neither, and repositories/ takes only types (the ports it implements) from services/.',
    },
    messages: {
      up: "{{own}}/ may not import from {{target}}/ ('{{source}}'): the arrows point handlers -> services -> repositories.",
    },
    schema: [],
  },
  create(context) {
    const own = serviceFolderOf(context.filename);
    if (own === undefined || isTestFile(context.filename)) return {};
    return eachModuleSource(context, (source, node) => {
      if (!source.value.startsWith('.')) return;
      const target = serviceFolderOf(resolve(dirname(context.filename), source.value));
      const portTypes = own === 'repositories' && target === 'services' && typesOnly(node);
      if (target !== undefined && RANK_IN_SERVICE[target] > RANK_IN_SERVICE[own] && !portTypes) {
        context.report({ node: source, messageId: 'up', data: { own, target, source: source.value } });
      }
    });
  },
};

export default {
  rules: {
    'no-relative-across-workspaces': noRelativeAcrossWorkspaces,
    'layered-imports': layeredImports,
    'service-layers': serviceLayers,
  },
};
