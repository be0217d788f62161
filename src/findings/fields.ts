/**
 * Zod field types shared by the source schemas.
 *
 * Real findings vary (numbers sent as strings, `null` for missing objects, epoch numbers next to
 * ISO strings), so everything that is only context is *lenient*: a value of the wrong shape reads
 * as missing instead of rejecting the finding. Fields a finding cannot do without (ids, type,
 * severity, account) are strict and their errors name the field.
 */
import * as z from '../validation/zod';

/** Longest free text kept from a finding (titles, descriptions); longer input is rejected. */
const MAX_TEXT = 65_536;
/** Longest identifier accepted (ASFF allows 512 for `Id`; ARNs stay well under this). */
const MAX_ID = 1024;
/** Longest short field (names, types, labels) read from a finding; longer values read as missing. */
const MAX_SHORT = 4096;

/** Makes any schema lenient: a missing or malformed value reads as `undefined`. */
export function lenient<T extends z.core.$ZodType>(schema: T) {
  return z.catch(z.optional(schema), undefined);
}

/**
 * A short string; numbers are accepted and turned into text (`"asn": 9318`). Built as a string
 * schema with a fallback (not a union) because the plain-string case is the hot path.
 */
export const text = z.catch(z.optional(z.string().check(z.maxLength(MAX_SHORT))), (ctx) =>
  typeof ctx.value === 'number' && Number.isFinite(ctx.value) ? String(ctx.value) : undefined,
);

/** Free text such as a title or description: lenient about its type, strict about its size. */
export const longText = z.optional(
  z.pipe(
    z.pipe(
      z.unknown(),
      z.transform((value) =>
        typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined,
      ),
    ),
    z.optional(
      z.string().check(z.maxLength(MAX_TEXT, { error: `too long (more than ${MAX_TEXT} characters)` })),
    ),
  ),
);

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/** A finite number, also given as a numeric string (`"74"`). */
export const numeric = z.catch(z.optional(z.number()), (ctx) =>
  typeof ctx.value === 'string' && ctx.value.length <= 64 && NUMERIC.test(ctx.value)
    ? Number(ctx.value)
    : undefined,
);

/** A boolean, also given as the strings `"true"` / `"false"` (ASFF ProductFields). */
export const flag = z.catch(z.optional(z.boolean()), (ctx) =>
  ctx.value === 'true' ? true : ctx.value === 'false' ? false : undefined,
);

/** A list whose malformed elements are dropped one by one, not the whole list. */
export function list<T extends z.core.$ZodType>(item: T) {
  const element = lenient(item);
  return z.pipe(
    z.catch(
      // Most lists are simply absent: answer that without going through a failed parse.
      z._default(z.array(element), []),
      [],
    ),
    z.transform((items) => items.filter((value): value is NonNullable<z.output<T>> => value != null)),
  );
}

/** AWS resources carry at most 50 tags. */
const MAX_TAGS = 50;

/**
 * A tag list (`[{key, value}]` in GuardDuty, `[{name, value}]` in OCSF) as a flat map. Read by hand,
 * not element by element through a schema: tag lists are long and on every finding.
 */
export function tagMap(keyField: string, valueField: string) {
  return z._default(
    z.pipe(
      z.unknown(),
      z.transform((tags) => {
        const result: Record<string, string> = {};
        if (!Array.isArray(tags)) return result;
        let count = 0;
        for (const tag of tags) {
          if (typeof tag !== 'object' || tag === null) continue;
          const key: unknown = (tag as Record<string, unknown>)[keyField];
          const value: unknown = (tag as Record<string, unknown>)[valueField];
          if (typeof key !== 'string' || key.length > MAX_SHORT) continue;
          result[key] = typeof value === 'string' && value.length <= MAX_SHORT ? value : '';
          if (++count === MAX_TAGS) break;
        }
        return result;
      }),
    ),
    {},
  );
}

/** A map of string values (ASFF `Tags`, `ProductFields`); non-string values are turned into text or dropped. */
export const stringMap = z._default(
  z.pipe(
    z.unknown(),
    z.transform((record) => {
      const result: Record<string, string> = {};
      if (typeof record !== 'object' || record === null || Array.isArray(record)) return result;
      // The usual map holds only strings: read it as it is instead of copying it key by key.
      if (Object.values(record).every((value) => typeof value === 'string')) {
        return record as Record<string, string>;
      }
      for (const [key, value] of Object.entries(record)) {
        if (typeof value === 'string') result[key] = value;
        else if (typeof value === 'number' || typeof value === 'boolean') result[key] = String(value);
      }
      return result;
    }),
  ),
  // An absent key never reaches the transform: give it the same empty map.
  {},
);

/** Epoch seconds below this are read as seconds, above it as milliseconds (year 2286 in seconds). */
const EPOCH_MS_THRESHOLD = 1e10;
/** Largest time a JS `Date` can hold, in ms. */
const MAX_DATE_MS = 8.64e15;
/** ISO-8601 UTC with milliseconds, as `Date.toISOString()` writes it (fields checked for range). */
const CANONICAL =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
/** The same without fractional seconds (`2020-08-22T09:15:57Z`, as Security Hub writes them). */
const CANONICAL_SECONDS =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;
/** An ISO-like date-time with no zone: read as UTC, not as the machine's local time. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * Reads a timestamp in any of the forms findings use (ISO-8601 with `Z`, `+00:00` or `+0000`,
 * epoch seconds or milliseconds as a number or a string) and returns it as ISO-8601 UTC.
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  // Most timestamps already are canonical ISO-8601 UTC with milliseconds: keep them as they are.
  if (typeof value === 'string' && CANONICAL.test(value)) return value;
  if (typeof value === 'string' && CANONICAL_SECONDS.test(value)) return `${value.slice(0, 19)}.000Z`;
  let ms: number;
  if (typeof value === 'number') ms = value < EPOCH_MS_THRESHOLD ? value * 1000 : value;
  else if (typeof value === 'string' && value.length <= 64) {
    if (NUMERIC.test(value)) return toIsoTimestamp(Number(value));
    ms = Date.parse(ZONELESS.test(value) ? `${value.replace(' ', 'T')}Z` : value);
  } else return undefined;
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_DATE_MS) return undefined;
  return new Date(ms).toISOString();
}

/** A timestamp in any accepted form, normalised to ISO-8601 UTC; unreadable values read as missing. */
export const timestamp = z.optional(z.pipe(z.unknown(), z.transform(toIsoTimestamp)));

/** The first defined value, for fallback chains. */
export function firstOf<T>(...values: (T | undefined)[]): T | undefined {
  for (const value of values) if (value !== undefined && value !== null && value !== '') return value;
  return undefined;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * An AWS account id: 12 digits, kept as text so leading zeros survive. A number is accepted and
 * padded (JSON numbers cannot carry the leading zeros).
 */
export const accountId = z
  .union(
    [
      z.string(),
      z.pipe(
        z.int().check(z.nonnegative()),
        z.transform((value) => String(value).padStart(12, '0')),
      ),
    ],
    {
      error: (issue) => (issue.input === undefined ? 'required' : 'expected 12 digits'),
    },
  )
  .check(z.refine((value) => ACCOUNT_ID.test(value), { error: 'expected 12 digits' }));

/** A required identifier: a non-empty string of bounded length. */
export function requiredId(what = 'a non-empty string') {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${what}`) })
    .check(
      z.regex(/\S/, { error: `expected ${what}` }),
      z.maxLength(MAX_ID, { error: `too long (more than ${MAX_ID} characters)` }),
    );
}

/** A required number within a range, also given as a numeric string (severity scores). */
export function score(min: number, max: number) {
  const error = `expected a number from ${min} to ${max}`;
  return z.pipe(
    z.union([z.number(), z.pipe(z.string().check(z.regex(NUMERIC)), z.transform(Number))], {
      error: (issue) => (issue.input === undefined ? 'required' : error),
    }),
    z.number().check(z.gte(min, { error }), z.lte(max, { error })),
  );
}
