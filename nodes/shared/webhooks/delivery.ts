/**
 * Answering a Lynkist webhook delivery from a node's webhook(): its raw body, its headers, the
 * answer; and asking n8n whether an execution still waits at a Send and Wait endpoint's URL.
 */
import type { IDataObject, IExecuteFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { verifySignature, type Verdict } from './signature';
import { DELIVERY_HEADERS } from '../constants';
import { postToOwnUrl, waitEnded } from '../transport/ownUrls';

/** Answers the request itself (the workflow starts, or resumes, only when workflowData is returned too). */
export function respond(context: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

export function deliveryHeader(context: IWebhookFunctions, name: string): string | undefined {
	const value = context.getHeaderData()[name];
	return typeof value === 'string' ? value : undefined;
}

/** The body exactly as Lynkist sent it (what its signature covers). */
export function rawBodyOf(context: IWebhookFunctions): Buffer {
	const { rawBody } = context.getRequestObject();
	return Buffer.isBuffer(rawBody) ? rawBody : Buffer.alloc(0);
}

/** Whether the delivery was signed, just now, with one of the secrets of the endpoint it names. */
export function verifyDelivery(context: IWebhookFunctions, rawBody: Buffer, secrets: string[]): Verdict {
	return verifySignature(
		{
			signature: deliveryHeader(context, DELIVERY_HEADERS.signature),
			timestamp: deliveryHeader(context, DELIVERY_HEADERS.timestamp),
			rawBody,
		},
		secrets,
		Math.floor(Date.now() / 1000),
	);
}

/** What Send and Wait for Reply answers a request to its resume URL that Lynkist did not sign. */
export const UNSIGNED_ANSWER = 'Invalid Lynkist signature';

/** How long n8n may take to answer a probe of one of its own URLs. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Whether an execution still waits at a Send and Wait endpoint's URL (n8n's signed resume URL),
 * asked of n8n itself with a request Lynkist did not sign: the waiting node refuses it in its own
 * words (`waiting`); n8n says the execution does not exist, ended or failed (`gone`); anything else
 * — n8n unreachable from itself, an execution still starting — is `unknown`.
 */
export async function probeWait(context: IExecuteFunctions, url: string, endpointId: string): Promise<'waiting' | 'gone' | 'unknown'> {
	const answer = await postToOwnUrl(context, url, '{}', { [DELIVERY_HEADERS.webhookId]: endpointId }, PROBE_TIMEOUT_MS);
	if (answer.statusCode === 401 && answer.text.includes(UNSIGNED_ANSWER)) return 'waiting';
	return waitEnded(answer) ? 'gone' : 'unknown';
}
