/**
 * Send and Wait for Reply: sends an approved template to one recipient, then the execution waits
 * until the recipient answers on WhatsApp, the message fails, or the time limit passes.
 *
 * The answer reaches the execution at its signed resume URL (n8n's `/webhook-waiting/…`), which
 * any n8n process serves, in queue mode too. In a published workflow the node's reply endpoint
 * (one Lynkist endpoint for all its waits) passes it on there; a test run from the editor, or a
 * wait the reply endpoint cannot record, registers a Lynkist endpoint of its own at that URL,
 * whose secret stays in the execution's custom data (see waitEndpoints). Either way only a
 * delivery Lynkist signed resumes the execution.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError, WAIT_INDEFINITELY } from 'n8n-workflow';

import { DELIVERY_HEADERS, MAX_DELIVERY_BYTES, TEST_EVENT } from '../../../shared/constants';
import { answerOf, payloadComponents, type ReplyType, unreachableReason } from '../../helpers/replies';
import { parseEnvelope } from '../../../shared/webhooks/envelope';
import { deliveryHeader as header, rawBodyOf, respond, UNSIGNED_ANSWER, verifyDelivery } from '../../../shared/webhooks/delivery';
import { reviveMessageEndpoints } from '../endpointRevival';
import type { RunState } from '../types';
import { healWaitSecret, waitSecrets } from './waitEndpoints';
import { isForwarded, REPLY_WEBHOOK } from './replyEndpoint';
import { replies } from './replyRouting';
import { beforeSend } from './recipientContacts';
import { askThroughReplyEndpoint, askWithOwnEndpoint, deleteQuietly, duplicate, type Question } from './sendAndWait.ask';
import { holdForResume, waitingOf } from './waitingStore';
import * as sendTemplate from './sendTemplate.operation';

export { description } from './sendAndWait.description';

/** When the wait ends at the latest: the time limit, or never. */
function waitTillOf(context: IExecuteFunctions): Date | undefined {
	if (!context.getNodeParameter('limitWaitTime', 0, false)) return undefined;
	const node = context.getNode();
	let waitTill: Date;
	if (context.getNodeParameter('limitType', 0, 'afterTimeInterval') === 'afterTimeInterval') {
		const amount = Number(context.getNodeParameter('resumeAmount', 0, 1));
		const unit = String(context.getNodeParameter('resumeUnit', 0, 'hours'));
		const seconds = { minutes: 60, hours: 3600, days: 86400 }[unit] ?? 3600;
		if (!(amount > 0)) throw new NodeOperationError(node, '"Amount" of Limit Wait Time must be more than 0');
		waitTill = new Date(Date.now() + amount * seconds * 1000);
	} else {
		const at = context.getNodeParameter('maxDateAndTime', 0, '') as string;
		waitTill = new Date(at);
		if (Number.isNaN(waitTill.getTime()))
			throw new NodeOperationError(node, `"Max Date and Time" of Limit Wait Time is not a date: "${at}"`);
		if (waitTill.getTime() <= Date.now()) throw new NodeOperationError(node, `"Max Date and Time" of Limit Wait Time (${at}) has passed`);
	}
	return waitTill;
}

export async function run(this: IExecuteFunctions, state: RunState): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const items = this.getInputData();
	if (items.length !== 1) {
		throw new NodeOperationError(node, `Send and Wait for Reply messages one recipient per execution, and got ${items.length} items`, {
			description:
				'Nothing was sent. Give it one item: start one execution per recipient (for example from a webhook, or with Execute Workflow), or put it inside Loop Over Items with a batch size of 1.',
		});
	}
	const replyType = this.getNodeParameter('replyType', 0) as ReplyType;
	const resumeUrl = this.getSignedResumeUrl();
	const unreachable = unreachableReason(resumeUrl);
	if (unreachable) {
		throw new NodeOperationError(node, unreachable, {
			description:
				"Nothing was sent: the reply could never reach this execution. Set n8n's WEBHOOK_URL environment variable to the public https:// address this n8n is reached at, restart n8n and run again.",
		});
	}
	const waitTill = waitTillOf(this);
	const prepared = await sendTemplate.prepare.call(this, 0, state, {
		duplicateCheck: 'message',
		extraComponents: (template, given) => {
			const payloads = payloadComponents(template);
			if (payloads.length === 0 && replyType === 'button') {
				throw new NodeOperationError(
					node,
					`Template ${String(template.template_name)} (${String(template.language)}) has no quick-reply buttons`,
					{
						description: 'Choose a template with quick-reply buttons, or set Reply Type to Text or Either. Nothing was sent.',
						itemIndex: 0,
					},
				);
			}
			// a quick-reply payload the user gave in Components (JSON) is theirs
			return payloads.filter((p) => !given.some((g) => g.type === 'button' && String(g.index) === p.index));
		},
	});

	// Skip Opted-Out Recipients: nobody to ask, nothing to wait for.
	const { template_name: templateName, language } = prepared.template;
	const { skipped } = await beforeSend.call(this, state, 0, { to: prepared.body.to, templateName, language });
	if (skipped) return [[{ json: { ...skipped, replyType }, pairedItem: { item: 0 } }]];

	const question = { to: prepared.body.to, templateName, language, replyType, idempotencyKey: prepared.key };
	const ask: Question = { state, prepared, resumeUrl, waitTill, question, to: String(prepared.body.to) };
	// Published, the node's reply endpoint passes each wait its answer; a test run from the editor,
	// or a workflow that cannot use it, has an endpoint of its own.
	const viaReplies = this.getMode() !== 'manual' ? await askThroughReplyEndpoint.call(this, ask) : undefined;
	const asked = viaReplies ?? (await askWithOwnEndpoint.call(this, ask));
	if ('output' in asked) return asked.output;
	const { waiting, sent } = asked;
	// Lynkist replayed an earlier ask of this question, whose wait has ended: it was answered, or timed out, there.
	if (sent.json.replayed === true) return duplicate(this, { ...question, messageId: sent.json.messageId ?? null }, null);
	waiting.messageId = typeof sent.json.messageId === 'string' ? sent.json.messageId : undefined;
	await holdForResume(this, waiting, waitTill);
	// what Lynkist stopped delivering while n8n was away (n8n runs no node method when it starts again)
	await reviveMessageEndpoints.call(this, { maxRetries: 0 }, true);
	await this.putExecutionToWait(waitTill ?? WAIT_INDEFINITELY);
	const json: IDataObject = { status: 'waiting', ...sent.json, replyType, waitingUntil: waitTill?.toISOString() ?? null };
	return [[{ json, pairedItem: { item: 0 } }]];
}

/** A delivery to the waiting execution's resume URL: resumes it when it is the answer, else keeps it waiting. */
async function answer(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const waiting = await waitingOf(this);
	if (!waiting) return respond(this, 409, { message: 'This execution is not waiting for a Lynkist reply' });
	const rawBody = rawBodyOf(this);
	if (rawBody.length > MAX_DELIVERY_BYTES) return respond(this, 413, { message: 'Payload too large' });
	if (waiting.routed) {
		// passed on by the node's reply endpoint, which checked Lynkist's signature
		if (!(await isForwarded(this, rawBody)))
			return respond(this, 401, { message: `${UNSIGNED_ANSWER}: not passed on by the reply endpoint` });
	} else if (header(this, DELIVERY_HEADERS.webhookId) !== waiting.endpointId) {
		return respond(this, 401, { message: 'Unknown Lynkist webhook endpoint' });
	}
	const verdict = waiting.routed
		? { valid: true as const }
		: verifyDelivery(this, rawBody, waitSecrets(waiting.endpointId, waiting.secret));
	if (!verdict.valid) {
		const healed = verdict.mismatch ? await healWaitSecret(this, waiting.endpointId, waiting.secret, rawBody) : 'refused';
		if (healed !== 'verified') {
			const note = healed === 'renewed' ? '; the signing secret had changed at Lynkist and was renewed, retries will verify' : '';
			return respond(this, 401, { message: `${UNSIGNED_ANSWER}: ${verdict.reason}${note}` });
		}
	}
	const envelope = parseEnvelope(rawBody);
	// signed by Lynkist but not an event this wait reads (a test delivery of another shape): answered, so it counts as delivered
	if (!envelope) return respond(this, 200, { received: true, ignored: 'not a message event' });
	if (envelope.type === TEST_EVENT) return respond(this, 200, { received: true, waiting: true });

	const replyType = this.getNodeParameter('replyType', 'button') as ReplyType;
	const outcome = answerOf(envelope.type, envelope.data, waiting, replyType, new Date().toISOString());
	if ('ignore' in outcome) return respond(this, 200, { received: true, ignored: outcome.ignore });
	if (!waiting.routed) await deleteQuietly(this, waiting.endpointId);
	respond(this, 200, { received: true, resumed: true });
	return { noWebhookResponse: true, workflowData: [[{ json: outcome.resume }]] };
}

/** n8n ends a waiting execution whose webhook() throws: never throw, answer 500 (Lynkist retries). */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (this.getWebhookName() === REPLY_WEBHOOK) return await replies.call(this);
	try {
		return await answer.call(this);
	} catch (error) {
		this.logger.warn(`Lynkist Send and Wait: a delivery could not be handled: ${(error as Error).message}`);
		return respond(this, 500, { message: 'The delivery could not be handled; Lynkist retries it' });
	}
}
