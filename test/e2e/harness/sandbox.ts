/** The local Lynkist sandbox from a test's side: start it, and drive its control surface. */
import { SEED_TEMPLATE_IDS, seedDefinition, startSandbox } from '../../../sandbox';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export { SEED_TEMPLATE_IDS, startSandbox };

export async function control<T = any>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${sandbox.controlUrl}${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`sandbox control ${method} ${path}: ${response.status} ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

/** A fresh, isolated tenant (no templates) and its full-scope key. */
export async function createTenant(sandbox: Sandbox, settings: Record<string, unknown> = {}) {
	const { tenant_id, key } = await control<{ tenant_id: string; key: string }>(sandbox, 'POST', '/tenants', settings);
	return { id: tenant_id, key };
}

export async function createKey(sandbox: Sandbox, tenantId: string, scopes: string[]): Promise<string> {
	const { key } = await control<{ key: string }>(sandbox, 'POST', `/tenants/${tenantId}/keys`, { scopes });
	return key;
}

/** The demo tenant's order_confirmation (header, 3 body variables, URL button), for a fresh tenant. */
export const ORDER_CONFIRMATION = seedDefinition('order_confirmation', 'en_US');

/** The demo tenant's image-header template. */
export const PROMO_BANNER = seedDefinition('promo_banner', 'en_US');

/** Seeds one approved template into a tenant and returns it as Lynkist shows it. */
export async function seedTemplate(sandbox: Sandbox, tenantId: string, template: Record<string, unknown> = ORDER_CONFIRMATION) {
	const { data } = await control<{ data: Array<Record<string, any>> }>(sandbox, 'POST', `/tenants/${tenantId}/templates`, template);
	return data[0];
}

/** What the sandbox has recorded for a tenant: messages, requests, replays, deliveries… */
export async function readBack<T = Record<string, any>>(sandbox: Sandbox, tenantId: string, what: string): Promise<T[]> {
	return (await control<{ data: T[] }>(sandbox, 'GET', `/tenants/${tenantId}/${what}`)).data;
}
