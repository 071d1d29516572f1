/**
 * Turns a Lynkist error response into words a workflow builder can act on. Pure: no n8n, no I/O.
 * Lynkist's error envelope is always `{ detail }`, where detail is a string, an object with a
 * `message`, or (validation) a list of `{ loc, msg, type }`.
 */

import type { IDataObject, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isRecord } from './records';

export type LynkistNodeError = NodeApiError | NodeOperationError;

/**
 * The error for one item: the error itself when it names that item, else a copy that does. A
 * failed lookup shared by a node run (the template, an upload) reaches every item waiting for it
 * as one error object; each item's error must still carry its own index.
 */
export function forItem<E extends LynkistNodeError>(error: E, itemIndex: number): E {
	if (error.context?.itemIndex === itemIndex) return error;
	if (error.context?.itemIndex === undefined) {
		error.context = { ...error.context, itemIndex };
		return error;
	}
	return copyFor(error, itemIndex);
}

function copyFor<E extends LynkistNodeError>(error: E, itemIndex: number): E {
	const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object), error) as E;
	copy.message = error.message;
	copy.stack = error.stack;
	copy.context = { ...error.context, itemIndex };
	return copy;
}

/**
 * A copy of the error for one item, with a message that says what the item was doing, and a
 * sentence added to its description; the error itself is left as it is (other items may share it).
 */
export function reworded<E extends LynkistNodeError>(error: E, itemIndex: number, message: string, addition = ''): E {
	const copy = copyFor(error, itemIndex);
	copy.message = message;
	copy.description = [error.description, addition].filter(Boolean).join(' ');
	return copy;
}

/** 0-based item indexes as people count them: `1–5, 7, 9–10`. */
export function itemRanges(indexes: number[]): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const out: string[] = [];
	for (let i = 0; i < sorted.length; i++) {
		const start = sorted[i];
		while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
		out.push(start === sorted[i] ? String(start + 1) : `${start + 1}–${sorted[i] + 1}`);
	}
	return out.join(', ');
}

export interface LynkistErrorExplanation {
	message: string;
	description: string;
}

interface ValidationEntry {
	loc?: unknown[];
	msg?: string;
}

/** The `detail` of an error body as one readable line. */
export function detailText(body: unknown): string {
	const detail = isRecord(body) ? body.detail : body;
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail)) {
		return detail
			.map((entry: ValidationEntry) => {
				const where = Array.isArray(entry?.loc) ? entry.loc.filter((p) => p !== 'body').join('.') : '';
				return where ? `${where}: ${entry?.msg ?? 'invalid'}` : String(entry?.msg ?? entry);
			})
			.join('; ');
	}
	if (isRecord(detail) && typeof detail.message === 'string') return detail.message;
	if (detail === undefined || detail === null) return '';
	return JSON.stringify(detail);
}

function scopeLists(body: unknown): { required: string[]; current: string[] } | undefined {
	const detail = isRecord(body) ? body.detail : undefined;
	if (!isRecord(detail) || !Array.isArray(detail.required_permissions)) return undefined;
	const current = Array.isArray(detail.current_permissions) ? detail.current_permissions : [];
	return { required: detail.required_permissions.map(String), current: current.map(String) };
}

export function explainLynkistError(status: number, body: unknown): LynkistErrorExplanation {
	const detail = detailText(body);
	switch (status) {
		case 400:
			return {
				message: `Lynkist rejected the request: ${detail || 'bad request'}`,
				description: 'Fix the field named above and run the node again.',
			};
		case 401:
			return {
				message: 'Lynkist rejected the API key (invalid or revoked)',
				description:
					'Open the Lynkist API credential and paste a current key from the Lynkist dashboard (it looks like lk_sk_live_… or lk_sk_test_…). Check that the Base URL matches where the key was issued.',
			};
		case 403: {
			const scopes = scopeLists(body);
			if (scopes) {
				const missing = scopes.required.filter((s) => !scopes.current.includes(s));
				const names = (missing.length ? missing : scopes.required).join(', ');
				return {
					message: `The Lynkist API key is missing the scope ${names}`,
					description: `Create a key with ${names} in the Lynkist dashboard and put it in the credential. The key has: ${scopes.current.join(', ') || 'no scopes'}.`,
				};
			}
			if (/plan/i.test(detail)) {
				return {
					message: 'Your Lynkist plan does not include API access',
					description: 'Enable API access for your workspace in the Lynkist dashboard (plan settings), then run again.',
				};
			}
			return {
				message: `Lynkist refused the request: ${detail || 'forbidden'}`,
				description: "Check the key's scopes and your plan in the Lynkist dashboard.",
			};
		}
		case 404:
			if (/WABA/i.test(detail)) {
				return {
					message: 'No active WhatsApp Business Account is connected to this Lynkist workspace',
					description: 'Connect a WhatsApp Business Account in the Lynkist dashboard, then run again.',
				};
			}
			return { message: `Not found: ${detail || 'the requested resource does not exist'}`, description: 'Check the ID or name used.' };
		case 409:
			return { message: `Conflict: ${detail}`, description: 'The resource already exists or is not in a state that allows this.' };
		case 422:
			return { message: `Lynkist could not accept the request: ${detail}`, description: 'Fix what the message names and run again.' };
		case 429:
			return {
				message: 'Lynkist rate limit exceeded, and retries did not get through',
				description: 'The workspace used up its request budget. Wait for the reset or lower how many items you send per run.',
			};
		default:
			if (status >= 500) {
				return {
					message: `Lynkist or WhatsApp had an upstream problem (${status})${detail ? `: ${detail}` : ''}`,
					description: 'Retries did not get through. Try again later.',
				};
			}
			return { message: `Lynkist answered ${status}${detail ? `: ${detail}` : ''}`, description: '' };
	}
}

/**
 * A failed item's output: `{error, description, httpCode, detail, requestId}`. For a node set to
 * On Error → Continue (using error output) the words other than `error` go under `details`:
 * n8n sends an item down the error output only when its JSON has no other keys (and then adds
 * the item's input to it).
 */
export function errorItem(error: LynkistNodeError, itemIndex: number, toErrorOutput = false): INodeExecutionData {
	const context = (error.context ?? {}) as IDataObject;
	const details: IDataObject = {
		description: error.description ?? undefined,
		httpCode: (error as NodeApiError).httpCode ?? undefined,
		detail: context.detail,
		requestId: context.requestId,
	};
	return {
		json: toErrorOutput ? { error: error.message, details } : { error: error.message, ...details },
		pairedItem: { item: itemIndex },
	};
}
