/**
 * What the API server does to an object it is about to store (create, or the result of a patch):
 * the defaulting functions of k8s.io/kubernetes/pkg/apis/{core,apps,networking}/v1/defaults.go for
 * the fields our scaffold and the demo use, the Gateway API CRDs' schema defaults (Gateway, HTTPRoute), and the conversions the API applies (a Secret's
 * `stringData` merged into `data`, base64). Cluster IPs, IP families and node ports are not
 * defaults: the Service storage allocates them (server.ts). Not every default: enough that `kubectl diff` shows
 * what a real cluster would show for these objects.
 */
import type { KObject, ResourceName } from './state';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objAt = (o: Obj, key: string): Obj => {
  if (!isObj(o[key])) o[key] = {};
  return o[key] as Obj;
};
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

function probe(p: unknown): void {
  if (!isObj(p)) return;
  if (isObj(p.httpGet)) (p.httpGet as Obj).scheme ??= 'HTTP';
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
}

function container(c: Obj): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.imagePullPolicy === undefined) {
    const image = String(c.image ?? '');
    const tag = image.includes('@') ? 'digest' : (/:([^/:]+)$/.exec(image)?.[1] ?? 'latest');
    c.imagePullPolicy = tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.resources ??= {};
  for (const p of list(c.ports)) p.protocol ??= 'TCP';
  for (const e of list(c.env)) {
    const from = e.valueFrom;
    if (isObj(from) && isObj(from.fieldRef)) (from.fieldRef as Obj).apiVersion ??= 'v1';
  }
  probe(c.livenessProbe);
  probe(c.readinessProbe);
  probe(c.startupProbe);
}

/** SetDefaults_PodSpec and the container/volume defaults. */
export function podSpecDefaults(spec: Obj): void {
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...list(spec.initContainers), ...list(spec.containers)]) container(c);
  for (const v of list(spec.volumes)) {
    if (isObj(v.secret)) (v.secret as Obj).defaultMode ??= 420;
    if (isObj(v.configMap)) (v.configMap as Obj).defaultMode ??= 420;
    if (isObj(v.projected)) (v.projected as Obj).defaultMode ??= 420;
  }
}

/** Defaults `obj` (of `resource`) in place, as the API server does before storing it. */
export function applyDefaults(resource: ResourceName, obj: KObject): void {
  switch (resource) {
    case 'namespaces': {
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name };
      const spec = objAt(obj, 'spec');
      spec.finalizers ??= ['kubernetes'];
      objAt(obj, 'status').phase ??= 'Active';
      return;
    }
    case 'secrets': {
      const stringData = obj.stringData;
      if (isObj(stringData)) {
        const data = objAt(obj, 'data');
        // Convert_v1_Secret_To_core_Secret: stringData overwrites data.
        for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString('base64');
      }
      delete obj.stringData;
      obj.type ??= 'Opaque';
      return;
    }
    case 'services': {
      // SetDefaults_Service (core/v1/defaults.go).
      const spec = objAt(obj, 'spec');
      if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
      if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
      if (!spec.type) spec.type = 'ClusterIP';
      for (const p of list(spec.ports)) {
        if (!p.protocol) p.protocol = 'TCP';
        if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
      }
      if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !spec.externalTrafficPolicy)
        spec.externalTrafficPolicy = 'Cluster';
      if (
        spec.internalTrafficPolicy === undefined &&
        (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')
      )
        spec.internalTrafficPolicy = 'Cluster';
      if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
      return;
    }
    case 'pods':
      podSpecDefaults(objAt(obj, 'spec'));
      return;
    case 'deployments': {
      const spec = objAt(obj, 'spec');
      spec.replicas ??= 1;
      const strategy = objAt(spec, 'strategy');
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const ru = objAt(strategy, 'rollingUpdate');
        ru.maxUnavailable ??= '25%';
        ru.maxSurge ??= '25%';
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      const template = objAt(spec, 'template');
      // The pod template's metadata carries creationTimestamp: null, as the API's typed encoding prints it.
      const meta = objAt(template, 'metadata');
      if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
      podSpecDefaults(objAt(template, 'spec'));
      obj.status ??= {};
      return;
    }
    case 'networkpolicies': {
      const spec = objAt(obj, 'spec');
      // Any policy without policyTypes is at least Ingress; Egress only when it has egress rules (len > 0).
      if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0)
        spec.policyTypes = list(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
      for (const rule of [...list(spec.ingress), ...list(spec.egress)])
        for (const p of list(rule.ports)) p.protocol ??= 'TCP';
      return;
    }
    case 'poddisruptionbudgets':
      obj.status ??= { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
      return;
    case 'ingressclasses': {
      // SetDefaults_IngressClass.
      const params = objAt(obj, 'spec').parameters;
      if (isObj(params)) params.scope ??= 'Cluster';
      return;
    }
    case 'gateways':
      // The Gateway API CRD's schema defaults (standard channel v1.2).
      for (const l of list(objAt(obj, 'spec').listeners)) {
        const routes = objAt(l, 'allowedRoutes');
        objAt(routes, 'namespaces').from ??= 'Same';
      }
      return;
    case 'httproutes': {
      const spec = objAt(obj, 'spec');
      for (const p of list(spec.parentRefs)) {
        p.group ??= 'gateway.networking.k8s.io';
        p.kind ??= 'Gateway';
      }
      spec.rules ??= [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }];
      for (const rule of list(spec.rules)) {
        rule.matches ??= [{ path: { type: 'PathPrefix', value: '/' } }];
        for (const m of list(rule.matches)) {
          if (isObj(m.path)) {
            m.path.type ??= 'PathPrefix';
            m.path.value ??= '/';
          }
        }
        for (const b of list(rule.backendRefs)) {
          b.group ??= '';
          b.kind ??= 'Service';
          b.weight ??= 1;
        }
      }
      return;
    }
    case 'configmaps':
    case 'ingresses':
    case 'gatewayclasses':
    case 'referencegrants':
    case 'ingressroutes':
      return;
  }
}
