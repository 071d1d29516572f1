/**
 * The only place that talks to Lynkist. Every request goes through `lynkistRequest`: it
 * authenticates with the credential (read once per node run), holds back while the rate-limit
 * budget is used up, waits out 429s, and turns any failure into a NodeApiError that says what to
 * fix and carries the item it belongs to.
 *
 * After a 5xx or a dropped connection only an idempotent request is sent again as it is (a GET,
 * PUT or DELETE, or a POST with an Idempotency-Key). Any other request whose answer was lost may
 * have been carried out: it fails at once as *uncertain* (`isUncertain`), and the operation finds
 * out what happened instead of creating a second template or webhook endpoint.
 */
import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IWebhookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import {
	BACKOFF_BASE_MS,
	CREDENTIAL_TYPE,
	DEFAULT_MAX_RETRIES,
	IDEMPOTENCY_HEADER,
	MAX_RATE_LIMIT_WAITS,
	MAX_RETRY_AFTER_SECONDS,
	PAGE_SIZE_MAX,
	REQUEST_ID_HEADER,
	RETRYABLE_STATUSES,
} from '../helpers/constants';
import { detailText, explainLynkistError, type LynkistErrorExplanation } from '../helpers/errors';
import { forItem } from '../helpers/errors';
import { certainlyNotSent, networkErrorCode, retryDelayMs } from '../helpers/retry';
import { RateGate } from './rateGate';

export { RateGate };

export type LynkistContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export interface LynkistRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, e.g. `/templates`. */
	path: string;
	qs?: IDataObject;
	/** JSON, or ready-made bytes (with their Content-Type in `headers`). */
	body?: IDataObject | IDataObject[] | Buffer;
	headers?: Record<string, string>;
	/**
	 * Whether sending it twice does no harm. Default: true for GET, PUT and DELETE and for a
	 * request with an Idempotency-Key; false otherwise.
	 */
	idempotent?: boolean;
}

export interface LynkistResponse<T> {
	status: number;
	body: T;
	headers: Record<string, string>;
	requestId?: string;
}

export interface LynkistRequestOptions {
	itemIndex?: number;
	/** Retries after a 5xx or a network failure. */
	maxRetries?: number;
	/** Shared by the requests of one node run; a private one when not given. */
	gate?: RateGate;
	/** Error statuses the caller reads as an answer instead of an error, e.g. 404 while a template is in review. */
	answerStatuses?: number[];
	/** Wording for statuses this call knows more about than the generic explanation, e.g. 404 on Get Template. */
	explain?: Record<number, LynkistErrorExplanation>;
}

interface FullResponse {
	statusCode: number;
	body: unknown;
	headers: Record<string, string>;
}

/** The credential of a node run: where Lynkist is, and the credential as n8n hands it to its request helper. */
interface RunCredential {
	baseUrl: string;
	decrypted: ICredentialsDecrypted;
}

/**
 * The credential, read once per node run: n8n hands every item of a run the same context, and
 * reading a credential means a database lookup and a decryption, which n8n's request helper would
 * otherwise repeat for every request.
 */
const credentials = new WeakMap<LynkistContext, Promise<RunCredential>>();

function runCredential(context: LynkistContext): Promise<RunCredential> {
	let found = credentials.get(context);
	if (!found) {
		found = context.getCredentials(CREDENTIAL_TYPE).then((data) => {
			const { id, name = '' } = context.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
			return {
				baseUrl: String(data.baseUrl).replace(/\/+$/, ''),
				decrypted: { id: id ?? '', name, type: CREDENTIAL_TYPE, data },
			};
		});
		credentials.set(context, found);
		found.catch(() => credentials.delete(context));
	}
	return found;
}

export async function lynkistRequest<T = IDataObject>(
	this: LynkistContext,
	request: LynkistRequest,
	options: LynkistRequestOptions = {},
): Promise<LynkistResponse<T>> {
	const { baseUrl, decrypted } = await runCredential(this);
	const httpOptions: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		headers: request.headers,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const { itemIndex } = options;
	const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
	const gate = options.gate ?? new RateGate();
	const idempotent = request.idempotent ?? ((request.method !== 'POST' && request.method !== 'PATCH') || Boolean(request.headers?.[IDEMPOTENCY_HEADER]));
	const what = `${request.method} ${request.path}`;
	let failures = 0;
	let rateWaits = 0;

	for (;;) {
		if (gate.daily && gate.daily.until > Date.now()) throw dailyLimitError(this, gate.daily, itemIndex);
		const seq = await gate.wait();

		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, httpOptions, {
				credentialsDecrypted: decrypted,
			})) as FullResponse;
		} catch (error) {
			const code = networkErrorCode(error);
			if (code === undefined) {
				throw error instanceof NodeApiError ? (itemIndex === undefined ? error : forItem(error, itemIndex)) : new NodeApiError(this.getNode(), error as JsonObject, { itemIndex });
			}
			if (!idempotent && !certainlyNotSent(code)) throw uncertainError(this, what, code, itemIndex);
			if (failures < maxRetries) {
				await sleep(retryDelayMs(failures++, undefined, BACKOFF_BASE_MS, MAX_RETRY_AFTER_SECONDS));
				continue;
			}
			throw new NodeApiError(this.getNode(), { code } as JsonObject, {
				message: `Could not reach Lynkist at ${httpOptions.url} (${code})`,
				description: `Tried ${failures + 1} times. Check the Base URL in the Lynkist API credential and that this n8n can reach it.`,
				itemIndex,
			});
		}

		const status = response.statusCode;
		const headers = response.headers ?? {};
		const requestId = headers[REQUEST_ID_HEADER];
		const rateLimited = gate.observe(status, headers, seq);
		if ((status >= 200 && status < 300) || options.answerStatuses?.includes(status)) {
			return { status, body: response.body as T, headers, requestId };
		}
		if (rateLimited && rateWaits++ < MAX_RATE_LIMIT_WAITS) continue;
		if (status === 429 && gate.daily) throw dailyLimitError(this, gate.daily, itemIndex, requestId);
		if (status !== 429 && RETRYABLE_STATUSES.includes(status)) {
			if (!idempotent) throw uncertainError(this, what, String(status), itemIndex, requestId);
			if (failures < maxRetries) {
				await sleep(retryDelayMs(failures++, headers['retry-after'], BACKOFF_BASE_MS, MAX_RETRY_AFTER_SECONDS));
				continue;
			}
		}
		throw apiError(this, status, response.body, requestId, itemIndex, options.explain?.[status]);
	}
}

/** True for the error of a request that may or may not have been carried out (its answer was lost). */
export function isUncertain(error: unknown): boolean {
	return error instanceof NodeApiError && (error.context as IDataObject | undefined)?.uncertain === true;
}

function uncertainError(context: LynkistContext, what: string, cause: string, itemIndex?: number, requestId?: string) {
	const error = new NodeApiError(context.getNode(), { detail: cause } as JsonObject, {
		message: `Lynkist's answer to ${what} was lost (${cause}), so whether it was carried out is not known`,
		description: 'It was not sent again, so that nothing is created twice.',
		httpCode: /^\d+$/.test(cause) ? cause : undefined,
		itemIndex,
	});
	error.context = { ...error.context, uncertain: true, detail: cause, requestId };
	return error;
}

/** A NodeApiError carrying Lynkist's status, detail and request id (continue-on-fail shows them). */
function apiError(
	context: LynkistContext,
	status: number,
	body: unknown,
	requestId: string | undefined,
	itemIndex?: number,
	explanation: LynkistErrorExplanation = explainLynkistError(status, body),
) {
	const { message, description } = explanation;
	const error = new NodeApiError(context.getNode(), (body ?? {}) as JsonObject, {
		message,
		description: requestId ? `${description} (Lynkist request id: ${requestId})` : description,
		httpCode: String(status),
		itemIndex,
	});
	error.context = { ...error.context, status, detail: detailText(body), requestId };
	return error;
}

function dailyLimitError(context: LynkistContext, daily: NonNullable<RateGate['daily']>, itemIndex?: number, requestId?: string) {
	const resets = new Date(daily.until).toISOString();
	const error = new NodeApiError(context.getNode(), { detail: 'daily limit' } as JsonObject, {
		message: `Lynkist's daily limit${daily.limit ? ` of ${daily.limit} requests` : ''} is used up; it resets at ${resets}`,
		description: 'Nothing was sent for this item. Run it again after the reset, or ask Lynkist for a larger plan.',
		httpCode: '429',
		itemIndex,
	});
	error.context = { ...error.context, status: 429, detail: 'daily limit reached', resetsAt: resets, requestId };
	return error;
}

export interface Page {
	data: IDataObject[];
	pagination?: { has_next?: boolean };
}

/**
 * Reads a paged list endpoint until it ends or `max` entries are collected; with `keep`, only
 * the entries it keeps count (for filters the endpoint does not offer). The page size is chosen
 * once and never changed during a scan (page N of another size would overlap the pages before),
 * and an entry seen on an earlier page (the list moved while it was read) is not repeated.
 */
export async function lynkistPaginate(
	this: LynkistContext,
	path: string,
	max = Infinity,
	options: LynkistRequestOptions = {},
	keep?: (entry: IDataObject) => boolean,
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	const seen = new Set<unknown>();
	const limit = keep ? PAGE_SIZE_MAX : Math.min(PAGE_SIZE_MAX, max);
	for (let page = 1; out.length < max; page++) {
		const { body } = (await lynkistRequest.call(this, { method: 'GET', path, qs: { page, limit } }, options)) as LynkistResponse<Page>;
		const entries = body.data ?? [];
		for (const entry of entries) {
			if (entry.id !== undefined && seen.has(entry.id)) continue;
			seen.add(entry.id);
			if (!keep || keep(entry)) out.push(entry);
		}
		if (!body.pagination?.has_next || entries.length === 0) break;
	}
	return out.slice(0, max);
}
