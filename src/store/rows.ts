/**
 * One typed mapper per table, derived from the domain model's zod schema: a row's snake_case columns become
 * the model's camelCase fields, JSON columns are parsed, and the result is checked by the schema — so a table
 * has one definition (the model), not a record type, a row type and a hand-written mapper beside it.
 *
 * Tables read on the alert intake's hot path (incidents, alerts) map without re-checking every row against the
 * schema (`trusted`): their rows are written only through the typed repositories, and a test parses them with
 * the schema; checking each read would cost a tenth of the time an alert takes to apply.
 */
import type { z } from 'zod';
import { fromJson } from './json.js';

export type Row = Record<string, unknown>;

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function rowMapper<S extends z.ZodObject>(
  schema: S,
  jsonFields: readonly (keyof z.infer<S> & string)[] = [],
  options: { trusted?: boolean } = {},
): (row: Row) => z.infer<S> {
  const trusted = options.trusted === true;
  const fields = Object.keys(schema.shape).map((k) => [k, snake(k), jsonFields.includes(k)] as const);
  return (row) => {
    const out: Row = {};
    for (const [field, column, json] of fields) {
      const v = row[column];
      out[field] = json ? fromJson(v as string | null, undefined) : v;
    }
    return trusted ? (out as z.infer<S>) : schema.parse(out);
  };
}

/** The column a model field is stored in. */
export function columnOf(field: string): string {
  return snake(field);
}
