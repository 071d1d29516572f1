/** The transport's errors: what a lost answer, a Lynkist error status and a spent daily limit tell the user. */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { detailText, explainLynkistError, type LynkistErrorExplanation } from '../helpers/errors';
import type { RateGate } from './rateGate';

/** True for the error of a request that may or may not have been carried out (its answer was lost). */
export function isUncertain(error: unknown): boolean {
	return error instanceof NodeApiError && (error.context as IDataObject | undefined)?.uncertain === true;
}

/**
 * A NodeApiError with exactly `options.message`: n8n replaces a message that names a network code
 * (ECONNRESET, ETIMEDOUT…) with its own generic words, which would hide what the package says
 * happened and what to do.
 */
export function lynkistApiError(
	node: INode,
	response: JsonObject,
	options: ConstructorParameters<typeof NodeApiError>[2] & { message: string },
) {
	const error = new NodeApiError(node, response, options);
	error.message = options.message;
	return error;
}

export function uncertainError(node: INode, what: string, cause: string, itemIndex?: number, requestId?: string) {
	const error = lynkistApiError(node, { detail: cause } as JsonObject, {
		message: `Lynkist's answer to ${what} was lost (${cause}), so whether it was carried out is not known`,
		description: 'It was not sent again, so that nothing is created twice.',
		httpCode: /^\d+$/.test(cause) ? cause : undefined,
		itemIndex,
	});
	error.context = { ...error.context, uncertain: true, detail: cause, requestId };
	return error;
}

/** A NodeApiError carrying Lynkist's status, detail and request id (continue-on-fail shows them). */
export function apiError(
	node: INode,
	status: number,
	body: unknown,
	requestId: string | undefined,
	itemIndex?: number,
	explanation: LynkistErrorExplanation = explainLynkistError(status, body),
) {
	const { message, description } = explanation;
	const error = lynkistApiError(node, (body ?? {}) as JsonObject, {
		message,
		description: requestId ? `${description} (Lynkist request id: ${requestId})` : description,
		httpCode: String(status),
		itemIndex,
	});
	error.context = { ...error.context, status, detail: detailText(body), requestId };
	return error;
}

export function dailyLimitError(node: INode, daily: NonNullable<RateGate['daily']>, itemIndex?: number, requestId?: string) {
	const resets = new Date(daily.until).toISOString();
	const error = lynkistApiError(node, { detail: 'daily limit' } as JsonObject, {
		message: `Lynkist's daily limit${daily.limit ? ` of ${daily.limit} requests` : ''} is used up; it resets at ${resets}`,
		description: 'Nothing was sent for this item. Run it again after the reset, or ask Lynkist for a larger plan.',
		httpCode: '429',
		itemIndex,
	});
	error.context = { ...error.context, status: 429, detail: 'daily limit reached', resetsAt: resets, requestId };
	return error;
}
