/**
 * Recognising the ingress controller behind a Service (../shared/docs/field-notes-2.md §3.2), and
 * which Ingresses it serves (§3.3, class selection).
 *
 * - ingress-nginx: labels `app.kubernetes.io/name=ingress-nginx` + `app.kubernetes.io/component=
 *   controller` on the Service or on the pods it selects, or the image `…/ingress-nginx/controller`;
 *   never its admission webhook Service (a `-admission` name, or only a `webhook` target port). Its
 *   flags decide the classes: `--controller-class` (default `k8s.io/ingress-nginx`),
 *   `--ingress-class` (default `nginx`, compared with the legacy annotation and used when no
 *   IngressClass is known), `--watch-ingress-without-class`.
 * - Traefik: `app.kubernetes.io/name=traefik` or a `traefik` image; controller
 *   `traefik.io/ingress-controller`; `--providers.kubernetesingress.ingressclass` (empty by default:
 *   class-less Ingresses and class `traefik` are processed);
 *   `--providers.kubernetescrd.allowCrossNamespace`.
 * - A well-known Service name alone (`ingress-nginx-controller`, `traefik`) counts too, and says so.
 */
import { defaultIngressClass } from './ingress';
import type { IngressDef } from './ingress';
import { selects, workloadsIn } from './objects';
import type { RoutingObjects, RoutingService, RoutingWorkload, Sourced } from './objects';

export type ControllerKind = 'ingress-nginx' | 'traefik';

export interface Controller {
  kind: ControllerKind;
  service: Sourced<RoutingService>;
  /** The workloads whose pods the Service selects. */
  workloads: Array<Sourced<RoutingWorkload>>;
  /** How it was recognised, for the hop's detail. */
  why: string;
  /** `spec.controller` of the IngressClasses it serves. */
  controllerClass: string;
  /** The class name it answers to without an IngressClass object (legacy annotation, chart default). */
  className: string;
  /** Class-less Ingresses are served. */
  watchWithoutClass: boolean;
  /** Traefik: cross-namespace references in IngressRoutes are allowed. */
  allowCrossNamespace: boolean;
  /** Traefik's major version, from its image tag (undefined: not known). */
  version?: 2 | 3;
}

const NGINX_IMAGE = /(^|\/)ingress-nginx\/controller([:@]|$)/;
const TRAEFIK_IMAGE = /(^|\/)traefik([:@]|$)/;

function flag(workloads: Array<Sourced<RoutingWorkload>>, name: string): string | undefined {
  for (const w of workloads) {
    for (const c of w.def.containers) {
      for (let i = 0; i < c.args.length; i++) {
        const a = c.args[i]!;
        if (a === name && i + 1 < c.args.length && !c.args[i + 1]!.startsWith('-')) return c.args[i + 1];
        if (a === name) return 'true';
        if (a.toLowerCase().startsWith(`${name.toLowerCase()}=`)) return a.slice(name.length + 1);
      }
    }
  }
  return undefined;
}

function isAdmission(svc: RoutingService): boolean {
  return /-admission$/.test(svc.name) || (svc.ports.length > 0 && svc.ports.every((p) => p.targetPort === 'webhook'));
}

/** The workloads in the Service's namespace whose pods it selects. */
export function selectedWorkloads(objects: RoutingObjects, svc: RoutingService): Array<Sourced<RoutingWorkload>> {
  return workloadsIn(objects, svc.namespace).filter((w) => selects(svc.selector, w.def.podLabels));
}

function hasLabels(all: Array<Record<string, string>>, want: Record<string, string>): boolean {
  return all.some((l) => Object.entries(want).every(([k, v]) => l[k] === v));
}

/** The controller behind the Service, or undefined when it is not a recognised ingress controller. */
export function recognizeController(objects: RoutingObjects, service: Sourced<RoutingService>): Controller | undefined {
  const svc = service.def;
  if (isAdmission(svc)) return undefined;
  const workloads = selectedWorkloads(objects, svc);
  const labelSets = [svc.labels, ...workloads.map((w) => w.def.podLabels)];
  const images = workloads.flatMap((w) => w.def.containers.map((c) => c.image));
  let kind: ControllerKind | undefined;
  let why = '';
  if (
    hasLabels(labelSets, { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' })
  ) {
    [kind, why] = ['ingress-nginx', 'labels app.kubernetes.io/name=ingress-nginx, component=controller'];
  } else if (images.some((i) => NGINX_IMAGE.test(i))) {
    [kind, why] = ['ingress-nginx', 'its pods run the ingress-nginx controller image'];
  } else if (hasLabels(labelSets, { 'app.kubernetes.io/name': 'traefik' })) {
    [kind, why] = ['traefik', 'label app.kubernetes.io/name=traefik'];
  } else if (images.some((i) => TRAEFIK_IMAGE.test(i))) {
    [kind, why] = ['traefik', 'its pods run the traefik image'];
  } else if (svc.name === 'ingress-nginx-controller') {
    [kind, why] = ['ingress-nginx', 'the Service name ingress-nginx-controller (its pods are not in this source)'];
  } else if (svc.name === 'traefik') {
    [kind, why] = ['traefik', 'the Service name traefik (its pods are not in this source)'];
  }
  if (kind === 'ingress-nginx') {
    return {
      kind,
      service,
      workloads,
      why,
      controllerClass: flag(workloads, '--controller-class') ?? 'k8s.io/ingress-nginx',
      className: flag(workloads, '--ingress-class') ?? 'nginx',
      watchWithoutClass: flag(workloads, '--watch-ingress-without-class') === 'true',
      allowCrossNamespace: false,
    };
  }
  if (kind === 'traefik') {
    const cls = flag(workloads, '--providers.kubernetesingress.ingressclass');
    const tag = images.map((i) => /(?:^|\/)traefik:v?(\d+)\./.exec(i)?.[1]).find((v) => v !== undefined);
    return {
      ...(tag === '2' || tag === '3' ? { version: Number(tag) as 2 | 3 } : {}),
      kind,
      service,
      workloads,
      why,
      controllerClass: 'traefik.io/ingress-controller',
      className: cls ?? 'traefik',
      watchWithoutClass: cls === undefined,
      allowCrossNamespace: flag(workloads, '--providers.kubernetescrd.allowcrossnamespace') === 'true',
    };
  }
  return undefined;
}

export interface IngressSelection {
  served: Array<Sourced<IngressDef>>;
  /** Ingresses another class (or none) keeps from this controller, with why. */
  ignored: Array<{ ingress: Sourced<IngressDef>; reason: string }>;
  /** Assumptions made for lack of an IngressClass object. */
  notes: string[];
}

/** The Ingresses this controller serves, by class (module comment). */
export function servedIngresses(objects: RoutingObjects, controller: Controller): IngressSelection {
  const classes = objects.ingressClasses.map((c) => c.def);
  const own = new Set(classes.filter((c) => c.controller === controller.controllerClass).map((c) => c.name));
  const notes: string[] = [];
  if (own.size === 0) {
    own.add(controller.className);
    notes.push(
      `no IngressClass naming ${controller.controllerClass} is in this source: class ${controller.className} is assumed to be ${controller.kind}'s`,
    );
  }
  // A manifest not yet applied gets the default class from the admission plugin when created.
  const admissionDefault = objects.source === 'workspace' ? defaultIngressClass(classes) : undefined;
  const served: Array<Sourced<IngressDef>> = [];
  const ignored: IngressSelection['ignored'] = [];
  for (const ing of objects.ingresses) {
    const d = ing.def;
    let reason: string | undefined;
    if (d.classFrom === 'field') {
      if (!own.has(d.className!)) reason = `its ingressClassName ${d.className} is not ${controller.kind}'s`;
    } else if (d.classFrom === 'annotation') {
      if (d.className !== controller.className && !own.has(d.className!)) {
        reason = `its kubernetes.io/ingress.class annotation ${d.className} is not ${controller.kind}'s`;
      }
    } else if (admissionDefault !== undefined) {
      if (!own.has(admissionDefault))
        reason = `it gets the default class ${admissionDefault}, not ${controller.kind}'s`;
    } else if (!controller.watchWithoutClass) {
      reason = `it has no class, and ${controller.kind} serves class-less Ingresses only with --watch-ingress-without-class`;
    }
    if (reason === undefined) served.push(ing);
    else ignored.push({ ingress: ing, reason });
  }
  return { served, ignored, notes };
}
