/**
 * Send and Wait for Reply: how its endpoints are named and found at Lynkist, what a waiting
 * execution keeps, and how the reply endpoint of a published node works with the waits.
 */

/**
 * Send and Wait for Reply. Each waiting execution registers its own Lynkist endpoint at its
 * signed resume URL; its description starts with this, and ends with WAIT_UNTIL_MARK and the time
 * limit when there is one, so that endpoints left by executions that ended are found and removed.
 */
export const WAIT_ENDPOINT_PREFIX = 'n8n Send and Wait: ';

/** The description of a published Send and Wait node's reply endpoint (one per node, for all its waits) starts with this. */
export const REPLY_ENDPOINT_PREFIX = 'n8n Send and Wait replies: ';
export const WAIT_UNTIL_MARK = ' · until ';

/** Before the time limit: the question's mark (the start of its Idempotency-Key), so that the same question asked again is found. */
export const WAIT_QUESTION_MARK = ' · question ';

/** The execution custom data key under which a waiting execution keeps its endpoint, secret and message. */
export const WAIT_CUSTOM_DATA_KEY = 'lynkistWait';

/**
 * How much earlier than the question a text without WhatsApp's reply context may be stamped and
 * still count as its answer: Lynkist's timestamps are whole seconds, and its clock may run a
 * little behind n8n's. A text stamped earlier was written before the question.
 */
export const REPLY_CLOCK_SKEW_MS = 30_000;

/**
 * Send and Wait for Reply in a published workflow: a waiting execution's record is kept this long
 * past its time limit (n8n's wait tracker looks once a minute), and the mark of an ended wait this
 * long, so that no n8n process adds it back.
 */
export const WAIT_RECORD_GRACE_MS = 5 * 60 * 1000;
export const WAIT_RECORD_GONE_MS = 48 * 60 * 60 * 1000;

/**
 * What Send and Wait's reply endpoint adds to a delivery it passes on to a waiting execution (and a
 * waiting node to what it asks of the endpoint): the time and the signature with which one n8n
 * process vouches for it to another (`sha256=<hex>` over `"{timestamp}.{body}"`, as Lynkist signs).
 */
export const FORWARD_HEADERS = {
	signature: 'x-lynkist-forward-signature',
	timestamp: 'x-lynkist-forward-timestamp',
} as const;

/** How long the reply endpoint waits for n8n to take a delivery it passes on to a waiting execution. */
export const FORWARD_TIMEOUT_MS = 8_000;

/** How often a waiting node asks the reply endpoint whether its record is kept, and the first pause between. */
export const RECORD_TRIES = 6;
export const RECORD_FIRST_PAUSE_MS = 250;

/**
 * How often each n8n process asks Lynkist, while its reply endpoint gets deliveries, for those it
 * gave up on (n8n was away longer than Lynkist's retries): at the first delivery after the process
 * starts, then at most this often.
 */
export const REPLY_REPLAY_CHECK_MS = 10 * 60 * 1000;

/**
 * From how many waits with Lynkist endpoints of their own (each costs one delivery per customer
 * message) a new one says so in its output.
 */
export const MANY_OWN_WAITS = 10;
