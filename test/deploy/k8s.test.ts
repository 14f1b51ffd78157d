import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../scripts/services.js';
import { ALL_KEYS, CONFIG_KEYS, RESERVED_KEYS } from './config-keys.js';
import {
  imageTag,
  isObj,
  isPinnedTag,
  list,
  obj,
  renderOverlay,
  str,
  type Obj,
} from './objects.js';

/** The services behind the gateway. */
const BACKENDS = SERVICES.filter((s) => s.name !== 'gateway');
/** Every service with a schema of its own, the gateway's staff directory included. */
const MIGRATED = SERVICES.filter((s) => s.schema !== undefined);
const PART_OF = 'enhanced-crm';
/** Kinds without a model in kubernetes-models: the operators' resources of the prod overlay. */
const OPERATOR_KINDS = ['postgresql.cnpg.io/v1/Cluster', 'rabbitmq.com/v1beta1/RabbitmqCluster'];

interface Model<T> {
  is: (value: unknown) => value is T;
  new (data: T): { validate(): void };
}

/** Validates `value` against the model's JSON schema when it is of that kind. */
function validatorOf<T>(model: Model<T>) {
  return (value: unknown): boolean => {
    if (!model.is(value)) return false;
    new model(value).validate();
    return true;
  };
}

const VALIDATORS = [
  validatorOf(Deployment),
  validatorOf(StatefulSet),
  validatorOf(Service),
  validatorOf(ConfigMap),
  validatorOf(Secret),
  validatorOf(Namespace),
  validatorOf(HorizontalPodAutoscaler),
  validatorOf(PodDisruptionBudget),
  validatorOf(NetworkPolicy),
  validatorOf(Ingress),
  validatorOf(Job),
];

const kindOf = (o: Obj) => `${str(o.apiVersion, 'apiVersion')}/${str(o.kind, 'kind')}`;
const meta = (o: Obj) => obj(o.metadata, 'metadata');
const nameOf = (o: Obj) => str(meta(o).name, 'name');
const labelsOf = (o: Obj) => obj(meta(o).labels, `${nameOf(o)} labels`);
const spec = (o: Obj) => obj(o.spec, `${nameOf(o)} spec`);
const podSpec = (workload: Obj) =>
  obj(obj(spec(workload).template, 'template').spec, `${nameOf(workload)} pod spec`);
const podLabels = (workload: Obj) =>
  obj(meta(obj(spec(workload).template, 'template')).labels, `${nameOf(workload)} pod labels`);
const containers = (pod: Obj) => list(pod.containers, 'containers').map((c) => obj(c, 'container'));
const initContainers = (pod: Obj) =>
  pod.initContainers === undefined
    ? []
    : list(pod.initContainers, 'initContainers').map((c) => obj(c, 'init container'));
const envVar = (container: Obj, name: string) =>
  list(container.env ?? [], 'env')
    .map((e) => obj(e, 'env var'))
    .find((e) => e.name === name);
const subsetOf = (small: Obj, big: Obj) => Object.entries(small).every(([k, v]) => big[k] === v);

function find(objects: Obj[], kind: string, name: string): Obj {
  const found = objects.find((o) => o.kind === kind && nameOf(o) === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

function probePath(container: Obj, probe: string): string {
  const p = obj(container[probe], `${str(container.name, 'name')} ${probe}`);
  return str(obj(p.httpGet, `${probe} httpGet`).path, `${probe} path`);
}

function policies(objects: Obj[]): Obj[] {
  return objects.filter((o) => o.kind === 'NetworkPolicy');
}

describe.each(['dev', 'prod'])('kustomize overlay %s', (overlay) => {
  const objects = renderOverlay(overlay);
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
  const configValue = (prefix: string, key: string): unknown => {
    const cm = configMaps.find((c) => nameOf(c).startsWith(`${prefix}-`));
    return cm ? obj(cm.data, `${nameOf(cm)} data`)[key] : undefined;
  };

  it('renders only kinds that kubernetes-models validates, or the expected operator resources', () => {
    const unvalidated: string[] = [];
    for (const o of objects) {
      if (!VALIDATORS.some((validate) => validate(o))) unvalidated.push(kindOf(o));
    }
    expect(unvalidated).toEqual(overlay === 'prod' ? OPERATOR_KINDS : []);
  });

  it('labels every object with name, part-of and component', () => {
    for (const o of objects) {
      const labels = labelsOf(o);
      expect(labels['app.kubernetes.io/part-of'], nameOf(o)).toBe(PART_OF);
      expect(typeof labels['app.kubernetes.io/name'], nameOf(o)).toBe('string');
      expect(typeof labels['app.kubernetes.io/component'], nameOf(o)).toBe('string');
    }
    for (const w of workloads) expect(subsetOf(labelsOf(w), podLabels(w)), nameOf(w)).toBe(true);
  });

  it('gives each of the eight services a Deployment, a Service, an HPA and a PDB that fit', () => {
    for (const { name, port } of SERVICES) {
      const deployment = find(objects, 'Deployment', name);
      const selector = obj(obj(spec(deployment).selector, 'selector').matchLabels, 'matchLabels');
      expect(subsetOf(selector, podLabels(deployment)), name).toBe(true);
      expect(spec(deployment).replicas, `${name}: the HPA owns replicas`).toBeUndefined();

      const container = containers(podSpec(deployment))[0] ?? {};
      const ports = list(container.ports, 'ports').map((p) => obj(p, 'port'));
      expect(
        ports.some((p) => p.name === 'http' && p.containerPort === port),
        name,
      ).toBe(true);
      expect(envVar(container, 'PORT')?.value, name).toBe(String(port));
      // Metrics on a port of their own, which Prometheus is pointed at and the Service is not.
      expect(
        ports.some((p) => p.name === 'metrics' && p.containerPort === 9464),
        name,
      ).toBe(true);
      expect(envVar(container, 'METRICS_PORT')?.value, name).toBe('9464');
      const template = obj(spec(deployment).template, 'template');
      const annotations = obj(obj(template.metadata, 'metadata').annotations, 'annotations');
      expect(annotations['prometheus.io/port'], name).toBe('9464');

      const service = find(objects, 'Service', name);
      expect(spec(service).selector, name).toEqual(selector);
      expect(spec(service).ports, name).toEqual([
        { name: 'http', port, targetPort: 'http', protocol: 'TCP' },
      ]);

      const hpa = spec(find(objects, 'HorizontalPodAutoscaler', name));
      expect(hpa.scaleTargetRef, name).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
      expect(Number(hpa.maxReplicas), name).toBeGreaterThanOrEqual(Number(hpa.minReplicas));
      expect(Number(hpa.minReplicas), name).toBeGreaterThanOrEqual(overlay === 'prod' ? 2 : 1);

      const pdb = spec(find(objects, 'PodDisruptionBudget', name));
      expect(obj(pdb.selector, 'pdb selector').matchLabels, name).toEqual(selector);
    }
  });

  it('probes, limits and pins every long-running container', () => {
    for (const w of workloads) {
      for (const c of containers(podSpec(w))) {
        const what = `${nameOf(w)}/${str(c.name, 'name')}`;
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
          expect(isObj(c[probe]), `${what} ${probe}`).toBe(true);
        }
        const resources = obj(c.resources, `${what} resources`);
        expect(Object.keys(obj(resources.requests, `${what} requests`)).sort(), what).toEqual([
          'cpu',
          'memory',
        ]);
        expect(obj(resources.limits, `${what} limits`).memory, what).toBeDefined();
        expect(
          isPinnedTag(imageTag(str(c.image, `${what} image`))),
          `${what}: ${String(c.image)}`,
        ).toBe(true);
      }
    }
  });

  it('runs the services as non-root on a read-only filesystem and drains them before the kill', () => {
    const shutdownMs = Number(configValue('crm-config-common', 'SHUTDOWN_TIMEOUT_MS'));
    expect(shutdownMs).toBeGreaterThan(0);
    for (const { name } of SERVICES) {
      const pod = podSpec(find(objects, 'Deployment', name));
      const podSecurity = obj(pod.securityContext, `${name} pod securityContext`);
      expect(podSecurity.runAsNonRoot, name).toBe(true);
      expect(Number(podSecurity.runAsUser), name).toBeGreaterThan(0);
      expect(obj(podSecurity.seccompProfile, 'seccompProfile').type, name).toBe('RuntimeDefault');
      expect(pod.automountServiceAccountToken, name).toBe(false);

      const container = containers(pod)[0] ?? {};
      const security = obj(container.securityContext, `${name} securityContext`);
      expect(security.readOnlyRootFilesystem, name).toBe(true);
      expect(security.allowPrivilegeEscalation, name).toBe(false);
      expect(obj(security.capabilities, 'capabilities').drop, name).toEqual(['ALL']);

      expect(probePath(container, 'livenessProbe'), name).toBe('/healthz');
      expect(probePath(container, 'startupProbe'), name).toBe('/healthz');
      expect(probePath(container, 'readinessProbe'), name).toBe('/readyz');

      const preStop = obj(obj(container.lifecycle, 'lifecycle').preStop, 'preStop');
      const command = list(obj(preStop.exec, 'preStop exec').command, 'command');
      expect(command[0], name).toBe('sleep');
      const sleepSeconds = Number(command[1]);
      expect(Number(pod.terminationGracePeriodSeconds), name).toBeGreaterThan(
        sleepSeconds + shutdownMs / 1000,
      );
      expect(container.image, name).toMatch(new RegExp(`(^|/)enhanced-crm/${name}:`));
    }
  });

  it('takes configuration from generated ConfigMaps and credentials from Secrets it does not define', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    for (const { name } of SERVICES) {
      const known = new Set([...(CONFIG_KEYS[name] ?? []), ...(RESERVED_KEYS[name] ?? [])]);
      const container = containers(podSpec(find(objects, 'Deployment', name)))[0] ?? {};
      const envFrom = list(container.envFrom, `${name} envFrom`).map((e) => obj(e, 'envFrom'));
      expect(envFrom.length, name).toBeGreaterThan(0);
      for (const source of envFrom) {
        const ref = str(obj(source.configMapRef, 'configMapRef').name, 'configMapRef name');
        // The generator's hash suffix: a changed value rolls the pods.
        expect(ref, name).toMatch(/-[a-z0-9]{10}$/);
        const cm = configMaps.find((c) => nameOf(c) === ref);
        expect(cm, `${name} -> ${ref}`).toBeDefined();
        for (const key of Object.keys(obj(cm?.data, `${ref} data`))) {
          expect(known.has(key), `${name} does not read ${key} (from ${ref})`).toBe(true);
        }
      }
      for (const e of list(container.env, `${name} env`).map((v) => obj(v, 'env'))) {
        const key = str(e.name, 'env name');
        expect(known.has(key), `${name} does not read ${key}`).toBe(true);
        if (/URL$|SECRET|KEY|PASSWORD/.test(key) && key !== 'JWT_JWKS_URL') {
          expect(e.value, `${name} ${key} must come from a Secret`).toBeUndefined();
          expect(isObj(obj(e.valueFrom, `${name} ${key}`).secretKeyRef), `${name} ${key}`).toBe(
            true,
          );
        }
      }
    }
    for (const cm of configMaps) {
      for (const key of Object.keys(obj(cm.data, `${nameOf(cm)} data`))) {
        expect(ALL_KEYS.has(key), `${nameOf(cm)}: unknown key ${key}`).toBe(true);
      }
    }
    for (const { name } of MIGRATED) {
      const container = containers(podSpec(find(objects, 'Deployment', name)))[0] ?? {};
      for (const key of ['DATABASE_URL', 'AMQP_URL']) {
        const ref = obj(obj(envVar(container, key)?.valueFrom, key).secretKeyRef, key);
        expect(ref, `${name} ${key}`).toEqual({ name: `crm-${name}-credentials`, key });
      }
    }
  });

  it('routes outside traffic to the gateway only', () => {
    const ingresses = objects.filter((o) => o.kind === 'Ingress');
    expect(ingresses.map(nameOf)).toEqual(['gateway']);
    const rules = list(spec(ingresses[0] ?? {}).rules, 'rules').map((r) => obj(r, 'rule'));
    for (const rule of rules) {
      for (const path of list(obj(rule.http, 'http').paths, 'paths').map((p) => obj(p, 'path'))) {
        expect(path.path).toBe('/crm');
        expect(obj(obj(path.backend, 'backend').service, 'backend service').name).toBe('gateway');
      }
    }
  });

  it('denies all traffic by default and allows only the paths the services use', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const policy = (name: string) => spec(find(policies, 'NetworkPolicy', name));

    expect(policy('default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

    const dns = policy('allow-dns');
    expect(dns.podSelector).toEqual({});
    expect(JSON.stringify(dns.egress)).toContain('"port":53');

    const fromIngress = list(policy('gateway-from-ingress').ingress, 'ingress');
    expect(JSON.stringify(fromIngress)).toContain('"port":8080');
    expect(JSON.stringify(fromIngress)).toContain('namespaceSelector');

    const gatewayEgress = list(policy('gateway-to-services').egress, 'egress').map((e) =>
      obj(e, 'rule'),
    );
    for (const { name, port } of BACKENDS) {
      expect(gatewayEgress, name).toContainEqual({
        to: [
          {
            podSelector: {
              matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': PART_OF },
            },
          },
        ],
        ports: [{ protocol: 'TCP', port }],
      });
      expect(policy(`${name}-from-gateway`).ingress, name).toEqual([
        {
          from: [
            {
              podSelector: {
                matchLabels: {
                  'app.kubernetes.io/name': 'gateway',
                  'app.kubernetes.io/part-of': PART_OF,
                },
              },
            },
          ],
          ports: [{ protocol: 'TCP', port }],
        },
      ]);
    }

    const dataPorts = JSON.stringify(policy('services-to-data').egress);
    expect(dataPorts).toContain('"port":5432');
    expect(dataPorts).toContain('"port":5672');
    expect(JSON.stringify(policy('profiles-to-search').egress)).toContain('"port":7700');
  });

  it('migrates every schema in one Job, each from its own service image', () => {
    const job = find(objects, 'Job', 'crm-migrate');
    const pod = podSpec(job);
    expect(pod.restartPolicy).toBe('Never');
    const inits = initContainers(pod);
    expect(inits.map((c) => c.name)).toEqual(MIGRATED.map((s) => `migrate-${s.name}`));
    for (const { name } of MIGRATED) {
      const init = inits.find((c) => c.name === `migrate-${name}`) ?? {};
      expect(init.command, name).toEqual(['node', 'dist/migrate.js']);
      expect(init.image, name).toBe(
        containers(podSpec(find(objects, 'Deployment', name)))[0]?.image,
      );
      expect(isObj(obj(envVar(init, 'DATABASE_URL')?.valueFrom, name).secretKeyRef), name).toBe(
        true,
      );
    }
    for (const c of [...inits, ...containers(pod)]) {
      const what = `crm-migrate/${str(c.name, 'name')}`;
      expect(isObj(obj(c.resources, what).limits), what).toBe(true);
      expect(isPinnedTag(imageTag(str(c.image, what))), what).toBe(true);
      expect(obj(c.securityContext, what).readOnlyRootFilesystem, what).toBe(true);
    }
  });

  if (overlay === 'dev') {
    it('runs PostgreSQL, RabbitMQ and Meilisearch in the namespace, on volumes', () => {
      for (const [name, port] of [
        ['postgres', 5432],
        ['rabbitmq', 5672],
        ['meilisearch', 7700],
      ] as const) {
        const set = find(objects, 'StatefulSet', name);
        expect(list(spec(set).volumeClaimTemplates, `${name} volumeClaimTemplates`).length).toBe(1);
        expect(JSON.stringify(spec(find(objects, 'Service', name)).ports)).toContain(
          `"port":${port}`,
        );
        expect(
          policies(objects).some((p) => nameOf(p).startsWith(`${name}-from-`)),
          name,
        ).toBe(true);
      }
      expect(configValue('crm-config-common', 'NODE_ENV')).toBe('development');
      expect(configValue('crm-config-profiles', 'MEILI_URL')).toBe('http://meilisearch:7700');
    });
  } else {
    it('points at operator-run PostgreSQL and RabbitMQ and an external Meilisearch', () => {
      expect(workloads.filter((w) => w.kind === 'StatefulSet')).toEqual([]);
      const cluster = objects.find((o) => kindOf(o) === 'postgresql.cnpg.io/v1/Cluster') ?? {};
      expect(Number(spec(cluster).instances)).toBeGreaterThanOrEqual(3);
      expect(isPinnedTag(imageTag(str(spec(cluster).imageName, 'imageName')))).toBe(true);
      const rabbit =
        objects.find((o) => kindOf(o) === 'rabbitmq.com/v1beta1/RabbitmqCluster') ?? {};
      expect(Number(spec(rabbit).replicas)).toBeGreaterThanOrEqual(3);
      expect(str(spec(rabbit).image, 'image')).toMatch(/^rabbitmq:3\.13\.\d+-management$/);

      expect(configValue('crm-config-common', 'NODE_ENV')).toBe('production');
      expect(str(configValue('crm-config-profiles', 'MEILI_URL'), 'MEILI_URL')).toMatch(
        /^https:\/\//,
      );
      for (const init of initContainers(podSpec(find(objects, 'Job', 'crm-migrate')))) {
        expect(obj(envVar(init, 'DATABASE_URL')?.valueFrom, 'valueFrom').secretKeyRef).toEqual({
          name: 'crm-postgres-app',
          key: 'uri',
        });
      }
      expect(spec(find(objects, 'Ingress', 'gateway')).tls).toBeDefined();
    });
  }
});

describe('kubernetes-models validation', () => {
  it('rejects a Deployment of the wrong shape, so the checks above can fail', () => {
    const broken: unknown = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken' },
      spec: { replicas: 'two', selector: {}, template: {} },
    };
    expect(() => validatorOf(Deployment)(broken)).toThrow();
  });
});
