/**
 * The whole suite as CI runs it: the main project (in parallel), the console's component
 * tests, its browser journeys in Chromium, then the fault suite (serially, since it stops the
 * broker), and one closing line `N passed, N failed`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
  testResults: { status: string; message?: string; name: string }[];
}

const extra = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'crm-tests-'));
let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;

for (const project of ['main', 'console', 'browser', 'faults']) {
  const out = join(dir, `${project}.json`);
  const run = spawnSync(
    'vitest',
    [
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}`,
      ...extra,
    ],
    { stdio: 'inherit', env: process.env },
  );
  let report: VitestJson | undefined;
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
  } catch {
    report = undefined;
  }
  if (!report) {
    process.stderr.write(
      `vitest (${project}) produced no report (exit ${run.status ?? 'signal'})\n`,
    );
    failed += 1;
    ok = false;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no tests but a failed status: count it as a failure.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && f.message);
  if (brokenFiles.length > 0 && report.numFailedTests === 0) failed += brokenFiles.length;
  if (run.status !== 0 || !report.success) ok = false;
}

process.stdout.write(
  `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(ok && failed === 0 ? 0 : 1);
