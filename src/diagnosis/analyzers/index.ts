/** Every analyzer, one per kind (k8sgpt's registry, plus HPA and storage). */
import type { Analyzer } from '../analyzer.js';
import { daemonsetAnalyzer } from './daemonset.js';
import { deploymentAnalyzer } from './deployment.js';
import { hpaAnalyzer } from './hpa.js';
import { ingressAnalyzer } from './ingress.js';
import { cronjobAnalyzer, jobAnalyzer } from './job.js';
import { networkPolicyAnalyzer } from './networkpolicy.js';
import { nodeAnalyzer } from './node.js';
import { pdbAnalyzer } from './pdb.js';
import { podAnalyzer } from './pod.js';
import { pvcAnalyzer } from './pvc.js';
import { replicasetAnalyzer } from './replicaset.js';
import { serviceAnalyzer } from './service.js';
import { statefulsetAnalyzer } from './statefulset.js';

export const ANALYZERS: readonly Analyzer[] = [
  podAnalyzer,
  deploymentAnalyzer,
  replicasetAnalyzer,
  statefulsetAnalyzer,
  daemonsetAnalyzer,
  serviceAnalyzer,
  pvcAnalyzer,
  ingressAnalyzer,
  jobAnalyzer,
  cronjobAnalyzer,
  nodeAnalyzer,
  hpaAnalyzer,
  pdbAnalyzer,
  networkPolicyAnalyzer,
];
