/** `/whoami`: the open_id the bot sees, the configured person and roles, and what that lets one do. */
import { z } from 'zod';
import { can } from '../access/can.js';
import { PERMISSIONS } from '../access/roles.js';
import { positionalOnly } from './args.js';
import { defineCommand, text } from './define.js';

export const whoamiCommand = defineCommand({
  name: 'whoami',
  usage: '/whoami',
  summary: 'command.whoami',
  args: positionalOnly(z.array(z.string()).max(0)),
  permission: undefined,
  async run(_a, ev) {
    const { t, actor } = ev.ctx;
    const allowed = PERMISSIONS.filter((p) => can(actor, p).ok);
    return text(
      t('command.whoami.reply', {
        openId: actor.openId || '—',
        name: actor.person?.name ?? '—',
        roles: actor.person?.roles.join(', ') || '—',
        may: allowed.join(', ') || '—',
      }),
    );
  },
});
