/** The Alertmanager API v2 subset the bot uses: creating silences and checking what became of them. */
export interface SilenceMatcherInput {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface NewSilence {
  matchers: SilenceMatcherInput[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export type SilenceState = 'active' | 'pending' | 'expired';

export interface AlertmanagerPort {
  /** POST /api/v2/silences → the new silence's id. */
  createSilence(silence: NewSilence): Promise<string>;
  /** GET /api/v2/silence/{id}; `undefined` when Alertmanager no longer knows it (404). */
  getSilence(id: string): Promise<{ id: string; state: SilenceState; endsAt: string } | undefined>;
}
