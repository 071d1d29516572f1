/** Answering a Lynkist webhook delivery from a node's webhook(): its raw body, its headers, the answer. */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { verifySignature, type Verdict } from '../../LynkistTrigger/signature';
import { DELIVERY_HEADERS } from '../helpers/constants';

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
