/**
 * What the package takes from the Lynkist contract. Values Lynkist documents are marked [doc];
 * values it does not document are this package's decision, marked [assumed] and listed in the
 * README, so that a Lynkist that differs is a one-line change here.
 */

/** [doc] Name of the n8n credential type every request authenticates with. */
export const CREDENTIAL_TYPE = 'lynkistApi';

/** [doc] Page size bounds of list endpoints. */
export const PAGE_SIZE_MAX = 100;

/** [doc] Status codes after which the same request may be sent again. */
export const RETRYABLE_STATUSES = [429, 502, 503, 504];

/** How many times a retryable failure is retried before the item fails. */
export const DEFAULT_MAX_RETRIES = 5;

/** Longest single wait on a 429's Retry-After before retrying, in seconds. */
export const MAX_RETRY_AFTER_SECONDS = 60;

/** First back-off after a 5xx or network error, doubled each retry, in milliseconds. */
export const BACKOFF_BASE_MS = 250;

/** [doc] The response header carrying Lynkist's request id. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** [doc] Scopes, as the API names them. */
export const SCOPES = {
	templatesRead: 'templates:read',
	templatesWrite: 'templates:write',
	messagesSend: 'messages:send',
	mediaWrite: 'media:write',
	webhooksRead: 'webhooks:read',
	webhooksWrite: 'webhooks:write',
} as const;

/** How many times one request may meet a 429 of the minute budget and wait for the reset. */
export const MAX_RATE_LIMIT_WAITS = 30;

/**
 * Longest hold taken from the server's reset time, in seconds: Lynkist's budget windows are a
 * minute long, so a reset further ahead is a skewed clock or a value in other units.
 */
export const MAX_RATE_HOLD_SECONDS = 60;

/** Added to a rate-limit reset before requests resume, so clocks a little apart do not meet a 429. */
export const RESET_MARGIN_MS = 25;

/** How long requests stay paced after others were last seen spending the same rate-limit budget. */
export const SHARED_BUDGET_MEMORY_MS = 120_000;

/**
 * How long after a request last waited for rate budget the budget counts as scarce. Send Template
 * then spends it on sends: it reuses a template's definition across runs of this n8n process for
 * TEMPLATE_REUSE_MS, and checks the Lynkist Trigger's endpoints once per TEMPLATE_REUSE_MS.
 */
export const SCARCE_BUDGET_MEMORY_MS = 60_000;

/** How long a template fetched by ID is reused across runs, while the rate budget is scarce. */
export const TEMPLATE_REUSE_MS = 60_000;

/** Most templates kept for reuse in one n8n process; beyond it the store starts again. */
export const TEMPLATE_REUSE_MAX = 1_000;

/** [doc] Header that makes a send safe to repeat; its value is a UUID v4. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/**
 * [assumed] Response header (lower-cased) of a send's answer: `true` when it replays an earlier
 * request with the same key, `false` for a first send. Without it, a send's `replayed` is null.
 */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** [assumed] The 422 detail for an Idempotency-Key sent again with a different request. */
export const IDEMPOTENCY_MISMATCH_PATTERN = /Idempotency-Key reused/i;

/** [doc] The multipart field of POST /media/upload that carries the file. */
export const MEDIA_FIELD = 'file';

/** [assumed] Meta's media size limits, in bytes: image 5 MB, video 16 MB, document 100 MB. */
export const MEDIA_LIMITS = { image: 5 * 1024 * 1024, video: 16 * 1024 * 1024, document: 100 * 1024 * 1024 };

/**
 * A template's media header takes a sample as an upload handle, not a link. [doc] Lynkist uploads
 * it to Meta through POST /media/template-session and POST /media/template-session/upload (scope
 * media:write). [assumed] Their bodies, after Meta's Resumable Upload API: the session takes JSON
 * `{file_name, file_type (MIME), file_length (bytes)}` and answers 201
 * `{"data":{"session_id":"upload:…","expires_at":…}}`; the upload takes multipart `session_id` and
 * `file` (the bytes) and answers 200 `{"data":{"handle":"4::…"}}`.
 */
export const TEMPLATE_MEDIA_API = {
	sessionPath: '/media/template-session',
	uploadPath: '/media/template-session/upload',
	sessionBody: (file: { fileName: string; mimeType: string; size: number }) => ({
		file_name: file.fileName,
		file_type: file.mimeType,
		file_length: file.size,
	}),
	sessionIdOf: (body: unknown) => (body as { data?: { session_id?: unknown } } | undefined)?.data?.session_id,
	sessionIdField: 'session_id',
	fileField: 'file',
	handleOf: (body: unknown) => (body as { data?: { handle?: unknown } } | undefined)?.data?.handle,
	/** [doc, Meta] The file types Meta takes as a sample, per header kind. */
	fileTypes: {
		image: ['image/jpeg', 'image/jpg', 'image/png'],
		video: ['video/mp4'],
		document: ['application/pdf'],
	},
};

/** Longest wait for a header sample's download from its link, in milliseconds. */
export const SAMPLE_DOWNLOAD_TIMEOUT_MS = 60_000;

/** [doc] Template fields: name pattern and length (what both the object and Meta allow), language, categories. */
export const TEMPLATE_NAME_PATTERN = /^[a-z0-9_]+$/;
export const TEMPLATE_NAME_MAX = 255;
export const TEMPLATE_LANGUAGE_PATTERN = /^[A-Za-z_]{2,10}$/;
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;

/** Meta's limits on template components, checked before a template is sent to Lynkist. */
export const TEMPLATE_LIMITS = {
	headerText: 60,
	bodyText: 1024,
	footerText: 60,
	buttonText: 25,
	url: 2000,
	buttons: 10,
	/** Most buttons of one kind a template may have. */
	buttonsOfType: { QUICK_REPLY: 10, URL: 2, PHONE_NUMBER: 1, OTP: 1, COPY_CODE: 1 } as Record<string, number>,
	/** Longest offer code of a coupon (COPY_CODE) button. */
	couponCode: 15,
};

/** Waiting for a template's review: first pause between checks, growing ×2 up to the cap. */
export const APPROVAL_POLL_FIRST_MS = 1000;
export const APPROVAL_POLL_MAX_SECONDS = 60;

/** How a Lynkist Trigger's endpoint description starts, so that its endpoints can be told from others. */
export const TRIGGER_ENDPOINT_PREFIX = 'n8n: ';

/** How it ends while the endpoint is kept, switched off, for a workflow turned off with deliveries still owed. */
export const TRIGGER_ENDPOINT_OFF_SUFFIX = ' (workflow off in n8n; what it missed is sent when it is on again)';

/** [doc] The longest endpoint description Lynkist takes. */
export const ENDPOINT_DESCRIPTION_MAX = 500;

/** [assumed] Lynkist names these delivery endpoints without their shapes. */
export const DELIVERY_API = {
	list: (webhookId: string) => `/webhooks/${encodeURIComponent(webhookId)}/deliveries`,
	retry: (deliveryId: string) => `/webhooks/deliveries/${encodeURIComponent(deliveryId)}/retry`,
	failedStatus: 'failed',
};

/** [assumed] Names of the headers on every webhook delivery (Node lower-cases incoming names). */
export const DELIVERY_HEADERS = {
	signature: 'x-lynkist-signature',
	timestamp: 'x-lynkist-timestamp',
	event: 'x-lynkist-event',
	delivery: 'x-lynkist-delivery',
	webhookId: 'x-lynkist-webhook-id',
} as const;

/** [doc] Prefix of the signature header's value: `sha256=<lowercase hex>`. */
export const SIGNATURE_PREFIX = 'sha256=';

/** [assumed] A delivery whose timestamp is further than this from the receiver's clock is rejected, in seconds. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** How long a delivery id is remembered to ignore redeliveries, in milliseconds (Lynkist retries for about 8.6 h). */
export const DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Most delivery ids remembered per trigger; the oldest are forgotten first. */
export const DEDUPE_MAX_ENTRIES = 50_000;

/**
 * Most ids in the record every n8n process shares (in the workflow's static data, saved with each
 * new delivery): about 60 KB, two ids per delivery.
 */
export const DEDUPE_SHARED_MAX_ENTRIES = 4_000;

/** Largest delivery body the trigger reads, in bytes; Lynkist events are a few hundred bytes. */
export const MAX_DELIVERY_BYTES = 1024 * 1024;

/** [assumed, Meta-shaped] How the payload a send gives a quick-reply button starts; the button's index follows. */
export const REPLY_PAYLOAD_PREFIX = 'lynkist-reply:';

/** [assumed] The event of a test delivery (`POST /webhooks/{id}/test`). */
export const TEST_EVENT = 'webhook.test';

/** [doc] first_name 1–255 characters; [assumed] the same for the other text fields. */
export const CONTACT_LIMITS = { textMax: 255 };

/** [assumed] The Contacts API's undocumented bodies: bulk upsert by phone, and search by many phones. */
export const CONTACT_API = {
	bulkPath: '/contacts/bulk',
	bulkMax: 500,
	upsertBy: 'phone',
	searchPath: '/contacts/search',
	searchPhonesMax: 500,
};

/**
 * [doc] Lynkist's daily budget is a fixed window. [assumed] It is aligned to whole UTC days, as
 * the minute window is to whole minutes: where X-RateLimit-Reset names only the minute's reset,
 * the day's budget is taken to reset at the next UTC midnight.
 */
export const DAY_WINDOW_MS = 24 * 60 * 60 * 1000;
