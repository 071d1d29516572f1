'use strict';
/**
 * POST /media/upload and the unauthenticated public files it hands out; POST
 * /media/template-session and /media/template-session/upload, which turn a template header's
 * sample into the upload handle Meta takes.
 */
const { createHash } = require('node:crypto');
const { MB, MEDIA_FIELD, MEDIA_FILES_BASE, DETAIL, TEMPLATE_MEDIA } = require('../constants');
const ids = require('../lib/ids');
const { reply, fail, readBody, issue, invalid, parseJson, isObject } = require('../lib/http');
const { boundaryOf, parseMultipart } = require('../lib/multipart');
const templateMedia = require('../state/templateMedia');

/** Room for multipart framing on top of the largest file. */
const FRAMING_BYTES = 64 * 1024;
const LABELS = { image: 'images', video: 'videos', other: 'documents and other files' };

const size = (bytes) => (bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes} bytes`);
const kindOf = (type) => (type.startsWith('image/') ? 'image' : type.startsWith('video/') ? 'video' : 'other');
const tooLarge = (kind, limit) => fail(413, `File too large: ${LABELS[kind]} are limited to ${size(limit)}`);
const missingFile = () => fail(400, `Expected multipart/form-data with a file in field '${MEDIA_FIELD}'`);

function fileName(raw) {
	const base = (raw ?? '')
		.split(/[\\/]/)
		.pop()
		.replace(/[\x00-\x1f"]/g, '')
		.trim();
	return base || 'upload';
}

/** The parts of a multipart body no larger than the tenant's largest media limit; → `{ parts }` (null when not multipart) or `{ answer }`. */
async function readParts(tenant, req) {
	const boundary = boundaryOf(req.headers['content-type']);
	if (!boundary) return { parts: null };
	const limits = tenant.settings.media_limits;
	const largest = Math.max(limits.image, limits.video, limits.other);
	const buffer = await readBody(req, largest + FRAMING_BYTES);
	if (buffer === null) return { answer: tooLarge('other', limits.other) };
	return { parts: parseMultipart(buffer, boundary) };
}

async function upload({ app, tenant, req }) {
	const { parts, answer } = await readParts(tenant, req);
	if (answer) return answer;
	const part = parts?.find((p) => p.name === MEDIA_FIELD && p.filename !== undefined);
	if (!part) return missingFile();
	const limits = tenant.settings.media_limits;
	const type = part.contentType || 'application/octet-stream';
	const kind = kindOf(type);
	if (part.data.length > limits[kind]) return tooLarge(kind, limits[kind]);

	const id = ids.uuid();
	const name = fileName(part.filename);
	const record = {
		id,
		file_name: name,
		file_type: type,
		status: 'uploaded',
		public_url: `${app.urls.base}${MEDIA_FILES_BASE}/${id}/${encodeURIComponent(name)}`,
		created_at: new Date().toISOString(),
	};
	app.store.media.set(id, { record, data: Buffer.from(part.data) });
	tenant.media.push(record);
	return reply(201, record);
}

/** GET /media-files/{id}/{file_name}. */
function serve(app, path) {
	const [id, name] = path.slice(MEDIA_FILES_BASE.length + 1).split('/');
	const file = app.store.media.get(id);
	let decoded = null;
	try {
		decoded = decodeURIComponent(name ?? '');
	} catch {
		decoded = null;
	}
	if (!file || decoded !== file.record.file_name) return fail(404, DETAIL.notFound);
	return reply(200, file.data, { 'Content-Type': file.record.file_type });
}

/* ---- template header samples ---- */

/** POST /media/template-session `{file_name, file_type, file_length}` → 201 `{data: {session_id, expires_at}}`. */
function openSampleSession({ tenant, body }) {
	const parsed = parseJson(body);
	if (!parsed.ok || !isObject(parsed.value)) return fail(400, 'Request body must be a JSON object');
	const { file_name: name, file_type: type, file_length: length } = parsed.value;
	const problems = [];
	if (typeof name !== 'string' || name.trim() === '' || name.length > TEMPLATE_MEDIA.fileNameMax) {
		problems.push(issue(['body', 'file_name'], `Field required: a file name of 1-${TEMPLATE_MEDIA.fileNameMax} characters`, 'missing'));
	}
	if (!templateMedia.SAMPLE_TYPES.includes(type)) {
		const allowed = templateMedia.SAMPLE_TYPES.map((t) => `'${t}'`).join(', ');
		problems.push(
			issue(['body', 'file_type'], `Input should be ${allowed}: the file types Meta takes as a template header sample`, 'enum'),
		);
	}
	if (!Number.isInteger(length) || length < 1) {
		problems.push(issue(['body', 'file_length'], 'Input should be the file size in bytes, an integer greater than 0', 'greater_than'));
	}
	if (problems.length) return invalid(problems);
	const kind = kindOf(type);
	const limit = tenant.settings.media_limits[kind];
	if (length > limit) return tooLarge(kind, limit);
	const session = templateMedia.openSession(tenant, { file_name: fileName(name), file_type: type, file_length: length });
	return reply(201, { data: { session_id: session.session_id, expires_at: session.expires_at } });
}

/** POST /media/template-session/upload, multipart `session_id` + `file` → 200 `{data: {handle}}`. */
async function uploadSample({ tenant, req }) {
	const { parts, answer } = await readParts(tenant, req);
	if (answer) return answer;
	const idPart = parts?.find((p) => p.name === TEMPLATE_MEDIA.sessionIdField && p.filename === undefined);
	const filePart = parts?.find((p) => p.name === TEMPLATE_MEDIA.fileField && p.filename !== undefined);
	if (!idPart || !filePart) {
		return fail(
			400,
			`Expected multipart/form-data with the field '${TEMPLATE_MEDIA.sessionIdField}' and a file in field '${TEMPLATE_MEDIA.fileField}'`,
		);
	}
	const session = templateMedia.findSession(tenant, idPart.data.toString('utf8').trim());
	if (!session) return fail(404, `Upload session not found or expired: open one with POST ${TEMPLATE_MEDIA.sessionPath}`);
	const kind = kindOf(session.file_type);
	const limit = tenant.settings.media_limits[kind];
	if (filePart.data.length > limit) return tooLarge(kind, limit);
	const problems = [];
	if (filePart.data.length !== session.file_length) {
		problems.push(
			issue(['body', 'file'], `The file has ${filePart.data.length} bytes, but the session was opened for ${session.file_length}`),
		);
	}
	if (filePart.contentType && filePart.contentType !== session.file_type) {
		problems.push(issue(['body', 'file'], `The file is ${filePart.contentType}, but the session was opened for ${session.file_type}`));
	}
	if (problems.length) return invalid(problems);
	const sha256 = createHash('sha256').update(filePart.data).digest('hex');
	if (session.status === 'uploaded') {
		// The same bytes again (a client retrying after a lost answer) get the same handle.
		if (session.sha256 === sha256) return reply(200, { data: { handle: session.handle } });
		return fail(409, `This upload session already took another file: open a new one with POST ${TEMPLATE_MEDIA.sessionPath}`);
	}
	return reply(200, { data: { handle: templateMedia.complete(tenant, session, sha256) } });
}

const routes = [
	{ method: 'POST', path: '/media/upload', scope: 'media:write', handle: upload },
	{ method: 'POST', path: TEMPLATE_MEDIA.sessionPath, scope: 'media:write', body: 'json', handle: openSampleSession },
	{ method: 'POST', path: TEMPLATE_MEDIA.uploadPath, scope: 'media:write', handle: uploadSample },
];

module.exports = { routes, serve };
