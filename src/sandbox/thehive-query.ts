/**
 * TheHive 5's query API (`POST /api/v1/query`) over the sandbox's entities: a pipeline of operations,
 * a selection first (`listCase`, `getCase`, `listAlert`, `getAlert`, …), then traversals
 * (`observables`, `comments`, `alerts`, `case`), `filter`, `sort`, `page` and `count`.
 * The result is always an array of entities, or a number after `count`.
 */
import { badRequest } from './thehive-error';

export type Entity = Record<string, unknown>;

/** What the query runs on: the sandbox TheHive's selections and traversals. */
export interface QueryGraph {
  select(name: string, idOrName: string | undefined): Entity[] | undefined;
  /** The entities reached from `entities` by traversal `name`; undefined for an unknown traversal. */
  traverse(entities: Entity[], name: string): Entity[] | undefined;
}

export interface QueryResult {
  result: Entity[] | number;
  /** Set when a `page` asked for `extraData: ["total"]` (TheHive sends it as the `X-Total` header). */
  total?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field by dotted path (`customFieldValues.business-unit`). */
function fieldValue(entity: Entity, path: string): unknown {
  let value: unknown = entity;
  for (const part of path.split('.')) {
    if (!isObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function equals(value: unknown, wanted: unknown): boolean {
  return Array.isArray(value) ? value.some((item) => item === wanted) : value === wanted;
}

function fieldAndValue(operator: string, operand: unknown): { field: string; value: unknown } {
  if (!isObject(operand) || typeof operand._field !== 'string')
    throw badRequest(`Invalid filter: ${operator} needs {"_field", "_value"}`);
  if (isObject(operand._value))
    throw badRequest(
      `Invalid filter: ${operator} on ${operand._field}: relative dates are not supported here`,
    );
  return { field: operand._field, value: operand._value };
}

type Predicate = (entity: Entity) => boolean;

/**
 * Compiles a TheHive filter expression into a predicate. The whole expression is checked here, so a bad
 * filter is refused even when there is nothing to filter.
 */
export function compileFilter(filter: unknown): Predicate {
  if (!isObject(filter)) throw badRequest('Invalid filter: not an object');
  const predicates = Object.entries(filter).map(([operator, operand]) => compileOperator(operator, operand));
  return (entity) => predicates.every((predicate) => predicate(entity));
}

function compileOperator(operator: string, operand: unknown): Predicate {
  switch (operator) {
    case '_and':
    case '_or': {
      if (!Array.isArray(operand)) throw badRequest(`Invalid filter: ${operator} needs an array`);
      const inner = operand.map(compileFilter);
      return operator === '_and'
        ? (entity) => inner.every((p) => p(entity))
        : (entity) => inner.some((p) => p(entity));
    }
    case '_not': {
      const inner = compileFilter(operand);
      return (entity) => !inner(entity);
    }
    case '_any':
      return () => true;
    case '_id':
      return (entity) => entity._id === operand;
    case '_has': {
      const field = isObject(operand) ? operand._field : operand;
      if (typeof field !== 'string') throw badRequest('Invalid filter: _has needs a field name');
      return (entity) => {
        const value = fieldValue(entity, field);
        return value !== undefined && value !== null;
      };
    }
    case '_eq':
    case '_is':
    case '_ne': {
      const { field, value } = fieldAndValue(operator, operand);
      return operator === '_ne'
        ? (entity) => !equals(fieldValue(entity, field), value)
        : (entity) => equals(fieldValue(entity, field), value);
    }
    case '_lt':
    case '_gt':
    case '_lte':
    case '_gte': {
      const { field, value } = fieldAndValue(operator, operand);
      const accept: Record<string, (order: number) => boolean> = {
        _lt: (order) => order < 0,
        _gt: (order) => order > 0,
        _lte: (order) => order <= 0,
        _gte: (order) => order >= 0,
      };
      return (entity) => {
        const order = compare(fieldValue(entity, field), value);
        return order !== undefined && accept[operator]!(order);
      };
    }
    case '_in': {
      if (!isObject(operand) || typeof operand._field !== 'string' || !Array.isArray(operand._values))
        throw badRequest('Invalid filter: _in needs {"_field", "_values"}');
      const field = operand._field;
      const values = operand._values as unknown[];
      return (entity) => {
        const value = fieldValue(entity, field);
        return values.some((wanted) => equals(value, wanted));
      };
    }
    case '_between': {
      if (!isObject(operand) || typeof operand._field !== 'string')
        throw badRequest('Invalid filter: _between needs {"_field", "_from", "_to"}');
      const {
        _field: field,
        _from: from,
        _to: to,
      } = operand as { _field: string; _from: unknown; _to: unknown };
      return (entity) => {
        const value = fieldValue(entity, field);
        const afterFrom = compare(value, from);
        const beforeTo = compare(value, to);
        return afterFrom !== undefined && beforeTo !== undefined && afterFrom >= 0 && beforeTo < 0;
      };
    }
    case '_like':
    case '_match':
    case '_startsWith':
    case '_endsWith': {
      const { field, value } = fieldAndValue(operator, operand);
      if (typeof value !== 'string') throw badRequest(`Invalid filter: ${operator} needs a string _value`);
      const needle = value.toLowerCase();
      return (entity) => {
        const text = fieldValue(entity, field);
        if (typeof text !== 'string') return false;
        const haystack = text.toLowerCase();
        return operator === '_startsWith'
          ? haystack.startsWith(needle)
          : operator === '_endsWith'
            ? haystack.endsWith(needle)
            : haystack.includes(needle);
      };
    }
    default:
      if (operator.startsWith('_')) throw badRequest(`Invalid filter: unknown operator ${operator}`);
      // The short form {"status": "New"} is an equality on that field.
      return (entity) => equals(fieldValue(entity, operator), operand);
  }
}

function sortEntities(entities: Entity[], fields: unknown): Entity[] {
  if (!Array.isArray(fields)) throw badRequest('Invalid sort: _fields must be an array');
  const keys = fields.map((item) => {
    const [field, direction] = isObject(item) ? (Object.entries(item)[0] ?? []) : [];
    if (typeof field !== 'string' || (direction !== 'asc' && direction !== 'desc'))
      throw badRequest('Invalid sort: each field is {"<field>": "asc" | "desc"}');
    return { field, sign: direction === 'asc' ? 1 : -1 };
  });
  return [...entities].sort((a, b) => {
    for (const { field, sign } of keys) {
      const order = compare(fieldValue(a, field), fieldValue(b, field)) ?? 0;
      if (order !== 0) return order * sign;
    }
    return 0;
  });
}

function withoutFields(entity: Entity, excluded: string[]): Entity {
  if (excluded.length === 0) return entity;
  return Object.fromEntries(Object.entries(entity).filter(([key]) => !excluded.includes(key)));
}

/** Runs a query pipeline. */
export function runQuery(body: unknown, graph: QueryGraph): QueryResult {
  if (!isObject(body) || !Array.isArray(body.query) || body.query.length === 0)
    throw badRequest('Invalid query: expected {"query": [operations…]}');
  const excluded = Array.isArray(body.excludeFields) ? body.excludeFields.map(String) : [];
  const [selection, ...steps] = body.query as unknown[];
  if (!isObject(selection) || typeof selection._name !== 'string')
    throw badRequest('Invalid query: each operation needs a _name');
  const idOrName = selection.idOrName === undefined ? undefined : String(selection.idOrName);
  let entities = graph.select(selection._name, idOrName);
  if (!entities) throw badRequest(`Invalid query: unknown selection ${selection._name}`);
  let total: number | undefined;

  for (const step of steps) {
    if (!isObject(step) || typeof step._name !== 'string')
      throw badRequest('Invalid query: each operation needs a _name');
    const { _name: name, ...args } = step;
    switch (name) {
      case 'filter':
        entities = entities.filter(compileFilter(args));
        break;
      case 'sort':
        entities = sortEntities(entities, args._fields ?? args.fields);
        break;
      case 'page': {
        const from = Number(args.from ?? 0);
        const to = Number(args.to ?? entities.length);
        if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from)
          throw badRequest('Invalid page: from and to are integers, from <= to');
        if (Array.isArray(args.extraData) && args.extraData.includes('total')) total = entities.length;
        entities = entities.slice(from, to);
        break;
      }
      case 'count':
        return { result: entities.length };
      default: {
        const reached = graph.traverse(entities, name);
        if (!reached) throw badRequest(`Invalid query: unknown operation ${name}`);
        entities = reached;
      }
    }
  }
  return { result: entities.map((entity) => withoutFields(entity, excluded)), total };
}
