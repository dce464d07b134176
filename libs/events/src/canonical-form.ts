// Parsing Canonical Form (Avro specification, "Schema Resolution" > "Parsing Canonical Form"):
// the writer-schema text that fingerprints are computed over. Works on the schema JSON itself,
// not on avsc types, because avsc keeps attributes the form must drop and loses some it needs.

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

/** The canonical form of an Avro schema given as parsed JSON. Throws on shapes that are not schemas. */
export function parsingCanonicalForm(schema: unknown): string {
  return canonical(schema, '', new Set());
}

function canonical(schema: unknown, namespace: string, seen: Set<string>): string {
  if (typeof schema === 'string') {
    return JSON.stringify(PRIMITIVES.has(schema) ? schema : fullName(schema, namespace));
  }
  if (Array.isArray(schema)) {
    return `[${schema.map((branch) => canonical(branch, namespace, seen)).join(',')}]`;
  }
  if (schema === null || typeof schema !== 'object') {
    throw new Error(`not an Avro schema: ${JSON.stringify(schema)}`);
  }
  const node = schema as Record<string, unknown>;
  const type = node.type;
  if (typeof type === 'string' && NAMED.has(type)) {
    return canonicalNamed(node, type, namespace, seen);
  }
  if (type === 'array') {
    return `{"type":"array","items":${canonical(node.items, namespace, seen)}}`;
  }
  if (type === 'map') {
    return `{"type":"map","values":${canonical(node.values, namespace, seen)}}`;
  }
  // {"type": "int", "logicalType": ...} and {"type": "SomeName"}: only the type itself counts.
  return canonical(type, namespace, seen);
}

function canonicalNamed(
  node: Record<string, unknown>,
  type: string,
  enclosingNamespace: string,
  seen: Set<string>,
): string {
  if (typeof node.name !== 'string') {
    throw new Error(`${type} schema without a name: ${JSON.stringify(node)}`);
  }
  const ownNamespace = typeof node.namespace === 'string' ? node.namespace : enclosingNamespace;
  const name = fullName(node.name, ownNamespace);
  // A named type is spelled out once; later occurrences are references by full name.
  if (seen.has(name)) {
    return JSON.stringify(name);
  }
  seen.add(name);
  const namespace = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '';
  const head = `{"name":${JSON.stringify(name)},"type":${JSON.stringify(type === 'error' ? 'record' : type)}`;
  switch (type) {
    case 'enum':
      return `${head},"symbols":${JSON.stringify(node.symbols)}}`;
    case 'fixed':
      return `${head},"size":${JSON.stringify(node.size)}}`;
    default: {
      if (!Array.isArray(node.fields)) {
        throw new Error(`record ${name} has no fields array`);
      }
      const fields = (node.fields as Record<string, unknown>[]).map(
        (field) => `{"name":${JSON.stringify(field.name)},"type":${canonical(field.type, namespace, seen)}}`,
      );
      return `${head},"fields":[${fields.join(',')}]}`;
    }
  }
}

function fullName(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}
