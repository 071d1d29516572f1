/**
 * The short version of `npm run bench:faults`: sends through a real n8n while the sandbox loses
 * answers after committing, answers 502/504, resets connections and throws 429 storms, and while
 * n8n is killed (SIGKILL) mid-run, started again and the execution retried from the Executions
 * list. The sandbox's record of committed messages is the ground truth.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// the benchmark's own scenarios, run small
import { faultSuite } from '../../bench/faults';

it('mixed faults and a crash with a Retry: every customer messaged once, none lost', async () => {
	const runtime = JSON.parse(readFileSync(resolve(__dirname, '../../.e2e/runtime.json'), 'utf8'));
	const { mixed, crash } = await faultSuite({ runtime, nodesDir: runtime.nodesTemplate, items: 600, killItems: 300 });
	expect(mixed).toMatchObject({ expected: 600, sent: 600, duplicates: 0, lost: 0, failed: 0 });
	for (const fault of mixed.faults) expect(fault.hit).toBeGreaterThan(0);
	expect(crash).toMatchObject({
		expected: 300,
		sent: 300,
		duplicates: 0,
		lost: 0,
		failed: 0,
		crashedStatus: 'crashed',
		retryStatus: 'success',
	});
	expect(crash.committedAtKill).toBeGreaterThan(0);
	expect(crash.committedAtKill).toBeLessThan(300);
});
