import type { ResourceKind } from './kinds.js';
import type { K8sObject } from './store.js';
import { batchTables } from './table-batch.js';
import { AGE, age, NAME, type TablePrinter } from './table-columns.js';
import { podColumns, podRow } from './table-pods.js';
import { workloadTables } from './table-workloads.js';

const generic: TablePrinter = {
  columns: [NAME, AGE],
  row: (o, now) => [o.metadata.name, age(o, now)],
};

const PRINTERS: Record<string, TablePrinter> = {
  Pod: { columns: podColumns, row: podRow },
  ...workloadTables,
  ...batchTables,
};

export function printerFor(kind: string): TablePrinter {
  return PRINTERS[kind] ?? generic;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(obj: K8sObject, include: IncludeObject): unknown {
  switch (include) {
    case 'None':
      return undefined;
    case 'Object':
      return obj;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
    default: {
      const never: never = include;
      return never;
    }
  }
}

/** A `meta.k8s.io/v1 Table`, what `kubectl get` asks for with `Accept: …;as=Table;g=meta.k8s.io;v=v1`. */
export function toTable(
  r: ResourceKind,
  objects: readonly K8sObject[],
  opts: { now: number; resourceVersion: string; include: IncludeObject },
): Record<string, unknown> {
  const printer = printerFor(r.kind);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: opts.resourceVersion },
    columnDefinitions: printer.columns,
    rows: objects.map((o) => ({ cells: printer.row(o, opts.now), object: rowObject(o, opts.include) })),
  };
}

/** Parses `Accept` for a Table request. */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '')
    .split(',')
    .some((part) => /as=Table/.test(part) && /g=meta\.k8s\.io/.test(part) && /v=v1(;|$|\s)/.test(`${part};`));
}
