/**
 * The OpenAPI v3 documents of the local Kubernetes API server, and the unknown-field check behind
 * `fieldValidation` (server-side field validation), both made from one description of the Go types
 * the server holds.
 *
 * What kubectl 1.32 does with them (`kubectl apply`, client-side):
 * - `GET /openapi/v3`: the index, `{"paths": {"apis/apps/v1": {"serverRelativeURL":
 *   "/openapi/v3/apis/apps/v1?hash=…"}}}`; then the group-version's document;
 * - validation: when the PATCH operation of the object's group-version-kind (its
 *   `x-kubernetes-group-version-kind`) takes the `fieldValidation` query parameter, kubectl leaves
 *   validation to the server and sends `fieldValidation=Strict`; otherwise it downloads
 *   `/openapi/v2` for client-side validation, which this server does not serve (kubectl then
 *   refuses to apply without `--validate=false`);
 * - the strategic merge patch of an existing object: computed from the `components.schemas` entry
 *   with that group-version-kind when the PATCH operation accepts
 *   `application/strategic-merge-patch+json`, following `properties`, `items`, `allOf`/`$ref` and
 *   the `x-kubernetes-patch-merge-key`/`x-kubernetes-patch-strategy` extensions (a field the
 *   schema lacks, where the live object and the manifest differ, makes kubectl print "warning:
 *   error calculating patch from openapi v3 spec" and fall back to its compiled-in types).
 *
 * So the documents are real-format and as the API server publishes them (paths with their
 * operations, parameters and request bodies; schemas with the list and patch extensions of the Go
 * struct tags, `allOf: [{$ref}]` for struct fields), but small: only the operations this server
 * implements, no descriptions, and every field of the kinds it serves down to the structs the
 * demo, the scaffold and usual cloudflared manifests use; rarely used structs (ephemeral
 * containers, projected volume sources, volume sources other than Secret, ConfigMap, emptyDir,
 * hostPath and PVC, a few status structs) are open objects (`x-kubernetes-preserve-unknown-fields`),
 * whose fields are neither listed nor checked.
 *
 * `unknownFields` is the API server's strict decoding (k8s.io/apimachinery runtime converter):
 * every key a struct does not have, as `spec.template.spec.containers[0].imagePullPolicyy`.
 */
import { createHash } from 'node:crypto';
import { GROUPS, RESOURCES, versionsOf } from './state';
import type { GroupName, ResourceInfo, ResourceName } from './state';

// ── The types ────────────────────────────────────────────────────────────────────────────────

/** A field's type: a scalar, a struct (a definition's short name), a list, a map, or open. */
type T =
  | 'string'
  | 'int32'
  | 'int64'
  | 'boolean'
  | 'byte'
  /** A free-form object: x-kubernetes-preserve-unknown-fields, never checked. */
  | 'open'
  | { ref: string }
  | { list: T; key?: string; strategy?: string; type?: 'atomic' | 'set' | 'map'; mapKeys?: string[] }
  | { map: T };

interface Definition {
  /** OpenAPI name, e.g. io.k8s.api.apps.v1.Deployment. */
  name: string;
  properties?: Record<string, T>;
  required?: string[];
  /** A non-struct type (Time, Quantity, IntOrString, Patch, FieldsV1). */
  schema?: Record<string, unknown>;
  /** The resource whose kind this is (x-kubernetes-group-version-kind). */
  kind?: ResourceInfo;
  /** A `<Kind>List` of this resource. */
  listOf?: ResourceInfo;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CORE = 'io.k8s.api.core.v1';

const ref = (short: string): T => ({ ref: short });
const atomic = (of: T): T => ({ list: of, type: 'atomic' });
const byKey = (of: T, key: string, opts: { strategy?: string; mapKeys?: string[] } = {}): T => ({
  list: of,
  key,
  strategy: opts.strategy ?? 'merge',
  type: 'map',
  mapKeys: opts.mapKeys ?? [key],
});
const strings: T = { map: 'string' };
const quantities: T = { map: ref('Quantity') };
const time = ref('Time');
const intOrString = ref('IntOrString');

/** Short name → definition. Short names are unique across groups. */
const DEFS: Record<string, Definition> = {};
function def(
  short: string,
  name: string,
  properties: Record<string, T>,
  extra: Omit<Definition, 'name' | 'properties'> = {},
): void {
  DEFS[short] = { name, properties, ...extra };
}
function scalar(short: string, name: string, schema: Record<string, unknown>): void {
  DEFS[short] = { name, schema };
}

// apimachinery
scalar('Time', `${META}.Time`, { type: 'string', format: 'date-time' });
scalar('Quantity', 'io.k8s.apimachinery.pkg.api.resource.Quantity', {
  oneOf: [{ type: 'string' }, { type: 'number' }],
});
scalar('IntOrString', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString', { type: 'string', format: 'int-or-string' });
scalar('FieldsV1', `${META}.FieldsV1`, { type: 'object' });
scalar('Patch', `${META}.Patch`, { type: 'object' });
def('ObjectMeta', `${META}.ObjectMeta`, {
  annotations: strings,
  creationTimestamp: time,
  deletionGracePeriodSeconds: 'int64',
  deletionTimestamp: time,
  finalizers: { list: 'string', strategy: 'merge', type: 'set' },
  generateName: 'string',
  generation: 'int64',
  labels: strings,
  managedFields: atomic(ref('ManagedFieldsEntry')),
  name: 'string',
  namespace: 'string',
  ownerReferences: byKey(ref('OwnerReference'), 'uid'),
  resourceVersion: 'string',
  selfLink: 'string',
  uid: 'string',
});
def('ManagedFieldsEntry', `${META}.ManagedFieldsEntry`, {
  apiVersion: 'string',
  fieldsType: 'string',
  fieldsV1: ref('FieldsV1'),
  manager: 'string',
  operation: 'string',
  subresource: 'string',
  time,
});
def(
  'OwnerReference',
  `${META}.OwnerReference`,
  {
    apiVersion: 'string',
    blockOwnerDeletion: 'boolean',
    controller: 'boolean',
    kind: 'string',
    name: 'string',
    uid: 'string',
  },
  { required: ['apiVersion', 'kind', 'name', 'uid'] },
);
def('ListMeta', `${META}.ListMeta`, {
  continue: 'string',
  remainingItemCount: 'int64',
  resourceVersion: 'string',
  selfLink: 'string',
});
def('LabelSelector', `${META}.LabelSelector`, {
  matchExpressions: atomic(ref('LabelSelectorRequirement')),
  matchLabels: strings,
});
def(
  'LabelSelectorRequirement',
  `${META}.LabelSelectorRequirement`,
  { key: 'string', operator: 'string', values: atomic('string') },
  { required: ['key', 'operator'] },
);
def(
  'Condition',
  `${META}.Condition`,
  {
    lastTransitionTime: time,
    message: 'string',
    observedGeneration: 'int64',
    reason: 'string',
    status: 'string',
    type: 'string',
  },
  { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);

// core/v1: the pod template
const objectRef = { name: 'string', optional: 'boolean' } as const;
const keySelector = { key: 'string', name: 'string', optional: 'boolean' } as const;
def('LocalObjectReference', `${CORE}.LocalObjectReference`, { name: 'string' });
def('KeyToPath', `${CORE}.KeyToPath`, { key: 'string', mode: 'int32', path: 'string' }, { required: ['key', 'path'] });
def('ConfigMapKeySelector', `${CORE}.ConfigMapKeySelector`, keySelector, { required: ['key'] });
def('SecretKeySelector', `${CORE}.SecretKeySelector`, keySelector, { required: ['key'] });
def(
  'ObjectFieldSelector',
  `${CORE}.ObjectFieldSelector`,
  { apiVersion: 'string', fieldPath: 'string' },
  { required: ['fieldPath'] },
);
def(
  'ResourceFieldSelector',
  `${CORE}.ResourceFieldSelector`,
  { containerName: 'string', divisor: ref('Quantity'), resource: 'string' },
  { required: ['resource'] },
);
def('EnvVarSource', `${CORE}.EnvVarSource`, {
  configMapKeyRef: ref('ConfigMapKeySelector'),
  fieldRef: ref('ObjectFieldSelector'),
  resourceFieldRef: ref('ResourceFieldSelector'),
  secretKeyRef: ref('SecretKeySelector'),
});
def(
  'EnvVar',
  `${CORE}.EnvVar`,
  { name: 'string', value: 'string', valueFrom: ref('EnvVarSource') },
  { required: ['name'] },
);
def('ConfigMapEnvSource', `${CORE}.ConfigMapEnvSource`, objectRef);
def('SecretEnvSource', `${CORE}.SecretEnvSource`, objectRef);
def('EnvFromSource', `${CORE}.EnvFromSource`, {
  configMapRef: ref('ConfigMapEnvSource'),
  prefix: 'string',
  secretRef: ref('SecretEnvSource'),
});
def(
  'ContainerPort',
  `${CORE}.ContainerPort`,
  { containerPort: 'int32', hostIP: 'string', hostPort: 'int32', name: 'string', protocol: 'string' },
  { required: ['containerPort'] },
);
def(
  'VolumeMount',
  `${CORE}.VolumeMount`,
  {
    mountPath: 'string',
    mountPropagation: 'string',
    name: 'string',
    readOnly: 'boolean',
    recursiveReadOnly: 'string',
    subPath: 'string',
    subPathExpr: 'string',
  },
  { required: ['name', 'mountPath'] },
);
def(
  'VolumeDevice',
  `${CORE}.VolumeDevice`,
  { devicePath: 'string', name: 'string' },
  { required: ['name', 'devicePath'] },
);
def('HTTPHeader', `${CORE}.HTTPHeader`, { name: 'string', value: 'string' }, { required: ['name', 'value'] });
def(
  'HTTPGetAction',
  `${CORE}.HTTPGetAction`,
  { host: 'string', httpHeaders: atomic(ref('HTTPHeader')), path: 'string', port: intOrString, scheme: 'string' },
  { required: ['port'] },
);
def('TCPSocketAction', `${CORE}.TCPSocketAction`, { host: 'string', port: intOrString }, { required: ['port'] });
def('ExecAction', `${CORE}.ExecAction`, { command: atomic('string') });
def('GRPCAction', `${CORE}.GRPCAction`, { port: 'int32', service: 'string' }, { required: ['port'] });
def('Probe', `${CORE}.Probe`, {
  exec: ref('ExecAction'),
  failureThreshold: 'int32',
  grpc: ref('GRPCAction'),
  httpGet: ref('HTTPGetAction'),
  initialDelaySeconds: 'int32',
  periodSeconds: 'int32',
  successThreshold: 'int32',
  tcpSocket: ref('TCPSocketAction'),
  terminationGracePeriodSeconds: 'int64',
  timeoutSeconds: 'int32',
});
def('ResourceClaim', `${CORE}.ResourceClaim`, { name: 'string', request: 'string' }, { required: ['name'] });
def('ResourceRequirements', `${CORE}.ResourceRequirements`, {
  claims: { list: ref('ResourceClaim'), type: 'map', mapKeys: ['name'] },
  limits: quantities,
  requests: quantities,
});
def('Capabilities', `${CORE}.Capabilities`, { add: atomic('string'), drop: atomic('string') });
def('SeccompProfile', `${CORE}.SeccompProfile`, { localhostProfile: 'string', type: 'string' }, { required: ['type'] });
def(
  'AppArmorProfile',
  `${CORE}.AppArmorProfile`,
  { localhostProfile: 'string', type: 'string' },
  { required: ['type'] },
);
def('SELinuxOptions', `${CORE}.SELinuxOptions`, { level: 'string', role: 'string', type: 'string', user: 'string' });
def('WindowsSecurityContextOptions', `${CORE}.WindowsSecurityContextOptions`, {
  gmsaCredentialSpec: 'string',
  gmsaCredentialSpecName: 'string',
  hostProcess: 'boolean',
  runAsUserName: 'string',
});
def('SecurityContext', `${CORE}.SecurityContext`, {
  allowPrivilegeEscalation: 'boolean',
  appArmorProfile: ref('AppArmorProfile'),
  capabilities: ref('Capabilities'),
  privileged: 'boolean',
  procMount: 'string',
  readOnlyRootFilesystem: 'boolean',
  runAsGroup: 'int64',
  runAsNonRoot: 'boolean',
  runAsUser: 'int64',
  seLinuxOptions: ref('SELinuxOptions'),
  seccompProfile: ref('SeccompProfile'),
  windowsOptions: ref('WindowsSecurityContextOptions'),
});
def('Sysctl', `${CORE}.Sysctl`, { name: 'string', value: 'string' }, { required: ['name', 'value'] });
def('PodSecurityContext', `${CORE}.PodSecurityContext`, {
  appArmorProfile: ref('AppArmorProfile'),
  fsGroup: 'int64',
  fsGroupChangePolicy: 'string',
  runAsGroup: 'int64',
  runAsNonRoot: 'boolean',
  runAsUser: 'int64',
  seLinuxChangePolicy: 'string',
  seLinuxOptions: ref('SELinuxOptions'),
  seccompProfile: ref('SeccompProfile'),
  supplementalGroups: atomic('int64'),
  supplementalGroupsPolicy: 'string',
  sysctls: atomic(ref('Sysctl')),
  windowsOptions: ref('WindowsSecurityContextOptions'),
});
def('SleepAction', `${CORE}.SleepAction`, { seconds: 'int64' }, { required: ['seconds'] });
def('LifecycleHandler', `${CORE}.LifecycleHandler`, {
  exec: ref('ExecAction'),
  httpGet: ref('HTTPGetAction'),
  sleep: ref('SleepAction'),
  tcpSocket: ref('TCPSocketAction'),
});
def('Lifecycle', `${CORE}.Lifecycle`, { postStart: ref('LifecycleHandler'), preStop: ref('LifecycleHandler') });
def(
  'ContainerResizePolicy',
  `${CORE}.ContainerResizePolicy`,
  { resourceName: 'string', restartPolicy: 'string' },
  { required: ['resourceName', 'restartPolicy'] },
);
def(
  'Container',
  `${CORE}.Container`,
  {
    args: atomic('string'),
    command: atomic('string'),
    env: byKey(ref('EnvVar'), 'name'),
    envFrom: atomic(ref('EnvFromSource')),
    image: 'string',
    imagePullPolicy: 'string',
    lifecycle: ref('Lifecycle'),
    livenessProbe: ref('Probe'),
    name: 'string',
    ports: byKey(ref('ContainerPort'), 'containerPort', { mapKeys: ['containerPort', 'protocol'] }),
    readinessProbe: ref('Probe'),
    resizePolicy: atomic(ref('ContainerResizePolicy')),
    resources: ref('ResourceRequirements'),
    restartPolicy: 'string',
    securityContext: ref('SecurityContext'),
    startupProbe: ref('Probe'),
    stdin: 'boolean',
    stdinOnce: 'boolean',
    terminationMessagePath: 'string',
    terminationMessagePolicy: 'string',
    tty: 'boolean',
    volumeDevices: byKey(ref('VolumeDevice'), 'devicePath'),
    volumeMounts: byKey(ref('VolumeMount'), 'mountPath'),
    workingDir: 'string',
  },
  { required: ['name'] },
);
def('SecretVolumeSource', `${CORE}.SecretVolumeSource`, {
  defaultMode: 'int32',
  items: atomic(ref('KeyToPath')),
  optional: 'boolean',
  secretName: 'string',
});
def('ConfigMapVolumeSource', `${CORE}.ConfigMapVolumeSource`, {
  defaultMode: 'int32',
  items: atomic(ref('KeyToPath')),
  name: 'string',
  optional: 'boolean',
});
def('EmptyDirVolumeSource', `${CORE}.EmptyDirVolumeSource`, { medium: 'string', sizeLimit: ref('Quantity') });
def(
  'PersistentVolumeClaimVolumeSource',
  `${CORE}.PersistentVolumeClaimVolumeSource`,
  { claimName: 'string', readOnly: 'boolean' },
  { required: ['claimName'] },
);
def('HostPathVolumeSource', `${CORE}.HostPathVolumeSource`, { path: 'string', type: 'string' }, { required: ['path'] });
def('ProjectedVolumeSource', `${CORE}.ProjectedVolumeSource`, { defaultMode: 'int32', sources: atomic('open') });
const otherVolumeSources = [
  'awsElasticBlockStore',
  'azureDisk',
  'azureFile',
  'cephfs',
  'cinder',
  'csi',
  'downwardAPI',
  'ephemeral',
  'fc',
  'flexVolume',
  'flocker',
  'gcePersistentDisk',
  'gitRepo',
  'glusterfs',
  'image',
  'iscsi',
  'nfs',
  'photonPersistentDisk',
  'portworxVolume',
  'quobyte',
  'rbd',
  'scaleIO',
  'storageos',
  'vsphereVolume',
];
def(
  'Volume',
  `${CORE}.Volume`,
  {
    configMap: ref('ConfigMapVolumeSource'),
    emptyDir: ref('EmptyDirVolumeSource'),
    hostPath: ref('HostPathVolumeSource'),
    name: 'string',
    persistentVolumeClaim: ref('PersistentVolumeClaimVolumeSource'),
    projected: ref('ProjectedVolumeSource'),
    secret: ref('SecretVolumeSource'),
    ...Object.fromEntries(otherVolumeSources.map((k) => [k, 'open' as T])),
  },
  { required: ['name'] },
);
def('Toleration', `${CORE}.Toleration`, {
  effect: 'string',
  key: 'string',
  operator: 'string',
  tolerationSeconds: 'int64',
  value: 'string',
});
def(
  'TopologySpreadConstraint',
  `${CORE}.TopologySpreadConstraint`,
  {
    labelSelector: ref('LabelSelector'),
    matchLabelKeys: atomic('string'),
    maxSkew: 'int32',
    minDomains: 'int32',
    nodeAffinityPolicy: 'string',
    nodeTaintsPolicy: 'string',
    topologyKey: 'string',
    whenUnsatisfiable: 'string',
  },
  { required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'] },
);
def(
  'NodeSelectorRequirement',
  `${CORE}.NodeSelectorRequirement`,
  { key: 'string', operator: 'string', values: atomic('string') },
  { required: ['key', 'operator'] },
);
def('NodeSelectorTerm', `${CORE}.NodeSelectorTerm`, {
  matchExpressions: atomic(ref('NodeSelectorRequirement')),
  matchFields: atomic(ref('NodeSelectorRequirement')),
});
def(
  'NodeSelector',
  `${CORE}.NodeSelector`,
  { nodeSelectorTerms: atomic(ref('NodeSelectorTerm')) },
  { required: ['nodeSelectorTerms'] },
);
def(
  'PreferredSchedulingTerm',
  `${CORE}.PreferredSchedulingTerm`,
  { preference: ref('NodeSelectorTerm'), weight: 'int32' },
  { required: ['weight', 'preference'] },
);
def('NodeAffinity', `${CORE}.NodeAffinity`, {
  preferredDuringSchedulingIgnoredDuringExecution: atomic(ref('PreferredSchedulingTerm')),
  requiredDuringSchedulingIgnoredDuringExecution: ref('NodeSelector'),
});
def(
  'PodAffinityTerm',
  `${CORE}.PodAffinityTerm`,
  {
    labelSelector: ref('LabelSelector'),
    matchLabelKeys: atomic('string'),
    mismatchLabelKeys: atomic('string'),
    namespaceSelector: ref('LabelSelector'),
    namespaces: atomic('string'),
    topologyKey: 'string',
  },
  { required: ['topologyKey'] },
);
def(
  'WeightedPodAffinityTerm',
  `${CORE}.WeightedPodAffinityTerm`,
  { podAffinityTerm: ref('PodAffinityTerm'), weight: 'int32' },
  { required: ['weight', 'podAffinityTerm'] },
);
const podAffinity = {
  preferredDuringSchedulingIgnoredDuringExecution: atomic(ref('WeightedPodAffinityTerm')),
  requiredDuringSchedulingIgnoredDuringExecution: atomic(ref('PodAffinityTerm')),
};
def('PodAffinity', `${CORE}.PodAffinity`, podAffinity);
def('PodAntiAffinity', `${CORE}.PodAntiAffinity`, podAffinity);
def('Affinity', `${CORE}.Affinity`, {
  nodeAffinity: ref('NodeAffinity'),
  podAffinity: ref('PodAffinity'),
  podAntiAffinity: ref('PodAntiAffinity'),
});
def('PodDNSConfigOption', `${CORE}.PodDNSConfigOption`, { name: 'string', value: 'string' });
def('PodDNSConfig', `${CORE}.PodDNSConfig`, {
  nameservers: atomic('string'),
  options: atomic(ref('PodDNSConfigOption')),
  searches: atomic('string'),
});
def('HostAlias', `${CORE}.HostAlias`, { hostnames: atomic('string'), ip: 'string' }, { required: ['ip'] });
def('PodReadinessGate', `${CORE}.PodReadinessGate`, { conditionType: 'string' }, { required: ['conditionType'] });
def('PodOS', `${CORE}.PodOS`, { name: 'string' }, { required: ['name'] });
def('PodSchedulingGate', `${CORE}.PodSchedulingGate`, { name: 'string' }, { required: ['name'] });
def(
  'PodResourceClaim',
  `${CORE}.PodResourceClaim`,
  { name: 'string', resourceClaimName: 'string', resourceClaimTemplateName: 'string' },
  { required: ['name'] },
);
def(
  'PodSpec',
  `${CORE}.PodSpec`,
  {
    activeDeadlineSeconds: 'int64',
    affinity: ref('Affinity'),
    automountServiceAccountToken: 'boolean',
    containers: byKey(ref('Container'), 'name'),
    dnsConfig: ref('PodDNSConfig'),
    dnsPolicy: 'string',
    enableServiceLinks: 'boolean',
    ephemeralContainers: byKey('open', 'name'),
    hostAliases: byKey(ref('HostAlias'), 'ip'),
    hostIPC: 'boolean',
    hostNetwork: 'boolean',
    hostPID: 'boolean',
    hostUsers: 'boolean',
    hostname: 'string',
    imagePullSecrets: byKey(ref('LocalObjectReference'), 'name'),
    initContainers: byKey(ref('Container'), 'name'),
    nodeName: 'string',
    nodeSelector: strings,
    os: ref('PodOS'),
    overhead: quantities,
    preemptionPolicy: 'string',
    priority: 'int32',
    priorityClassName: 'string',
    readinessGates: atomic(ref('PodReadinessGate')),
    resourceClaims: byKey(ref('PodResourceClaim'), 'name', { strategy: 'merge,retainKeys' }),
    resources: ref('ResourceRequirements'),
    restartPolicy: 'string',
    runtimeClassName: 'string',
    schedulerName: 'string',
    schedulingGates: byKey(ref('PodSchedulingGate'), 'name'),
    securityContext: ref('PodSecurityContext'),
    serviceAccount: 'string',
    serviceAccountName: 'string',
    setHostnameAsFQDN: 'boolean',
    shareProcessNamespace: 'boolean',
    subdomain: 'string',
    terminationGracePeriodSeconds: 'int64',
    tolerations: atomic(ref('Toleration')),
    topologySpreadConstraints: byKey(ref('TopologySpreadConstraint'), 'topologyKey', {
      mapKeys: ['topologyKey', 'whenUnsatisfiable'],
    }),
    volumes: byKey(ref('Volume'), 'name', { strategy: 'merge,retainKeys' }),
  },
  { required: ['containers'] },
);
def('PodTemplateSpec', `${CORE}.PodTemplateSpec`, { metadata: ref('ObjectMeta'), spec: ref('PodSpec') });

// core/v1: pod status (the demo's pods carry one)
def('ContainerStateWaiting', `${CORE}.ContainerStateWaiting`, { message: 'string', reason: 'string' });
def('ContainerStateRunning', `${CORE}.ContainerStateRunning`, { startedAt: time });
def(
  'ContainerStateTerminated',
  `${CORE}.ContainerStateTerminated`,
  {
    containerID: 'string',
    exitCode: 'int32',
    finishedAt: time,
    message: 'string',
    reason: 'string',
    signal: 'int32',
    startedAt: time,
  },
  { required: ['exitCode'] },
);
def('ContainerState', `${CORE}.ContainerState`, {
  running: ref('ContainerStateRunning'),
  terminated: ref('ContainerStateTerminated'),
  waiting: ref('ContainerStateWaiting'),
});
def(
  'ContainerStatus',
  `${CORE}.ContainerStatus`,
  {
    allocatedResources: quantities,
    allocatedResourcesStatus: atomic('open'),
    containerID: 'string',
    image: 'string',
    imageID: 'string',
    lastState: ref('ContainerState'),
    name: 'string',
    ready: 'boolean',
    resources: ref('ResourceRequirements'),
    restartCount: 'int32',
    started: 'boolean',
    state: ref('ContainerState'),
    user: 'open',
    volumeMounts: atomic('open'),
  },
  { required: ['name', 'ready', 'restartCount', 'image', 'imageID'] },
);
def(
  'PodCondition',
  `${CORE}.PodCondition`,
  {
    lastProbeTime: time,
    lastTransitionTime: time,
    message: 'string',
    reason: 'string',
    status: 'string',
    type: 'string',
  },
  { required: ['type', 'status'] },
);
def('PodIP', `${CORE}.PodIP`, { ip: 'string' }, { required: ['ip'] });
def('HostIP', `${CORE}.HostIP`, { ip: 'string' }, { required: ['ip'] });
def('PodStatus', `${CORE}.PodStatus`, {
  conditions: byKey(ref('PodCondition'), 'type'),
  containerStatuses: atomic(ref('ContainerStatus')),
  ephemeralContainerStatuses: atomic(ref('ContainerStatus')),
  hostIP: 'string',
  hostIPs: byKey(ref('HostIP'), 'ip'),
  initContainerStatuses: atomic(ref('ContainerStatus')),
  message: 'string',
  nominatedNodeName: 'string',
  phase: 'string',
  podIP: 'string',
  podIPs: byKey(ref('PodIP'), 'ip'),
  qosClass: 'string',
  reason: 'string',
  resize: 'string',
  resourceClaimStatuses: byKey('open', 'name', { strategy: 'merge,retainKeys' }),
  startTime: time,
});

// core/v1: the other kinds
def('NamespaceSpec', `${CORE}.NamespaceSpec`, { finalizers: atomic('string') });
def(
  'NamespaceCondition',
  `${CORE}.NamespaceCondition`,
  { lastTransitionTime: time, message: 'string', reason: 'string', status: 'string', type: 'string' },
  { required: ['type', 'status'] },
);
def('NamespaceStatus', `${CORE}.NamespaceStatus`, {
  conditions: byKey(ref('NamespaceCondition'), 'type'),
  phase: 'string',
});
def(
  'ServicePort',
  `${CORE}.ServicePort`,
  {
    appProtocol: 'string',
    name: 'string',
    nodePort: 'int32',
    port: 'int32',
    protocol: 'string',
    targetPort: intOrString,
  },
  { required: ['port'] },
);
def('ClientIPConfig', `${CORE}.ClientIPConfig`, { timeoutSeconds: 'int32' });
def('SessionAffinityConfig', `${CORE}.SessionAffinityConfig`, { clientIP: ref('ClientIPConfig') });
def('ServiceSpec', `${CORE}.ServiceSpec`, {
  allocateLoadBalancerNodePorts: 'boolean',
  clusterIP: 'string',
  clusterIPs: atomic('string'),
  externalIPs: atomic('string'),
  externalName: 'string',
  externalTrafficPolicy: 'string',
  healthCheckNodePort: 'int32',
  internalTrafficPolicy: 'string',
  ipFamilies: atomic('string'),
  ipFamilyPolicy: 'string',
  loadBalancerClass: 'string',
  loadBalancerIP: 'string',
  loadBalancerSourceRanges: atomic('string'),
  ports: byKey(ref('ServicePort'), 'port', { mapKeys: ['port', 'protocol'] }),
  publishNotReadyAddresses: 'boolean',
  selector: strings,
  sessionAffinity: 'string',
  sessionAffinityConfig: ref('SessionAffinityConfig'),
  trafficDistribution: 'string',
  type: 'string',
});
def(
  'PortStatus',
  `${CORE}.PortStatus`,
  { error: 'string', port: 'int32', protocol: 'string' },
  { required: ['port', 'protocol'] },
);
def('LoadBalancerIngress', `${CORE}.LoadBalancerIngress`, {
  hostname: 'string',
  ip: 'string',
  ipMode: 'string',
  ports: atomic(ref('PortStatus')),
});
def('LoadBalancerStatus', `${CORE}.LoadBalancerStatus`, { ingress: atomic(ref('LoadBalancerIngress')) });
def('ServiceStatus', `${CORE}.ServiceStatus`, {
  conditions: byKey(ref('Condition'), 'type'),
  loadBalancer: ref('LoadBalancerStatus'),
});

// apps/v1
def('RollingUpdateDeployment', 'io.k8s.api.apps.v1.RollingUpdateDeployment', {
  maxSurge: intOrString,
  maxUnavailable: intOrString,
});
def('DeploymentStrategy', 'io.k8s.api.apps.v1.DeploymentStrategy', {
  rollingUpdate: ref('RollingUpdateDeployment'),
  type: 'string',
});
def(
  'DeploymentSpec',
  'io.k8s.api.apps.v1.DeploymentSpec',
  {
    minReadySeconds: 'int32',
    paused: 'boolean',
    progressDeadlineSeconds: 'int32',
    replicas: 'int32',
    revisionHistoryLimit: 'int32',
    selector: ref('LabelSelector'),
    strategy: ref('DeploymentStrategy'),
    template: ref('PodTemplateSpec'),
  },
  { required: ['selector', 'template'] },
);
def(
  'DeploymentCondition',
  'io.k8s.api.apps.v1.DeploymentCondition',
  {
    lastTransitionTime: time,
    lastUpdateTime: time,
    message: 'string',
    reason: 'string',
    status: 'string',
    type: 'string',
  },
  { required: ['type', 'status'] },
);
def('DeploymentStatus', 'io.k8s.api.apps.v1.DeploymentStatus', {
  availableReplicas: 'int32',
  collisionCount: 'int32',
  conditions: byKey(ref('DeploymentCondition'), 'type'),
  observedGeneration: 'int64',
  readyReplicas: 'int32',
  replicas: 'int32',
  unavailableReplicas: 'int32',
  updatedReplicas: 'int32',
});

// networking.k8s.io/v1
def(
  'IPBlock',
  'io.k8s.api.networking.v1.IPBlock',
  { cidr: 'string', except: atomic('string') },
  { required: ['cidr'] },
);
def('NetworkPolicyPeer', 'io.k8s.api.networking.v1.NetworkPolicyPeer', {
  ipBlock: ref('IPBlock'),
  namespaceSelector: ref('LabelSelector'),
  podSelector: ref('LabelSelector'),
});
def('NetworkPolicyPort', 'io.k8s.api.networking.v1.NetworkPolicyPort', {
  endPort: 'int32',
  port: intOrString,
  protocol: 'string',
});
def('NetworkPolicyIngressRule', 'io.k8s.api.networking.v1.NetworkPolicyIngressRule', {
  from: atomic(ref('NetworkPolicyPeer')),
  ports: atomic(ref('NetworkPolicyPort')),
});
def('NetworkPolicyEgressRule', 'io.k8s.api.networking.v1.NetworkPolicyEgressRule', {
  ports: atomic(ref('NetworkPolicyPort')),
  to: atomic(ref('NetworkPolicyPeer')),
});
def('NetworkPolicySpec', 'io.k8s.api.networking.v1.NetworkPolicySpec', {
  egress: atomic(ref('NetworkPolicyEgressRule')),
  ingress: atomic(ref('NetworkPolicyIngressRule')),
  podSelector: ref('LabelSelector'),
  policyTypes: atomic('string'),
});

def(
  'TypedLocalObjectReference',
  `${CORE}.TypedLocalObjectReference`,
  { apiGroup: 'string', kind: 'string', name: 'string' },
  {
    required: ['kind', 'name'],
  },
);
def('ServiceBackendPort', 'io.k8s.api.networking.v1.ServiceBackendPort', { name: 'string', number: 'int32' });
def(
  'IngressServiceBackend',
  'io.k8s.api.networking.v1.IngressServiceBackend',
  { name: 'string', port: ref('ServiceBackendPort') },
  { required: ['name'] },
);
def('IngressBackend', 'io.k8s.api.networking.v1.IngressBackend', {
  resource: ref('TypedLocalObjectReference'),
  service: ref('IngressServiceBackend'),
});
def(
  'HTTPIngressPath',
  'io.k8s.api.networking.v1.HTTPIngressPath',
  { backend: ref('IngressBackend'), path: 'string', pathType: 'string' },
  { required: ['pathType', 'backend'] },
);
def(
  'HTTPIngressRuleValue',
  'io.k8s.api.networking.v1.HTTPIngressRuleValue',
  { paths: atomic(ref('HTTPIngressPath')) },
  { required: ['paths'] },
);
def('IngressRule', 'io.k8s.api.networking.v1.IngressRule', { host: 'string', http: ref('HTTPIngressRuleValue') });
def('IngressTLS', 'io.k8s.api.networking.v1.IngressTLS', { hosts: atomic('string'), secretName: 'string' });
def('IngressSpec', 'io.k8s.api.networking.v1.IngressSpec', {
  defaultBackend: ref('IngressBackend'),
  ingressClassName: 'string',
  rules: atomic(ref('IngressRule')),
  tls: atomic(ref('IngressTLS')),
});
def(
  'IngressPortStatus',
  'io.k8s.api.networking.v1.IngressPortStatus',
  { error: 'string', port: 'int32', protocol: 'string' },
  { required: ['port', 'protocol'] },
);
def('IngressLoadBalancerIngress', 'io.k8s.api.networking.v1.IngressLoadBalancerIngress', {
  hostname: 'string',
  ip: 'string',
  ports: atomic(ref('IngressPortStatus')),
});
def('IngressLoadBalancerStatus', 'io.k8s.api.networking.v1.IngressLoadBalancerStatus', {
  ingress: atomic(ref('IngressLoadBalancerIngress')),
});
def('IngressStatus', 'io.k8s.api.networking.v1.IngressStatus', { loadBalancer: ref('IngressLoadBalancerStatus') });
def(
  'IngressClassParametersReference',
  'io.k8s.api.networking.v1.IngressClassParametersReference',
  { apiGroup: 'string', kind: 'string', name: 'string', namespace: 'string', scope: 'string' },
  { required: ['kind', 'name'] },
);
def('IngressClassSpec', 'io.k8s.api.networking.v1.IngressClassSpec', {
  controller: 'string',
  parameters: ref('IngressClassParametersReference'),
});

// policy/v1
def('PodDisruptionBudgetSpec', 'io.k8s.api.policy.v1.PodDisruptionBudgetSpec', {
  maxUnavailable: intOrString,
  minAvailable: intOrString,
  selector: ref('LabelSelector'),
  unhealthyPodEvictionPolicy: 'string',
});
def(
  'PodDisruptionBudgetStatus',
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus',
  {
    conditions: byKey(ref('Condition'), 'type'),
    currentHealthy: 'int32',
    desiredHealthy: 'int32',
    disruptedPods: { map: time },
    disruptionsAllowed: 'int32',
    expectedPods: 'int32',
    observedGeneration: 'int64',
  },
  { required: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] },
);

/** The patch strategies the Go types put on struct-valued fields (those of lists are in the list types). */
const FIELD_STRATEGY: Record<string, string> = {
  'DeploymentSpec.strategy': 'retainKeys',
  'PodDisruptionBudgetSpec.selector': 'replace',
};

// The kinds: apiVersion, kind, metadata and their own fields.
const typeMeta = { apiVersion: 'string' as T, kind: 'string' as T, metadata: ref('ObjectMeta') };
const KIND_FIELDS: Record<ResourceName, Record<string, T>> = {
  namespaces: { spec: ref('NamespaceSpec'), status: ref('NamespaceStatus') },
  services: { spec: ref('ServiceSpec'), status: ref('ServiceStatus') },
  pods: { spec: ref('PodSpec'), status: ref('PodStatus') },
  configmaps: { binaryData: { map: 'byte' }, data: strings, immutable: 'boolean' },
  secrets: { data: { map: 'byte' }, immutable: 'boolean', stringData: strings, type: 'string' },
  deployments: { spec: ref('DeploymentSpec'), status: ref('DeploymentStatus') },
  networkpolicies: { spec: ref('NetworkPolicySpec') },
  poddisruptionbudgets: { spec: ref('PodDisruptionBudgetSpec'), status: ref('PodDisruptionBudgetStatus') },
  ingresses: { spec: ref('IngressSpec'), status: ref('IngressStatus') },
  ingressclasses: { spec: ref('IngressClassSpec') },
  // Custom resources: their CRDs' schemas are not described here (spec and status are open).
  gatewayclasses: { spec: 'open', status: 'open' },
  gateways: { spec: 'open', status: 'open' },
  httproutes: { spec: 'open', status: 'open' },
  referencegrants: { spec: 'open' },
  ingressroutes: { spec: 'open' },
};
/** The Go package of a built-in group's types; a CRD's schemas are named after its reversed group. */
const PACKAGE: Record<GroupName, string> = {
  '': CORE,
  apps: 'io.k8s.api.apps.v1',
  'networking.k8s.io': 'io.k8s.api.networking.v1',
  policy: 'io.k8s.api.policy.v1',
  'gateway.networking.k8s.io': 'io.k8s.networking.gateway',
  'traefik.io': 'io.traefik',
};
const packageOf = (r: ResourceInfo): string => (r.crd ? `${PACKAGE[r.group]}.${r.version}` : PACKAGE[r.group]);
for (const r of Object.values(RESOURCES)) {
  def(r.kind, `${packageOf(r)}.${r.kind}`, { ...typeMeta, ...KIND_FIELDS[r.name] }, { kind: r });
  def(
    `${r.kind}List`,
    `${packageOf(r)}.${r.kind}List`,
    { apiVersion: 'string', items: { list: ref(r.kind) }, kind: 'string', metadata: ref('ListMeta') },
    { required: ['items'], listOf: r },
  );
}

// ── The documents ────────────────────────────────────────────────────────────────────────────

type Schema = Record<string, unknown>;
const schemaRef = (short: string): Schema => {
  const d = DEFS[short];
  if (!d) throw new Error(`openapi: no definition ${short}`);
  return { $ref: `#/components/schemas/${d.name}` };
};

function fieldSchema(t: T, strategy?: string): Schema {
  if (t === 'open') return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (t === 'string') return { type: 'string' };
  if (t === 'byte') return { type: 'string', format: 'byte' };
  if (t === 'boolean') return { type: 'boolean' };
  if (t === 'int32' || t === 'int64') return { type: 'integer', format: t };
  if ('ref' in t) {
    // Struct fields as the API server publishes them: allOf around the $ref.
    const s: Schema = { allOf: [schemaRef(t.ref)] };
    if (DEFS[t.ref]!.properties) s.default = {};
    if (strategy) s['x-kubernetes-patch-strategy'] = strategy;
    return s;
  }
  if ('map' in t) return { type: 'object', additionalProperties: fieldSchema(t.map) };
  const s: Schema = { type: 'array', items: fieldSchema(t.list) };
  if (t.type) s['x-kubernetes-list-type'] = t.type;
  if (t.type === 'map' && t.mapKeys) s['x-kubernetes-list-map-keys'] = t.mapKeys;
  if (t.key) s['x-kubernetes-patch-merge-key'] = t.key;
  if (t.strategy) s['x-kubernetes-patch-strategy'] = t.strategy;
  return s;
}

function definitionSchema(short: string): Schema {
  const d = DEFS[short]!;
  if (d.schema) return { ...d.schema };
  const properties: Record<string, Schema> = {};
  for (const [k, t] of Object.entries(d.properties ?? {}))
    properties[k] = fieldSchema(t, FIELD_STRATEGY[`${short}.${k}`]);
  const s: Schema = { type: 'object', properties };
  if (d.required) s.required = d.required;
  const gvk = d.kind ?? d.listOf;
  if (gvk)
    s['x-kubernetes-group-version-kind'] = [
      { group: gvk.group, kind: d.kind ? gvk.kind : `${gvk.kind}List`, version: gvk.version },
    ];
  return s;
}

function refsOf(t: T, into: Set<string>): void {
  if (typeof t === 'string') return;
  if ('ref' in t) collect(t.ref, into);
  else if ('map' in t) refsOf(t.map, into);
  else refsOf(t.list, into);
}

function collect(short: string, into: Set<string>): void {
  if (into.has(short)) return;
  into.add(short);
  for (const t of Object.values(DEFS[short]!.properties ?? {})) refsOf(t, into);
}

const param = (name: string, type = 'string', extra: Schema = {}): Schema => ({
  name,
  in: 'query',
  schema: { type, uniqueItems: true },
  ...extra,
});
const LIST_PARAMS = [
  param('allowWatchBookmarks', 'boolean'),
  param('continue'),
  param('fieldSelector'),
  param('labelSelector'),
  param('limit', 'integer'),
  param('resourceVersion'),
  param('resourceVersionMatch'),
  param('sendInitialEvents', 'boolean'),
  param('timeoutSeconds', 'integer'),
  param('watch', 'boolean'),
];
/** The write parameters; `fieldValidation` is what tells kubectl to leave validation to the server. */
const WRITE_PARAMS = [param('dryRun'), param('fieldManager'), param('fieldValidation')];
const pathParam = (name: string): Schema => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', uniqueItems: true },
});
const PRETTY = param('pretty');

/** `patchAppsV1NamespacedDeployment`, `listCoreV1PodForAllNamespaces` and the like. */
function operationId(verb: string, r: ResourceInfo, namespaced: boolean): string {
  const group = r.group ? r.group.split('.')[0]!.replace(/^./, (c) => c.toUpperCase()) : 'Core';
  const version = r.version.replace(/^./, (c) => c.toUpperCase());
  const allNamespaces = verb === 'list' && r.namespaced && !namespaced;
  return `${verb}${group}${version}${namespaced ? 'Namespaced' : ''}${r.kind}${allNamespaces ? 'ForAllNamespaces' : ''}`;
}

function jsonContent(short: string): Schema {
  return { 'application/json': { schema: schemaRef(short) } };
}

function operation(action: string, verb: string, r: ResourceInfo, namespaced: boolean, extra: Schema): Schema {
  return {
    tags: [r.group ? `${r.group.split('.')[0]}_${r.version}` : 'core_v1'],
    operationId: operationId(verb, r, namespaced),
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, kind: r.kind, version: r.version },
  };
}

function pathsOf(group: GroupName, version: string): Record<string, Schema> {
  const prefix = group ? `/apis/${group}/${version}` : '/api/v1';
  const paths: Record<string, Schema> = {};
  for (const r of Object.values(RESOURCES)) {
    if (r.group !== group || r.version !== version) continue;
    const list = (namespaced: boolean): Schema =>
      operation('list', 'list', r, namespaced, {
        parameters: LIST_PARAMS,
        responses: { 200: { description: 'OK', content: jsonContent(`${r.kind}List`) } },
      });
    const create = (namespaced: boolean): Schema =>
      operation('post', 'create', r, namespaced, {
        parameters: WRITE_PARAMS,
        requestBody: { content: { '*/*': { schema: schemaRef(r.kind) } }, required: true },
        responses: {
          200: { description: 'OK', content: jsonContent(r.kind) },
          201: { description: 'Created', content: jsonContent(r.kind) },
        },
      });
    const read = (namespaced: boolean): Schema =>
      operation('get', 'read', r, namespaced, {
        responses: { 200: { description: 'OK', content: jsonContent(r.kind) } },
      });
    const patch = (namespaced: boolean): Schema =>
      operation('patch', 'patch', r, namespaced, {
        parameters: [...WRITE_PARAMS, param('force', 'boolean')],
        // What this server applies: JSON merge patches and strategic merge patches (no JSON patch, no
        // server-side apply); custom resources take no strategic merge patch.
        requestBody: {
          content: {
            'application/merge-patch+json': { schema: schemaRef('Patch') },
            ...(r.crd ? {} : { 'application/strategic-merge-patch+json': { schema: schemaRef('Patch') } }),
          },
          required: true,
        },
        responses: { 200: { description: 'OK', content: jsonContent(r.kind) } },
      });
    if (r.namespaced) {
      paths[`${prefix}/${r.name}`] = { get: list(false), parameters: [PRETTY] };
      paths[`${prefix}/namespaces/{namespace}/${r.name}`] = {
        get: list(true),
        post: create(true),
        parameters: [pathParam('namespace'), PRETTY],
      };
      paths[`${prefix}/namespaces/{namespace}/${r.name}/{name}`] = {
        get: read(true),
        patch: patch(true),
        parameters: [pathParam('name'), pathParam('namespace'), PRETTY],
      };
    } else {
      paths[`${prefix}/${r.name}`] = { get: list(false), post: create(false), parameters: [PRETTY] };
      paths[`${prefix}/${r.name}/{name}`] = {
        get: read(false),
        patch: patch(false),
        parameters: [pathParam('name'), PRETTY],
      };
    }
  }
  return paths;
}

/** The index path of a group-version: `api/v1`, `apis/apps/v1`. */
export const openApiPathOf = (group: GroupName, version = 'v1'): string =>
  group ? `apis/${group}/${version}` : 'api/v1';

export interface OpenApiDocument {
  /** The document, serialized. */
  json: string;
  /** Its hash, as in the index's serverRelativeURL (the API server's: SHA-512, upper-case hex). */
  hash: string;
}

function buildDocument(group: GroupName, version: string): OpenApiDocument & { group: GroupName } {
  const shorts = new Set<string>(['Patch']);
  for (const r of Object.values(RESOURCES)) {
    if (r.group !== group || r.version !== version) continue;
    collect(r.kind, shorts);
    collect(`${r.kind}List`, shorts);
  }
  const schemas: Record<string, Schema> = {};
  for (const short of [...shorts].sort((a, b) => DEFS[a]!.name.localeCompare(DEFS[b]!.name)))
    schemas[DEFS[short]!.name] = definitionSchema(short);
  const doc = {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: pathsOf(group, version),
    components: { schemas },
  };
  const json = JSON.stringify(doc);
  return { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase(), group };
}

const DOCUMENTS = new Map<string, OpenApiDocument & { group: GroupName }>(
  GROUPS.flatMap((g) => versionsOf(g).map((v) => [openApiPathOf(g, v), buildDocument(g, v)] as const)),
);

/** The document of a group-version by its index path (`apis/apps/v1`), if served (`serves`: whether its group is). */
export function openApiDocument(
  path: string,
  serves: (group: GroupName) => boolean = () => true,
): OpenApiDocument | undefined {
  const doc = DOCUMENTS.get(path);
  return doc && serves(doc.group) ? doc : undefined;
}

/** `GET /openapi/v3`: every served group-version with the URL of its current document. */
export function openApiIndex(serves: (group: GroupName) => boolean = () => true): string {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, doc] of DOCUMENTS)
    if (serves(doc.group)) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
  return JSON.stringify({ paths });
}

// ── Strict decoding ──────────────────────────────────────────────────────────────────────────

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(v: unknown, t: T, path: string, out: string[], drop: boolean): void {
  if (typeof t === 'string' || v === null || v === undefined) return;
  if ('ref' in t) {
    const d = DEFS[t.ref]!;
    if (!d.properties || !isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      const ft = d.properties[k];
      if (ft !== undefined) walk(x, ft, p, out, drop);
      else {
        out.push(p);
        if (drop) delete v[k];
      }
    }
  } else if ('map' in t) {
    if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, t.map, path ? `${path}.${k}` : k, out, drop);
  } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, t.list, `${path}[${i}]`, out, drop));
}

/**
 * The fields of `obj` (an object of `resource`) that its Go type does not have, in document
 * order, named as the API server's strict decoding names them: `spec.replica`,
 * `spec.template.spec.containers[0].imagePullPolicyy`. Open objects are not looked into.
 */
export function unknownFields(resource: ResourceName, obj: unknown): string[] {
  const out: string[] = [];
  walk(obj, ref(RESOURCES[resource].kind), '', out, false);
  return out;
}

/**
 * Removes the unknown fields from `obj` (as decoding into the Go type does when the request's
 * `fieldValidation` is Ignore or Warn) and returns them as `unknownFields` does.
 */
export function dropUnknownFields(resource: ResourceName, obj: unknown): string[] {
  const out: string[] = [];
  walk(obj, ref(RESOURCES[resource].kind), '', out, true);
  return out;
}

/** `fmt.Sprintf("%v", v)` of a decoded JSON value in Go: `map[spec:map[replicas:2]]`, `[a b]`, `<nil>`. */
export function goPrint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  if (isObj(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goPrint(v[k])}`)
      .join(' ')}]`;
  }
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v);
  return String(v);
}

/** Go's %v of a float64 (strconv 'g', shortest): the %e form for exponents < -4 or >= 6. */
function goFloat(f: number): string {
  const [mantissa, exp] = f.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(f);
}

// ── omitempty ────────────────────────────────────────────────────────────────────────────────

/** List and map fields whose Go struct tag has no `omitempty` (an empty value stays in the JSON). */
const NOT_OMITEMPTY = new Set(['PodSpec.containers']);

function dropEmpty(v: unknown, t: T, owner: string, field: string): boolean {
  if (typeof t === 'string' || v === null || v === undefined) return false;
  if ('ref' in t) {
    const d = DEFS[t.ref]!;
    if (d.properties && isObj(v)) {
      for (const [k, x] of Object.entries(v)) {
        const ft = d.properties[k];
        if (ft !== undefined && dropEmpty(x, ft, t.ref, k)) delete v[k];
      }
    }
    return false;
  }
  const omit = !NOT_OMITEMPTY.has(`${owner}.${field}`);
  if ('map' in t) {
    if (!isObj(v)) return false;
    for (const [k, x] of Object.entries(v)) dropEmpty(x, t.map, owner, k);
    return omit && Object.keys(v).length === 0;
  }
  if (!Array.isArray(v)) return false;
  for (const x of v) dropEmpty(x, t.list, owner, field);
  return omit && v.length === 0;
}

/**
 * Removes, in place, the empty lists and maps of fields whose Go type says `omitempty` (nearly
 * all: `ingress: []`, `labels: {}`, `ports: []` …): what the API server stores, and so what every
 * read answers, is the Go struct encoded again, in which they are gone (an empty struct, such as
 * `podSelector: {}`, stays).
 */
export function dropEmptyOmitempty(resource: ResourceName, obj: unknown): void {
  dropEmpty(obj, ref(RESOURCES[resource].kind), '', '');
}
