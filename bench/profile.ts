/**
 * Summarises a V8 CPU profile (`--cpu-prof`): where the busy time went, by package and by
 * function (self time), and the inclusive time of chosen frames.
 *
 *   pnpm bench:profile /tmp/crm-bench-gateway-get-XXXX/profiles/profiles.cpuprofile [--top 30] [--frames jwtVerify,handle] [--callers writev] [--skip 20]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);

/** The package (or our own workspace folder) a frame belongs to. */
export function packageOf(url: string): string {
  if (url === '') return '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] ?? ''}`;
  const ws = /\/(services|libs|apps)\/([^/]+)\//.exec(url);
  if (ws) return `${ws[1]}/${ws[2]}`;
  return url;
}

function label(frame: CallFrame): string {
  const file = frame.url.split('/').slice(-2).join('/');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

function summarise(
  path: string,
  top: number,
  frames: string[],
  callers: string,
  skipSeconds: number,
): void {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const selfUs = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < skipSeconds * 1e6) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const stacks = new Map<string, number>();

  let total = 0;
  let busy = 0;
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>(frames.map((f) => [f, 0]));
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    if (IDLE.has(node.callFrame.functionName)) {
      byFunction.set(
        node.callFrame.functionName,
        (byFunction.get(node.callFrame.functionName) ?? 0) + us,
      );
      continue;
    }
    busy += us;
    const pkg = packageOf(node.callFrame.url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = label(node.callFrame);
    if (callers !== '' && node.callFrame.functionName === callers) {
      const chain: string[] = [];
      for (
        let cur = parent.get(id);
        cur !== undefined && chain.length < 12;
        cur = parent.get(cur)
      ) {
        const f = byId.get(cur)?.callFrame;
        if (f) chain.push(label(f));
      }
      const key = chain.join(' < ');
      stacks.set(key, (stacks.get(key) ?? 0) + us);
    }
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    if (frames.length > 0) {
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const name = byId.get(cur)?.callFrame.functionName ?? '';
        if (inclusive.has(name) && !seen.has(name)) {
          seen.add(name);
          inclusive.set(name, (inclusive.get(name) ?? 0) + us);
        }
      }
    }
  }

  const ms = (us: number): string => (us / 1000).toFixed(0).padStart(8);
  const pct = (us: number): string =>
    `${((100 * us) / Math.max(busy, 1)).toFixed(1).padStart(5)} %`;
  console.log(
    `${path}\n  sampled ${ms(total).trim()} ms, busy ${ms(busy).trim()} ms (${((100 * busy) / Math.max(total, 1)).toFixed(0)} %)`,
  );
  console.log('\n  by package (self time, share of busy)');
  for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${ms(v)} ms ${pct(v)}  ${k}`);
  console.log('\n  by function (self time)');
  for (const [k, v] of [...byFunction]
    .filter(([k]) => !IDLE.has(k.split(' ')[0] ?? ''))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    console.log(`  ${ms(v)} ms ${pct(v)}  ${k}`);
  if (frames.length > 0) {
    console.log('\n  inclusive time of frames');
    for (const [k, v] of inclusive) console.log(`  ${ms(v)} ms ${pct(v)}  ${k}`);
  }
  if (callers !== '') {
    console.log(`\n  callers of ${callers}`);
    for (const [k, v] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 10))
      console.log(`  ${ms(v)} ms ${pct(v)}  ${k}`);
  }
  console.log('');
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    frames: { type: 'string', default: '' },
    callers: { type: 'string', default: '' },
    skip: { type: 'string', default: '0' },
  },
});
if (positionals.length === 0) {
  console.error('usage: pnpm bench:profile <file.cpuprofile>... [--top 25] [--frames fnA,fnB]');
  process.exit(2);
}
for (const p of positionals)
  summarise(
    p,
    Number(values.top),
    values.frames.split(',').filter((f) => f !== ''),
    values.callers,
    Number(values.skip),
  );
