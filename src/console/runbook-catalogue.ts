/** The runbooks the console lists: loaded once from runbooks/*.yaml (as `validate` loads them), with their YAML. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunbooks, RUNBOOKS_DIR } from '../runbooks/loader.js';
import type { Runbook } from '../runbooks/schema.js';

export interface CatalogueEntry {
  runbook: Runbook;
  yaml: string;
}

export class RunbookCatalogue {
  private entries: Map<string, CatalogueEntry> | undefined;

  constructor(private readonly dir: string = RUNBOOKS_DIR) {}

  all(): CatalogueEntry[] {
    return [...this.load().values()];
  }

  get(id: string): CatalogueEntry | undefined {
    return this.load().get(id);
  }

  private load(): Map<string, CatalogueEntry> {
    if (!this.entries) {
      const { runbooks } = loadRunbooks(this.dir);
      this.entries = new Map(
        [...runbooks.values()].map((r) => {
          let yaml = '';
          try {
            yaml = readFileSync(join(this.dir, `${r.id}.yaml`), 'utf8');
          } catch {
            yaml = '';
          }
          return [r.id, { runbook: r, yaml }];
        }),
      );
    }
    return this.entries;
  }
}
