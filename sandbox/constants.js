'use strict';
/**
 * Every fixed value of the Lynkist Public API the sandbox impersonates, in one place.
 * Values marked [assumed] are not documented by Lynkist; a real Lynkist that differs is a
 * one-line change here.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const MB = 1024 * 1024;

/** [doc] Base path of the public API. */
const API_BASE = '/api/v1/public';
/** Sandbox-only: control surface and public media files. */
const CONTROL_BASE = '/_sandbox';
const MEDIA_FILES_BASE = '/media-files';

/** [doc] Key format. */
const KEY_PATTERN = /^lk_sk_(live|test)_[0-9a-f]{40}$/;
const KEY_MODES = ['test', 'live'];

/** [doc] Scopes. */
const SCOPES = [
	'templates:read',
	'templates:write',
	'messages:send',
	'media:read',
	'media:write',
	'webhooks:read',
	'webhooks:write',
	'contacts:read',
	'contacts:write',
	'campaigns:read',
	'campaigns:write',
];

/** [doc] Plans; API access is a per-tenant switch. */
const PLANS = ['free', 'starter', 'premium', 'enterprise'];
/** [doc] Published plan tiers (not enforced today: every tenant gets DEFAULT_LIMITS). */
const PLAN_TIERS = {
	starter: { per_minute: 10, per_day: 100 },
	premium: { per_minute: 100, per_day: 5000 },
	enterprise: { per_minute: 1000, per_day: 50000 },
};
/** [doc] Limits every tenant has today; fixed windows aligned to multiples of their length. */
const DEFAULT_LIMITS = {
	per_minute: 60,
	per_day: 1000,
	minute_window_ms: MINUTE,
	day_window_ms: 24 * HOUR,
};

/** [doc] Response headers. */
const HEADERS = {
	requestId: 'X-Request-Id',
	limitMinute: 'X-RateLimit-Limit-Minute',
	remainingMinute: 'X-RateLimit-Remaining-Minute',
	limitDay: 'X-RateLimit-Limit-Day',
	remainingDay: 'X-RateLimit-Remaining-Day',
	reset: 'X-RateLimit-Reset',
	retryAfter: 'Retry-After',
	idempotencyKey: 'Idempotency-Key',
	/** [assumed] on every 200 send answer: `true` on a replay, `false` on a fresh send (none docs-only). */
	idempotentReplayed: 'Idempotent-Replayed',
};
const REQUEST_ID_PREFIX = 'req_';
const REQUEST_ID_HEX = 12;
/** Longest client X-Request-Id echoed back. */
const REQUEST_ID_MAX = 200;

/** [doc] Error details. */
const DETAIL = {
	invalidKey: 'Invalid or revoked API key',
	planDisabled: 'API access is not enabled for your plan',
	rateLimited: 'Rate limit exceeded. Please slow down.',
	noWaba: 'No active WABA account for this tenant',
	templateNotFound: 'Template not found',
	webhookNotFound: 'Webhook not found',
	/** [assumed] */
	deliveryNotFound: 'Delivery not found',
	/** [assumed] */
	webhookDisabled: 'Webhook is disabled: enable it before retrying its deliveries',
	notFound: 'Not Found',
	methodNotAllowed: 'Method Not Allowed',
	/** [assumed] */
	idempotencyMismatch: 'Idempotency-Key reused with a different request',
	/** [assumed] wording; the format itself is [doc]. */
	idempotencyFormat: 'Idempotency-Key must be a UUID v4, e.g. 7c4d2e1a-3b5f-4c6d-8e9f-0a1b2c3d4e5f',
};

/** [doc] Templates. */
const TEMPLATE = {
	statuses: ['draft', 'pending', 'approved', 'rejected', 'disabled'],
	reviewOutcomes: ['approved', 'rejected', 'disabled'],
	categories: ['MARKETING', 'UTILITY', 'AUTHENTICATION'],
	namePattern: /^[a-z0-9_]{1,255}$/,
	languagePattern: /^[A-Za-z_]{2,10}$/,
	headerFormats: ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'],
	buttonTypes: ['URL', 'PHONE_NUMBER', 'QUICK_REPLY', 'COPY_CODE', 'OTP'],
	/** [doc, Meta] One-time-password button kinds. */
	otpTypes: ['COPY_CODE', 'ONE_TAP', 'ZERO_TAP'],
	/** [doc, Meta] Longest offer code of a marketing COPY_CODE (coupon) button. */
	couponCodeMax: 15,
	/** [doc, Meta] How an OTP copy-code button reads back: a URL button ending in the code. */
	otpReadBack: { text: 'Copy code', url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}' },
	headerTextMax: 60,
	bodyTextMax: 1024,
	footerTextMax: 60,
	buttonsMin: 1,
	buttonsMax: 10,
	pageDefault: 1,
	limitDefault: 20,
	limitMax: 100,
	/** [assumed] default time Meta's review takes in the sandbox. */
	reviewDelayMs: 2 * SECOND,
};

/** [doc] Messages. */
const MESSAGE = {
	e164: /^\+[1-9]\d{6,14}$/,
	defaultLanguage: 'en',
	componentTypes: ['header', 'body', 'button'],
	buttonSubTypes: ['url', 'quick_reply', 'copy_code', 'phone_number'],
	/** [doc]; `coupon_code` [assumed: Meta's type for a COPY_CODE button, forwarded as Meta takes it]. */
	parameterTypes: ['text', 'currency', 'date_time', 'image', 'document', 'video', 'payload', 'coupon_code'],
	mediaParameterTypes: ['image', 'document', 'video'],
	wamidPrefix: 'wamid.HBgM',
	acceptedStatus: 'accepted',
};

/** [doc] 24 h replay window; [doc] the key is a UUID v4 (`Idempotency-Key: <uuid-v4>`), anything else is refused. */
const IDEMPOTENCY = {
	ttlMs: 24 * HOUR,
	keyPattern: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i,
};

/** [assumed] Upload size limits by part content type (Meta's limits). */
const MEDIA_LIMITS = {
	image: 5 * MB,
	video: 16 * MB,
	other: 100 * MB,
};
const MEDIA_FIELD = 'file';

/** Contacts [doc unless marked]. */
const CONTACT = {
	firstNameMax: 255,
	phoneMax: 20,
	/** [assumed] Longest last_name, email, company, job_title and status. */
	textMax: 255,
	/** [doc: "E.164 recommended"; the sandbox requires it, stricter than Lynkist may be] */
	phonePattern: /^\+[1-9]\d{6,14}$/,
	/** [assumed] RFC 5322 in practice: something@domain.tld without spaces. */
	emailPattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
	fields: ['first_name', 'last_name', 'phone', 'email', 'company', 'job_title', 'status', 'tags', 'custom_fields'],
	/** [assumed] Paging as the template list. */
	pageDefault: 1,
	limitDefault: 20,
	limitMax: 100,
	/** [assumed] POST /contacts/search: `{search?, status?, phones?, tags?, page?, limit?}`; `phones` at most this many. */
	searchPhonesMax: 500,
	/** [assumed] POST /contacts/bulk: `{contacts: [...], upsert_by?: 'phone'}`, at most this many contacts. */
	bulkMax: 500,
};

/** Webhooks. */
const WEBHOOK = {
	/** [doc] Subscribable events; campaign names are [assumed]. */
	events: [
		'message.sent',
		'message.delivered',
		'message.read',
		'message.failed',
		'message.received',
		'contact.created',
		'contact.updated',
		'contact.deleted',
		'contact.note_added',
		'contact.communication_added',
		'followup.created',
		'followup.updated',
		'followup.deleted',
		'campaign.started',
		'campaign.completed',
		'campaign.failed',
	],
	/** [assumed] event type of a test delivery. */
	testEvent: 'webhook.test',
	/** [doc] docs-only test delivery: `X-Lynkist-Event: ping`, body `{event: 'ping', webhook_id, sent_at}`. */
	pingEvent: 'ping',
	/** [doc] docs-only answer of POST /webhooks/{id}/test: `{"data":{"id","message"}}`. */
	testSentMessage: 'Test event sent',
	descriptionMax: 500,
	/** [assumed] */
	secretPrefix: 'whsec_',
	secretHexLength: 64,
	/** [assumed] plain http is accepted for loopback hosts. */
	allowHttpLoopback: true,
	/** [assumed] header names (five X-Lynkist-* headers [doc]). */
	headers: {
		signature: 'X-Lynkist-Signature',
		timestamp: 'X-Lynkist-Timestamp',
		event: 'X-Lynkist-Event',
		delivery: 'X-Lynkist-Delivery',
		webhookId: 'X-Lynkist-Webhook-Id',
	},
	userAgent: 'Lynkist-Webhooks/1.0',
	/** [doc] sha256=<lowercase hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>. */
	signaturePrefix: 'sha256=',
	/** [assumed] receivers reject timestamps further than this from their clock. */
	toleranceSeconds: 300,
	/** [doc] */
	responseTimeoutMs: 10 * SECOND,
	/** [doc] delays before retries 1..5, then give up. */
	retryDelaysMs: [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR],
	/** [doc] */
	autoDisableAfterFailures: 20,
	/** [assumed] statuses of a delivery in GET /webhooks/{id}/deliveries. */
	deliveryStatuses: ['pending', 'delivered', 'failed'],
	deliveryIdPrefix: 'dlv_',
	eventIdPrefix: 'evt_',
};

/** [doc] Meta's error for code 131056, carried by message.failed. */
const META_ERRORS = {
	131056: {
		code: 131056,
		title: '(Business Account, Consumer Account) pair rate limit hit',
		message: 'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
	},
};
const FAILING_NUMBER_ERROR = 131056;

/** Sandbox defaults for the message lifecycle after a successful send (ms after the send). */
const LIFECYCLE = {
	enabled: true,
	sent_ms: 200,
	delivered_ms: 500,
	read_ms: 1000,
};

/** Sandbox: request-log entries kept per tenant. */
const REQUEST_LOG_MAX = 10000;

/**
 * Template header samples. [doc] Lynkist has `POST /media/template-session` and
 * `POST /media/template-session/upload` (scope media:write) because Meta takes a media header's
 * sample only as an upload handle, even for small files. [assumed] Their bodies, after Meta's
 * Resumable Upload API:
 * - session: JSON `{file_name, file_type (MIME), file_length (bytes)}` → 201
 *   `{"data":{"session_id":"upload:<hex>","expires_at":"<ISO-8601>"}}`;
 * - upload: multipart `session_id` + `file` (the bytes) → 200 `{"data":{"handle":"4::<base64url>"}}`;
 * - unknown or expired session 404, length or type other than the session's 422, over the media
 *   limits 413.
 */
const TEMPLATE_MEDIA = {
	sessionPath: '/media/template-session',
	uploadPath: '/media/template-session/upload',
	sessionIdField: 'session_id',
	fileField: 'file',
	sessionIdPrefix: 'upload:',
	sessionIdHex: 32,
	handlePrefix: '4::',
	handleBytes: 48,
	/** How long a session takes its upload. */
	sessionTtlMs: HOUR,
	fileNameMax: 255,
	/** [doc, Meta] The file types Meta takes as a sample, per header format. */
	fileTypes: {
		IMAGE: ['image/jpeg', 'image/jpg', 'image/png'],
		VIDEO: ['video/mp4'],
		DOCUMENT: ['application/pdf'],
	},
};

module.exports = {
	MB,
	API_BASE,
	CONTROL_BASE,
	MEDIA_FILES_BASE,
	KEY_PATTERN,
	KEY_MODES,
	SCOPES,
	PLANS,
	PLAN_TIERS,
	DEFAULT_LIMITS,
	HEADERS,
	REQUEST_ID_PREFIX,
	REQUEST_ID_HEX,
	REQUEST_ID_MAX,
	DETAIL,
	TEMPLATE,
	CONTACT,
	MESSAGE,
	IDEMPOTENCY,
	MEDIA_LIMITS,
	MEDIA_FIELD,
	WEBHOOK,
	META_ERRORS,
	FAILING_NUMBER_ERROR,
	LIFECYCLE,
	REQUEST_LOG_MAX,
	TEMPLATE_MEDIA,
};
