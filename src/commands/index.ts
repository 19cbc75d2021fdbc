/** The chat commands this build answers, in the order `/help` lists them. */
import { ackCommand } from './ack.js';
import type { AnyCommand } from './define.js';
import { eventsCommand } from './events.js';
import { helpCommand } from './help.js';
import { incidentCommand } from './incident.js';
import { incidentsCommand } from './incidents.js';
import { logsCommand } from './logs.js';
import { oncallCommand } from './oncall.js';
import { resetCommand } from './reset.js';
import { resolveCommand } from './resolve.js';
import { restartCommand } from './restart.js';
import { rollbackCommand } from './rollback.js';
import { runCommand } from './run.js';
import { runbooksCommand } from './runbooks.js';
import { scaleCommand } from './scale.js';
import { silenceCommand } from './silence.js';
import { statusCommand } from './status.js';
import { topCommand } from './top.js';
import { whoamiCommand } from './whoami.js';

export const COMMANDS: readonly AnyCommand[] = [
  helpCommand,
  statusCommand,
  incidentsCommand,
  incidentCommand,
  ackCommand,
  resolveCommand,
  silenceCommand,
  logsCommand,
  eventsCommand,
  topCommand,
  restartCommand,
  scaleCommand,
  rollbackCommand,
  runCommand,
  runbooksCommand,
  oncallCommand,
  whoamiCommand,
  resetCommand,
];

export { registerCommands } from './register.js';
