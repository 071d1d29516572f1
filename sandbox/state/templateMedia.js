'use strict';
/**
 * Template header samples of each tenant: the upload sessions it opened and the handles they
 * issued, and the check that a new template's media header names one of those handles.
 */
const crypto = require('node:crypto');
const { TEMPLATE_MEDIA } = require('../constants');
const { issue, isObject } = require('../lib/http');

const MEDIA_FORMATS = Object.keys(TEMPLATE_MEDIA.fileTypes);
const SAMPLE_TYPES = [...new Set(Object.values(TEMPLATE_MEDIA.fileTypes).flat())];
const HOW = `upload the sample through POST ${TEMPLATE_MEDIA.sessionPath} and POST ${TEMPLATE_MEDIA.uploadPath}, and give the handle it returns`;

/** tenant → `{ sessions: Map<session_id, session>, handles: Map<handle, session> }`; a reset drops the tenants and with them this. */
const states = new WeakMap();

function stateOf(tenant) {
	let state = states.get(tenant);
	if (!state) states.set(tenant, (state = { sessions: new Map(), handles: new Map() }));
	return state;
}

const expired = (session, now = Date.now()) => session.status === 'open' && Date.parse(session.expires_at) <= now;

function openSession(tenant, { file_name, file_type, file_length }) {
	const now = Date.now();
	const session = {
		session_id: TEMPLATE_MEDIA.sessionIdPrefix + crypto.randomBytes(TEMPLATE_MEDIA.sessionIdHex / 2).toString('hex'),
		file_name,
		file_type,
		file_length,
		status: 'open',
		handle: null,
		sha256: null,
		created_at: new Date(now).toISOString(),
		expires_at: new Date(now + TEMPLATE_MEDIA.sessionTtlMs).toISOString(),
		uploaded_at: null,
	};
	stateOf(tenant).sessions.set(session.session_id, session);
	return session;
}

/** The tenant's session with that id, or null when unknown or expired before its upload. */
function findSession(tenant, id) {
	const session = stateOf(tenant).sessions.get(id);
	return session && !expired(session) ? session : null;
}

/** Records the upload of a session and issues its handle (Meta-shaped: `4::<base64url>`). */
function complete(tenant, session, sha256) {
	session.status = 'uploaded';
	session.sha256 = sha256;
	session.handle = TEMPLATE_MEDIA.handlePrefix + crypto.randomBytes(TEMPLATE_MEDIA.handleBytes).toString('base64url');
	session.uploaded_at = new Date().toISOString();
	stateOf(tenant).handles.set(session.handle, session);
	return session.handle;
}

/** Every session of the tenant, oldest first, as the control surface shows them. */
function listSessions(tenant) {
	const now = Date.now();
	return [...stateOf(tenant).sessions.values()].map((s) => ({ ...s, status: expired(s, now) ? 'expired' : s.status }));
}

/** One problem (or none) with the sample of a media header: it must be a handle one of the tenant's sessions issued, of the header's kind. */
function headerSampleProblem(tenant, component, loc) {
	const { format } = component;
	const example = isObject(component.example) ? component.example : {};
	const handle = Array.isArray(example.header_handle) ? example.header_handle[0] : undefined;
	if (typeof handle !== 'string' || handle.trim() === '') {
		return issue([...loc, 'example', 'header_handle'], `A ${format} header needs a sample in example.header_handle: ${HOW}`, 'missing');
	}
	const at = [...loc, 'example', 'header_handle', 0];
	if (/^https?:\/\//i.test(handle.trim())) {
		return issue(at, `example.header_handle takes an upload handle, not a link: a sample must be uploaded first — ${HOW}`);
	}
	const session = stateOf(tenant).handles.get(handle);
	if (!session) return issue(at, `Unknown upload handle: it was not issued to this account — ${HOW}`);
	const types = TEMPLATE_MEDIA.fileTypes[format];
	if (!types.includes(session.file_type)) {
		return issue(at, `The sample is ${session.file_type}, but the header is ${format}: upload a ${types.join(' or ')} file`);
	}
	return null;
}

/** Problems with the samples of a new template's media headers, FastAPI style; empty when none. */
function headerSampleProblems(tenant, components) {
	if (!Array.isArray(components)) return [];
	return components.flatMap((component, i) =>
		isObject(component) && component.type === 'HEADER' && MEDIA_FORMATS.includes(component.format)
			? [headerSampleProblem(tenant, component, ['body', 'components', i])].filter(Boolean)
			: [],
	);
}

module.exports = { SAMPLE_TYPES, openSession, findSession, complete, listSessions, headerSampleProblems };
