import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** Narrowing helpers for parsed YAML, which arrives as `unknown`. */
export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown, what: string): Obj {
  if (!isObj(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

export function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
}

export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

/** The tag of an image reference (`name:tag`, `registry:port/name:tag`), or undefined. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastPart = withoutDigest.split('/').pop() ?? '';
  const colon = lastPart.indexOf(':');
  return colon === -1 ? undefined : lastPart.slice(colon + 1);
}

/** A tag that names one release, not a moving pointer. */
export function isPinnedTag(tag: string | undefined): boolean {
  return (
    tag !== undefined &&
    tag !== '' &&
    !['latest', 'stable', 'edge', 'nightly', 'main', 'master', 'dev', 'lts'].includes(tag)
  );
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `kubectl kustomize deploy/k8s/overlays/<overlay>`, one object per YAML document. */
export function renderOverlay(overlay: string): Obj[] {
  const yaml = execFileSync('kubectl', ['kustomize', `deploy/k8s/overlays/${overlay}`], {
    cwd: root,
    encoding: 'utf8',
  });
  return parseAllDocuments(yaml).map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`document ${i}: ${doc.errors[0]?.message ?? ''}`);
    return obj(doc.toJS(), `document ${i}`);
  });
}
