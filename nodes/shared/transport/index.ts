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
import { createHash } from 'crypto';
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
} from '../constants';
import type { DayBudget } from '../helpers/dailyBudget';
import { forItem, type LynkistErrorExplanation } from '../helpers/errors';
import { certainlyNotSent, networkErrorCode, retryDelayMs } from '../helpers/retry';
import { apiError, dailyLimitError, isUncertain, lynkistApiError, uncertainError } from './apiErrors';
import { gateOf, type RateGate } from './rateGate';

export { isUncertain };
export { downloadFile, type Download } from './download';

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

/**
 * The credential of a node run: where Lynkist is, the credential as n8n hands it to its request
 * helper, and the rate gate of its API key.
 */
interface RunCredential {
	baseUrl: string;
	decrypted: ICredentialsDecrypted;
	/** The API key's identity in this process (a hash of the Base URL and the key). */
	scope: string;
	gate: RateGate;
}

/**
 * When the run's API key has run out of rate budget in this process lately: its identity, to key
 * what is worth reusing across runs rather than asking Lynkist again; otherwise undefined.
 */
export async function scarceBudgetScope(this: LynkistContext): Promise<string | undefined> {
	const { scope, gate } = await runCredential(this);
	return gate.scarce() ? scope : undefined;
}

/** The run's API key's identity in this process (a hash of the Base URL and the key). */
export const keyScope = async (context: LynkistContext): Promise<string> => (await runCredential(context)).scope;

/**
 * What is left of today's budget of the run's API key, as Lynkist's answers last said it in this
 * process; undefined when no answer has said it (yet, or since the day ended).
 */
export async function remainingToday(this: LynkistContext): Promise<DayBudget | undefined> {
	return (await runCredential(this)).gate.today();
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
			const baseUrl = String(data.baseUrl).replace(/\/+$/, '');
			const scope = createHash('sha256')
				.update(`${baseUrl}\n${String(data.apiKey)}`)
				.digest('hex');
			return { baseUrl, decrypted: { id: id ?? '', name, type: CREDENTIAL_TYPE, data }, scope, gate: gateOf(scope) };
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
	const { baseUrl, decrypted, gate } = await runCredential(this);
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
	const idempotent =
		request.idempotent ?? ((request.method !== 'POST' && request.method !== 'PATCH') || Boolean(request.headers?.[IDEMPOTENCY_HEADER]));
	const what = `${request.method} ${request.path}`;
	let failures = 0;
	let rateWaits = 0;

	for (;;) {
		if (gate.daily && gate.daily.until > Date.now()) throw dailyLimitError(this.getNode(), gate.daily, itemIndex);
		const seq = await gate.wait();

		let response: FullResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, httpOptions, {
				credentialsDecrypted: decrypted,
			})) as FullResponse;
		} catch (error) {
			const code = networkErrorCode(error);
			if (code === undefined) {
				throw error instanceof NodeApiError
					? itemIndex === undefined
						? error
						: forItem(error, itemIndex)
					: new NodeApiError(this.getNode(), error as JsonObject, { itemIndex });
			}
			if (!idempotent && !certainlyNotSent(code)) throw uncertainError(this.getNode(), what, code, itemIndex);
			if (failures < maxRetries) {
				await sleep(retryDelayMs(failures++, undefined, BACKOFF_BASE_MS, MAX_RETRY_AFTER_SECONDS));
				continue;
			}
			throw lynkistApiError(this.getNode(), { code } as JsonObject, {
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
		if (status === 429 && gate.daily) throw dailyLimitError(this.getNode(), gate.daily, itemIndex, requestId);
		if (status !== 429 && RETRYABLE_STATUSES.includes(status)) {
			if (!idempotent) throw uncertainError(this.getNode(), what, String(status), itemIndex, requestId);
			if (failures < maxRetries) {
				await sleep(retryDelayMs(failures++, headers['retry-after'], BACKOFF_BASE_MS, MAX_RETRY_AFTER_SECONDS));
				continue;
			}
		}
		throw apiError(this.getNode(), status, response.body, requestId, itemIndex, options.explain?.[status]);
	}
}

export interface Page {
	data: IDataObject[];
	pagination?: { has_next?: boolean };
}

/**
 * Reads a paged list endpoint until it ends or `max` entries are collected; with `keep`, only
 * the entries it keeps count (for filters the endpoint does not offer); `filters`, for those it
 * does — in the query, or with `body` as a POST search (`POST /contacts/search`). The page size is chosen
 * once and never changed during a scan (page N of another size would overlap the pages before),
 * and an entry seen on an earlier page (the list moved while it was read) is not repeated.
 */
export async function lynkistPaginate(
	this: LynkistContext,
	path: string,
	max = Infinity,
	options: LynkistRequestOptions = {},
	keep?: (entry: IDataObject) => boolean,
	filters: { query?: IDataObject; body?: IDataObject } = {},
): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	const seen = new Set<unknown>();
	const limit = keep ? PAGE_SIZE_MAX : Math.min(PAGE_SIZE_MAX, max);
	for (let page = 1; out.length < max; page++) {
		const { body } = (await lynkistRequest.call(
			this,
			filters.body
				? { method: 'POST', path, body: { ...filters.body, page, limit }, idempotent: true }
				: { method: 'GET', path, qs: { ...filters.query, page, limit } },
			options,
		)) as LynkistResponse<Page>;
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
