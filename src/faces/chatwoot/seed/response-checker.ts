import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import derived from './chatwoot-responses.json' with { type: 'json' };
import { SCHEMA_PATCHES, STATUS_EXCEPTIONS } from './seed-exceptions.js';

/**
 * Checks a Chatwoot-face response against the seed's response schema for its operation and status
 * (OpenAPI 3.0: a value may be `null` only where the seed says `nullable: true`; `$ref`s resolved).
 * The seed's schemas are derived into `chatwoot-responses.json` by `derive-seed.ts`.
 */
export interface SeedViolation {
  /** JSON pointer into the response body. */
  pointer: string;
  message: string;
}

export interface SeedCheck {
  /** `METHOD /seed/path` of the operation the response answered. */
  operation: string;
  violations: SeedViolation[];
}

type Schema = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  operationId: string;
  responses: Record<string, Schema | null>;
}

const SEED_ID = 'chatwoot-seed';
const ERROR_SCHEMA: Schema = { $ref: `${SEED_ID}#/schemas/bad_request_error` };
const MAX_REPORTED = 8;
const NO_CONTENT = new Set([204, 205, 304]);

// ajv-formats is CommonJS with a default export; under NodeNext its callable is `.default`.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };

/** `/api/v1/accounts/{account_id}/inboxes/{id}/` and `/api/v1/accounts/:account_id/inboxes/:id` meet here. */
export function normalizeTemplate(template: string): string {
  return (
    template
      .replace(/\{[^}/]+\}/g, '{}')
      .replace(/:[^/]+/g, '{}')
      .replace(/\/+$/, '') || '/'
  );
}

function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function nodeAt(document: unknown, pointer: string): Schema {
  let node: unknown = document;
  for (const part of pointerParts(pointer)) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'object' || node === null) throw new Error(`seed exception points nowhere: ${pointer}`);
  return node as Schema;
}

/**
 * OpenAPI 3.0 → what ajv validates: refs point into the one registered document, and a `$ref`
 * marked nullable (OpenAPI ignores siblings of `$ref`, ajv does not) becomes "that or null".
 */
function adapt(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(adapt);
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === '$ref' && typeof value === 'string') {
      out[key] = value.replace('#/components/schemas/', `${SEED_ID}#/schemas/`);
    } else if (key === 'properties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, adapt(sub)]));
    } else {
      out[key] = adapt(value);
    }
  }
  if (typeof out.$ref === 'string' && Object.keys(out).length > 1) {
    const nullable = out.nullable === true;
    return nullable ? { anyOf: [{ $ref: out.$ref }, { type: 'null' }] } : { $ref: out.$ref };
  }
  return out;
}

function loadDocument(): { schemas: Schema; operations: Operation[] } {
  const document = structuredClone(derived) as unknown as { schemas: Schema; operations: Operation[] };
  for (const patch of SCHEMA_PATCHES) {
    const node = nodeAt(document, patch.at);
    for (const [key, value] of Object.entries(patch.set)) {
      if (value === undefined) Reflect.deleteProperty(node, key);
      else node[key] = value;
    }
  }
  for (const exception of STATUS_EXCEPTIONS) {
    const operation = document.operations.find(
      (candidate) => `${candidate.method} ${candidate.path}` === exception.operation,
    );
    if (!operation) throw new Error(`seed exception names no operation: ${exception.operation}`);
    operation.responses[exception.status] = exception.schema;
  }
  return { schemas: adapt(document.schemas) as Schema, operations: document.operations };
}

/**
 * The seed documents `reports/conversations` twice, with and without a trailing `/` (account
 * metrics, agent metrics): one URL to any HTTP client, so it answers either shape.
 */
function mergeTwin(into: Operation, twin: Operation): void {
  for (const [status, schema] of Object.entries(twin.responses)) {
    const mine = into.responses[status];
    if (mine === undefined || mine === null) into.responses[status] = schema;
    else if (schema !== null && JSON.stringify(mine) !== JSON.stringify(schema)) {
      into.responses[status] = { anyOf: [mine, schema] };
    }
  }
}

function createAjv(schemas: Schema): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false });
  addFormats.default(ajv);
  // OpenAPI's numeric formats say nothing JSON can break.
  for (const format of ['double', 'float', 'int32', 'int64']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: SEED_ID, schemas });
  return ajv;
}

let state:
  | {
      ajv: Ajv;
      byRoute: Map<string, Operation>;
      compiled: Map<string, ValidateFunction>;
    }
  | undefined;

function load() {
  if (state) return state;
  const { schemas, operations } = loadDocument();
  const byRoute = new Map<string, Operation>();
  for (const operation of operations) {
    const key = `${operation.method} ${normalizeTemplate(operation.path)}`;
    const twin = byRoute.get(key);
    if (twin) mergeTwin(twin, operation);
    else byRoute.set(key, operation);
  }
  state = { ajv: createAjv(schemas), byRoute, compiled: new Map() };
  return state;
}

/** The seed operation a route answers, if the seed documents it. */
export function seedOperation(method: string, routeTemplate: string): Operation | undefined {
  return load().byRoute.get(`${method.toUpperCase()} ${normalizeTemplate(routeTemplate)}`);
}

function validatorFor(operation: Operation, status: string, schema: Schema): ValidateFunction {
  const { ajv, compiled } = load();
  const key = `${operation.method} ${operation.path} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(adapt(schema) as Schema);
    compiled.set(key, validate);
  }
  return validate;
}

function describe(error: ErrorObject): SeedViolation {
  const params = error.params as Record<string, unknown>;
  const sent = error.data === undefined ? 'undefined' : JSON.stringify(error.data).slice(0, 80);
  const detail =
    error.keyword === 'enum'
      ? ` ${JSON.stringify(params.allowedValues)}, got ${sent}`
      : error.keyword === 'required'
        ? ''
        : `, got ${sent}`;
  return { pointer: error.instancePath || '/', message: `${error.message ?? error.keyword}${detail}` };
}

/**
 * Checks one response. `undefined` when the seed does not document the route; otherwise the
 * violations (none when the body fits). A 2xx status the seed does not list is itself a violation;
 * an undocumented error status is checked against the face's one error body, `bad_request_error`.
 */
export function checkSeedResponse(
  method: string,
  routeTemplate: string,
  status: number,
  body: string | undefined,
): SeedCheck | undefined {
  const operation = seedOperation(method, routeTemplate);
  if (!operation) return undefined;
  const name = `${operation.method} ${operation.path}`;
  const documented = operation.responses[String(status)];
  let schema: Schema | null;
  if (documented !== undefined) schema = documented;
  else if (status >= 400) schema = ERROR_SCHEMA;
  else {
    const listed = Object.keys(operation.responses).join(', ');
    return {
      operation: name,
      violations: [{ pointer: '/', message: `status ${status} is not one the seed lists (${listed})` }],
    };
  }
  // No content by definition: whatever the seed says, there is nothing to check.
  if (schema === null || NO_CONTENT.has(status)) return { operation: name, violations: [] };
  if (body === undefined || body.length === 0) {
    return { operation: name, violations: [{ pointer: '/', message: 'the seed documents a body here' }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { operation: name, violations: [{ pointer: '/', message: 'the body is not JSON' }] };
  }
  const validate = validatorFor(operation, String(status), schema);
  if (validate(value)) return { operation: name, violations: [] };
  const violations = (validate.errors ?? []).slice(0, MAX_REPORTED).map(describe);
  return { operation: name, violations };
}
