'use strict';
/** POST /media/upload, and the unauthenticated public files it hands out. */
const { MB, MEDIA_FIELD, MEDIA_FILES_BASE, DETAIL } = require('../constants');
const ids = require('../lib/ids');
const { reply, fail, readBody } = require('../lib/http');
const { boundaryOf, parseMultipart } = require('../lib/multipart');

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

async function upload({ app, tenant, req }) {
	const boundary = boundaryOf(req.headers['content-type']);
	if (!boundary) return missingFile();
	const limits = tenant.settings.media_limits;
	const largest = Math.max(limits.image, limits.video, limits.other);
	const buffer = await readBody(req, largest + FRAMING_BYTES);
	if (buffer === null) return tooLarge('other', limits.other);
	const part = parseMultipart(buffer, boundary)?.find((p) => p.name === MEDIA_FIELD && p.filename !== undefined);
	if (!part) return missingFile();
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

const routes = [{ method: 'POST', path: '/media/upload', scope: 'media:write', handle: upload }];

module.exports = { routes, serve };
