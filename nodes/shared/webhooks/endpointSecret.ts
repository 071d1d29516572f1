/**
 * Renewing the signing secret of a Lynkist endpoint n8n registered (the Lynkist Trigger's, a Send
 * and Wait node's reply endpoint) after it was rotated in the Lynkist dashboard.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { endpointCall, type RegisteredEndpoint, rotateSecret } from './endpoints';

/**
 * How often a delivery that cannot be verified may make n8n ask Lynkist about its endpoint, and
 * how often it may renew the secret: forged requests cost at most one look-up per interval.
 */
const HEAL_CHECK_INTERVAL_MS = 10_000;
const HEAL_ROTATE_INTERVAL_MS = 60_000;
const healChecks = new Map<string, { checkedAt: number; rotatedAt: number }>();

/**
 * A delivery signed with another secret by an endpoint that is ours: when Lynkist shows the
 * endpoint changed after the secret n8n holds (its secret rotated in the Lynkist dashboard), the
 * secret is rotated here and the new one kept, so Lynkist's retries of this and later deliveries
 * verify again. A forged delivery (the endpoint unchanged) changes nothing.
 */
export async function healSecret(context: IWebhookFunctions, endpoint: RegisteredEndpoint, who: string): Promise<boolean> {
	const now = Date.now();
	const last = healChecks.get(endpoint.id) ?? { checkedAt: 0, rotatedAt: 0 };
	if (now - last.checkedAt < HEAL_CHECK_INTERVAL_MS || now - last.rotatedAt < HEAL_ROTATE_INTERVAL_MS) return false;
	healChecks.set(endpoint.id, { ...last, checkedAt: now });
	try {
		const remote = await endpointCall(context, 'GET', endpoint.id);
		const changed = remote && typeof remote.updated_at === 'string' && (!endpoint.secretAt || remote.updated_at > endpoint.secretAt);
		if (!changed) return false;
		const rotated = await rotateSecret(context, endpoint.id);
		if (!rotated) return false;
		healChecks.set(endpoint.id, { checkedAt: now, rotatedAt: now });
		endpoint.secret = rotated.secret;
		endpoint.secretAt = rotated.at;
		context.logger.warn(
			`${who}: the signing secret of webhook ${endpoint.id} had changed at Lynkist; it was renewed and Lynkist's retries will verify again`,
		);
		return true;
	} catch (error) {
		context.logger.warn(`${who}: could not renew the signing secret of webhook ${endpoint.id}: ${(error as Error).message}`);
		return false;
	}
}
