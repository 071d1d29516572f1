/** `npm run dev` as a user runs it, from a test: started in its own process group, read from its output. */
import { spawn, ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { freePort, N8nApi } from '../../../scripts/n8n';

const ROOT = resolve(__dirname, '../../..');

export interface Dev {
	process: ChildProcess;
	/** Everything it has printed so far. */
	output: () => string;
	/** Its n8n's REST API, signed in with the printed login. */
	api: N8nApi;
	/** Whether any process of its process group is still alive. */
	alive: () => boolean;
}

/** Runs `npm run <script>` until it prints that it is ready, on free ports. */
export async function startDev(script: string): Promise<Dev> {
	const { NODE_ENV, JEST_WORKER_ID, ...env } = process.env;
	const child = spawn('npm', ['run', script], {
		cwd: ROOT,
		env: { ...env, N8N_PORT: String(await freePort()), LYNKIST_SANDBOX_PORT: String(await freePort()) },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	await new Promise<void>((ready, fail) => {
		const timer = setTimeout(() => fail(new Error(`npm run ${script} did not come up:\n${output}`)), 280_000);
		child.stdout!.on('data', () => {
			if (output.includes('Press Ctrl-C')) {
				clearTimeout(timer);
				ready();
			}
		});
		child.once('exit', (code) => fail(new Error(`npm run ${script} exited ${code}:\n${output}`)));
	});
	const runtime = JSON.parse(readFileSync(resolve(ROOT, '.e2e/runtime.json'), 'utf8'));
	const api = new N8nApi(output.match(/Open\s+(http\S+)/)![1], runtime.n8nBin);
	await api.login({ email: output.match(/Log in\s+(\S+) \//)![1], password: output.match(/Log in\s+\S+ \/ (\S+)/)![1] });
	const alive = () => {
		try {
			process.kill(-child.pid!, 0);
			return true;
		} catch {
			return false;
		}
	};
	return { process: child, output: () => output, api, alive };
}

/** Ctrl-C, then waits (up to 30 s) for the whole process group to end; → whether it did. */
export async function interrupt(dev: Dev): Promise<boolean> {
	process.kill(-dev.process.pid!, 'SIGINT');
	const deadline = Date.now() + 30_000;
	while (dev.alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
	return !dev.alive();
}

/** Kills what is left of it (after a failed test). */
export function killDev(dev: Dev | undefined): void {
	if (dev?.process.pid && dev.alive()) process.kill(-dev.process.pid, 'SIGKILL');
}
