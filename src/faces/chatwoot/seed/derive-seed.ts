/**
 * Derives `chatwoot-responses.json` from the Chatwoot OpenAPI seed: every operation's documented
 * response schemas and the components they reference, with prose (descriptions, examples) left out.
 * Run by hand when the seed changes; nothing reads the seed at run or test time:
 *   npx tsx src/faces/chatwoot/seed/derive-seed.ts <path/to/chatwoot.openapi.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
// The JSON Schema keywords the checker validates with; everything else in the seed is prose.
const KEYWORDS = new Set([
  '$ref',
  'type',
  'nullable',
  'enum',
  'format',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'allOf',
  'oneOf',
  'anyOf',
  'minimum',
  'maximum',
  'pattern',
  'minItems',
  'maxItems',
]);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function trimSchema(schema: Json, refs: Set<string>): Json {
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') {
      refs.add(value.replace('#/components/schemas/', ''));
      out[key] = value;
    } else if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, trimSchema(sub, refs)]),
      );
    } else if ((key === 'allOf' || key === 'oneOf' || key === 'anyOf') && Array.isArray(value)) {
      out[key] = value.map((sub) => trimSchema(sub, refs));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = trimSchema(value, refs);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function derive(seed: JsonObject): JsonObject {
  const refs = new Set<string>();
  const operations: Json[] = [];
  for (const [template, item] of Object.entries(seed.paths as JsonObject)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const responses: JsonObject = {};
      for (const [status, response] of Object.entries(operation.responses as JsonObject)) {
        const content = isObject(response) && isObject(response.content) ? response.content : undefined;
        const json = content?.['application/json'];
        responses[status] =
          isObject(json) && json.schema !== undefined ? trimSchema(json.schema, refs) : null;
      }
      operations.push({
        method: method.toUpperCase(),
        path: template,
        operationId:
          typeof operation.operationId === 'string' ? operation.operationId : `${method} ${template}`,
        responses,
      });
    }
  }
  const all = (seed.components as JsonObject).schemas as JsonObject;
  const schemas: JsonObject = {};
  // Referenced components may reference others: close the set.
  for (let pending = [...refs]; pending.length > 0;) {
    const name = pending.pop() as string;
    if (name in schemas) continue;
    const found = new Set<string>();
    schemas[name] = trimSchema(all[name] ?? {}, found);
    pending = pending.concat([...found].filter((ref) => !(ref in schemas)));
  }
  const info = seed.info as JsonObject;
  const text = (value: Json | undefined) => (typeof value === 'string' ? value : JSON.stringify(value));
  return {
    derivedFrom: `chatwoot.openapi.json (OpenAPI ${text(seed.openapi)}, ${text(info.title)} ${text(info.version)})`,
    operations,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
}

const source = process.argv[2];
if (!source) throw new Error('usage: derive-seed.ts <path/to/chatwoot.openapi.json>');
const seed = JSON.parse(readFileSync(source, 'utf8')) as JsonObject;
const target = path.join(path.dirname(fileURLToPath(import.meta.url)), 'chatwoot-responses.json');
writeFileSync(target, `${JSON.stringify(derive(seed), null, 1)}\n`);
