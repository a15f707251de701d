/** Settings the extension reads in more than one area. */
import * as vscode from 'vscode';
import { DEFAULT_CLUSTER_DOMAIN, normalizeClusterDomain } from '../core/kubernetes/serviceHost';

/** `cftunnel.kubernetes.clusterDomain`: the DNS domain of the cluster's Services (`cluster.local` unless set). */
export function clusterDomainSetting(): string {
  const v = vscode.workspace.getConfiguration('cftunnel.kubernetes').get<string>('clusterDomain');
  return normalizeClusterDomain(typeof v === 'string' ? v : DEFAULT_CLUSTER_DOMAIN);
}
