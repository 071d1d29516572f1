/**
 * What an end-to-end suite needs: a real n8n with the package installed (prepared once by
 * globalSetup), a local Lynkist sandbox on a free port, and a credential pointing at it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { N8n } from '../../../scripts/n8n';

export { Execution, N8n, OWNER } from '../../../scripts/n8n';
export { Editor } from '../../../scripts/browser';
export * from './workflows';
export * from './appointments';

const RUNTIME_FILE = resolve(__dirname, '../../../.e2e/runtime.json');

/** A fresh n8n user folder with the packed package installed in it; `n8nBin`: another n8n than the pinned one. */
export function createN8n(env: Record<string, string> = {}, n8nBin?: string): N8n {
	const runtime = JSON.parse(readFileSync(RUNTIME_FILE, 'utf8'));
	return N8n.create({ ...runtime, ...(n8nBin ? { n8nBin } : {}) }, runtime.nodesTemplate, { env });
}

/**
 * A running n8n with these credentials and workflows imported, the published ones active and
 * the owner signed in. Stopped again if it fails to come up.
 */
export async function startN8n(setup: {
	credentials: object[];
	workflows: object[];
	publish?: string[];
	env?: Record<string, string>;
	n8nBin?: string;
}): Promise<N8n> {
	const n8n = createN8n(setup.env, setup.n8nBin);
	try {
		await n8n.importCredentials(setup.credentials);
		await n8n.importWorkflows(setup.workflows);
		if (setup.publish?.length) await n8n.publish(setup.publish);
		await n8n.start();
		await n8n.setupOwner();
		return n8n;
	} catch (error) {
		await n8n.dispose();
		throw error;
	}
}

/** The oldest n8n the package supports (n8n 1.x), as globalSetup installed it. */
export const oldestN8nBin = (): string => JSON.parse(readFileSync(RUNTIME_FILE, 'utf8')).oldestN8nBin;

export const CREDENTIAL_TYPE = 'lynkistApi';

/** A Lynkist API credential as n8n imports it. */
export function lynkistCredential(apiKey: string, baseUrl: string, name = 'Lynkist sandbox') {
	const id = `lk${Math.random().toString(36).slice(2, 12)}`.padEnd(16, '0');
	return { id, name, type: CREDENTIAL_TYPE, data: { apiKey, baseUrl } };
}
