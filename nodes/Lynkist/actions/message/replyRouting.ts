/**
 * The reply endpoint of a published Send and Wait node: every `message.received` and
 * `message.failed` Lynkist delivers there, checked against the endpoint's secret, is passed on to
 * the executions waiting for that customer's number only (each decides whether it is its answer);
 * and waiting executions record and forget themselves there.
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { DELIVERY_HEADERS, MAX_DELIVERY_BYTES, TEST_EVENT } from '../../../shared/constants';
import { FORWARD_HEADERS, FORWARD_TIMEOUT_MS } from '../../helpers/waitConstants';
import { toE164 } from '../../helpers/phone';
import { isRecord, safeJson } from '../../../shared/helpers/records';
import { firstAsker, isWaitRecord, type WaitRecord, waitsFor, withoutWait, withWait } from '../../helpers/waitRegistry';
import { parseEnvelope } from '../../../shared/webhooks/envelope';
import { forwardingSecret } from './forwarding';
import { deliveryHeader as header, rawBodyOf, respond, verifyDelivery } from '../../../shared/webhooks/delivery';
import { postToOwnUrl, waitEnded } from '../../../shared/transport/ownUrls';
import { healSecret } from '../../../shared/webhooks/endpointSecret';
import { isForwarded, loadRegistry, replayMissed, replyEndpointOf, saveRegistry, signed } from './replyEndpoint';

type Passed = 'resumed' | 'ignored' | 'gone' | 'retry';

/** Passes a delivery on to one waiting execution; → what became of it. */
async function passOn(context: IWebhookFunctions, wait: WaitRecord, rawBody: Buffer, secret: string): Promise<Passed> {
	const body = rawBody.toString('utf8');
	const lynkistHeaders = Object.fromEntries(
		Object.values(DELIVERY_HEADERS).flatMap((name) => {
			const value = header(context, name);
			return value === undefined ? [] : [[name, value]];
		}),
	);
	const answer = await postToOwnUrl(context, wait.url, body, { ...lynkistHeaders, ...signed(secret, body) }, FORWARD_TIMEOUT_MS);
	if (answer.statusCode === 200 && isRecord(answer.json) && answer.json.received === true)
		return answer.json.resumed === true ? 'resumed' : 'ignored';
	return waitEnded(answer) ? 'gone' : 'retry';
}

/** A waiting node records itself, or forgets itself (signed with the forwarding secret). */
function ownRequest(context: IWebhookFunctions, rawBody: Buffer): IWebhookResponseData {
	const request = safeJson(rawBody.toString('utf8'));
	if (!isRecord(request)) return respond(context, 400, { message: 'Not JSON' });
	const now = Date.now();
	const { stored, merged } = loadRegistry(context, now);
	if (typeof request.forget === 'string') {
		saveRegistry(context, withoutWait(merged, request.forget, now));
		return respond(context, 200, { forgotten: true });
	}
	const { record: execution, wait } = request;
	if (typeof execution !== 'string' || !isWaitRecord(wait)) return respond(context, 400, { message: 'Expected { record, wait }' });
	const registry = execution in merged.waits || execution in merged.gone ? merged : withWait(merged, execution, wait);
	if (registry !== merged) saveRegistry(context, registry);
	const duplicateOf = firstAsker(registry, execution, wait.q, now);
	return respond(context, 200, { kept: execution in stored.waits, ...(duplicateOf ? { duplicateOf } : {}) });
}

/** The number a message event is about: who wrote (received), or who was written to (failed). */
function numberOf(type: string, data: unknown): string | undefined {
	if (!isRecord(data)) return undefined;
	const raw = type === 'message.received' ? data.from : type === 'message.failed' ? data.to : undefined;
	const phone = toE164(raw, { checkCountry: false });
	return phone.ok ? phone.e164 : undefined;
}

async function route(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const rawBody = rawBodyOf(context);
	if (rawBody.length > MAX_DELIVERY_BYTES) return respond(context, 413, { message: 'Payload too large' });
	const secret = await forwardingSecret.call(context);
	if (header(context, FORWARD_HEADERS.signature)) {
		if (!(await isForwarded(context, rawBody))) return respond(context, 401, { message: 'Invalid signature' });
		// no endpoint at Lynkist (its registration is not saved yet): nothing would reach the wait
		if (!replyEndpointOf(context)) return respond(context, 409, { message: 'This node has no reply endpoint at Lynkist yet' });
		return ownRequest(context, rawBody);
	}
	const endpoint = replyEndpointOf(context);
	const webhookId = header(context, DELIVERY_HEADERS.webhookId);
	if (!endpoint || webhookId !== endpoint.id) {
		return respond(context, 401, { message: webhookId ? 'Unknown Lynkist webhook endpoint' : 'Missing X-Lynkist-Webhook-Id' });
	}
	const verdict = verifyDelivery(context, rawBody, [endpoint.secret]);
	if (!verdict.valid) {
		const renewed = verdict.mismatch && (await healSecret(context, endpoint, 'Lynkist Send and Wait'));
		const note = renewed ? '; the signing secret had changed at Lynkist and was renewed, retries will verify' : '';
		return respond(context, 401, { message: `Invalid Lynkist signature: ${verdict.reason}${note}` });
	}
	replayMissed(context, endpoint.id);
	const envelope = parseEnvelope(rawBody);
	if (!envelope || envelope.type === TEST_EVENT) return respond(context, 200, { received: true, waiting: 0 });
	const number = numberOf(envelope.type, envelope.data);
	if (!number) return respond(context, 200, { received: true, waiting: 0 });

	const now = Date.now();
	let { merged: registry } = loadRegistry(context, now);
	const waits = waitsFor(registry, number, now);
	const passed = await Promise.all(waits.map(([, wait]) => passOn(context, wait, rawBody, secret)));
	waits.forEach(([execution], i) => {
		if (passed[i] === 'resumed' || passed[i] === 'gone') registry = withoutWait(registry, execution, now);
	});
	if (passed.some((p) => p === 'resumed' || p === 'gone')) saveRegistry(context, registry);
	const resumed = passed.filter((p) => p === 'resumed').length;
	// a waiting execution n8n could not take it now: Lynkist sends it again (a resume is taken once)
	if (passed.includes('retry'))
		return respond(context, 503, { message: 'A waiting execution could not take the reply yet; Lynkist retries' });
	return respond(context, 200, { received: true, waiting: waits.length, resumed });
}

/** The reply endpoint's webhook(). n8n would fail the request if it threw: answer 500, Lynkist retries. */
export async function replies(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	try {
		return await route(this);
	} catch (error) {
		this.logger.warn(`Lynkist Send and Wait: a delivery could not be handled: ${(error as Error).message}`);
		return respond(this, 500, { message: 'The delivery could not be handled; Lynkist retries it' });
	}
}
