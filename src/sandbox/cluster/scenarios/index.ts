import { configmapChanged } from './configmap-changed.js';
import { crashKilled } from './crash-killed.js';
import { crashloop } from './crashloop.js';
import { hpaMaxed } from './hpa-maxed.js';
import { hpaMissingRequests } from './hpa-missing-requests.js';
import { imagePull } from './image-pull.js';
import { ingressBackendMissing } from './ingress-backend-missing.js';
import { jobFailed } from './job-failed.js';
import { livenessFail } from './liveness-fail.js';
import { missingConfigMap } from './missing-configmap.js';
import { missingSecret } from './missing-secret.js';
import { networkpolicyDeny } from './networkpolicy-deny.js';
import { noEndpoints } from './no-endpoints.js';
import { nodeDiskPressure } from './node-diskpressure.js';
import { nodeNotReady } from './node-notready.js';
import { oomkilled } from './oomkilled.js';
import { pdbBlocking } from './pdb-blocking.js';
import { pvcPending } from './pvc-pending.js';
import { readinessFail } from './readiness-fail.js';
import { statefulsetMissingService } from './statefulset-missing-service.js';
import type { Scenario } from './types.js';
import { unschedulable } from './unschedulable.js';

/** Every failure the simulator can play, by name. */
export const SCENARIOS = [
  crashloop,
  oomkilled,
  imagePull,
  unschedulable,
  missingConfigMap,
  missingSecret,
  readinessFail,
  livenessFail,
  noEndpoints,
  pvcPending,
  nodeNotReady,
  nodeDiskPressure,
  crashKilled,
  ingressBackendMissing,
  hpaMissingRequests,
  hpaMaxed,
  statefulsetMissingService,
  jobFailed,
  pdbBlocking,
  networkpolicyDeny,
  configmapChanged,
] as const satisfies readonly Scenario[];

export type ScenarioName = (typeof SCENARIOS)[number]['name'];

export function findScenario(name: string): Scenario | undefined {
  return (SCENARIOS as readonly Scenario[]).find((s) => s.name === name);
}

export type { Scenario } from './types.js';
