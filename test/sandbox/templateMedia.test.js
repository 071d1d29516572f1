'use strict';
/** Template header samples: upload sessions, their handles, and POST /templates taking only those handles. */
const { start } = require('./helpers');
const { constants } = require('../../sandbox');

const { TEMPLATE_MEDIA } = constants;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

let s;
let t;
beforeAll(async () => {
	s = await start();
	t = await s.tenant({ media_limits: { image: 1024, video: 2048, other: 4096 } });
});
afterAll(() => s.sandbox.close());

const openSession = (body, key = t.key) => s.api('POST', TEMPLATE_MEDIA.sessionPath, { key, body });

/** The multipart upload of a session; `parts` overrides or leaves out (null) the two fields. */
async function uploadTo(sessionId, { bytes = PNG, type = 'image/png', name = 'sample.png', key = t.key, parts = {} } = {}) {
	const form = new FormData();
	if (parts.session_id !== null) form.append('session_id', parts.session_id ?? sessionId);
	if (parts.file !== null) form.append('file', new Blob([bytes], type ? { type } : {}), name);
	const res = await fetch(s.sandbox.apiUrl + TEMPLATE_MEDIA.uploadPath, {
		method: 'POST',
		headers: { Authorization: `Bearer ${key}` },
		body: form,
	});
	return { status: res.status, body: await res.json() };
}

/** A handle for `bytes` of `type`, through a session of the tenant with `key`. */
async function handleFor({ bytes = PNG, type = 'image/png', key = t.key } = {}) {
	const session = await openSession({ file_name: 'sample', file_type: type, file_length: bytes.length }, key);
	expect(session.status).toBe(201);
	const uploaded = await uploadTo(session.body.data.session_id, { bytes, type, key });
	expect(uploaded.status).toBe(200);
	return uploaded.body.data.handle;
}

const template = (name, header, category = 'MARKETING') => ({
	template_name: name,
	language: 'en_US',
	category,
	components: [header, { type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['Ana']] } }],
});

describe('POST /media/template-session and /media/template-session/upload', () => {
	test('a session (201) then the upload (200) give a Meta-shaped handle; the control surface shows both', async () => {
		const opened = await openSession({ file_name: 'banner.png', file_type: 'image/png', file_length: PNG.length });
		expect(opened.status).toBe(201);
		expect(opened.headers.get('x-request-id')).toMatch(/^req_/);
		expect(opened.body).toEqual({ data: { session_id: expect.stringMatching(/^upload:[0-9a-f]{32}$/), expires_at: expect.any(String) } });
		expect(Date.parse(opened.body.data.expires_at) - Date.now()).toBeGreaterThan(TEMPLATE_MEDIA.sessionTtlMs - 60_000);

		const uploaded = await uploadTo(opened.body.data.session_id);
		expect(uploaded).toEqual({ status: 200, body: { data: { handle: expect.stringMatching(/^4::[A-Za-z0-9_-]{40,}$/) } } });

		const sessions = await s.readBack(t.id, 'template-sessions');
		expect(sessions).toContainEqual(
			expect.objectContaining({
				session_id: opened.body.data.session_id,
				file_name: 'banner.png',
				file_type: 'image/png',
				file_length: PNG.length,
				status: 'uploaded',
				handle: uploaded.body.data.handle,
				uploaded_at: expect.any(String),
			}),
		);
	});

	test('the same bytes again get the same handle; other bytes are refused (409)', async () => {
		const opened = await openSession({ file_name: 'a.png', file_type: 'image/png', file_length: PNG.length });
		const id = opened.body.data.session_id;
		const first = await uploadTo(id);
		expect(await uploadTo(id)).toEqual(first);
		const other = Buffer.from(PNG);
		other[other.length - 1] ^= 1;
		const refused = await uploadTo(id, { bytes: other });
		expect(refused.status).toBe(409);
	});

	test.each([
		['no file name', { file_type: 'image/png', file_length: 10 }, ['body', 'file_name']],
		['a type Meta does not take', { file_name: 'a.gif', file_type: 'image/gif', file_length: 10 }, ['body', 'file_type']],
		['a length of 0', { file_name: 'a.png', file_type: 'image/png', file_length: 0 }, ['body', 'file_length']],
		['a length that is not a number', { file_name: 'a.png', file_type: 'image/png', file_length: '10' }, ['body', 'file_length']],
	])('a session with %s → 422 naming the field', async (_name, body, loc) => {
		const res = await openSession(body);
		expect(res.status).toBe(422);
		expect(res.body.detail.map((d) => d.loc)).toEqual([loc]);
	});

	test('a session whose file is over the media limit of its kind → 413', async () => {
		const image = await openSession({ file_name: 'big.png', file_type: 'image/png', file_length: 1025 });
		expect(image.status).toBe(413);
		expect(image.body.detail).toBe('File too large: images are limited to 1024 bytes');
		const pdf = await openSession({ file_name: 'big.pdf', file_type: 'application/pdf', file_length: 4097 });
		expect(pdf.status).toBe(413);
		expect((await openSession({ file_name: 'ok.pdf', file_type: 'application/pdf', file_length: 4096 })).status).toBe(201);
	});

	test('malformed JSON → 400', async () => {
		const res = await s.api('POST', TEMPLATE_MEDIA.sessionPath, { key: t.key, raw: '{', headers: { 'Content-Type': 'application/json' } });
		expect(res.status).toBe(400);
	});

	test('an unknown session → 404; an expired one → 404', async () => {
		const unknown = await uploadTo('upload:0123456789abcdef0123456789abcdef');
		expect(unknown.status).toBe(404);
		expect(unknown.body.detail).toMatch(/not found or expired.*POST \/media\/template-session/);

		const opened = await openSession({ file_name: 'a.png', file_type: 'image/png', file_length: PNG.length });
		const later = Date.now() + TEMPLATE_MEDIA.sessionTtlMs + 1000;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
		try {
			expect((await uploadTo(opened.body.data.session_id)).status).toBe(404);
			const sessions = await s.readBack(t.id, 'template-sessions');
			expect(sessions.find((x) => x.session_id === opened.body.data.session_id).status).toBe('expired');
		} finally {
			clock.mockRestore();
		}
	});

	test('a file of another length or type than the session → 422 on the file', async () => {
		const opened = await openSession({ file_name: 'a.png', file_type: 'image/png', file_length: PNG.length + 1 });
		const length = await uploadTo(opened.body.data.session_id);
		expect(length.status).toBe(422);
		expect(length.body.detail).toEqual([
			{
				loc: ['body', 'file'],
				msg: `The file has ${PNG.length} bytes, but the session was opened for ${PNG.length + 1}`,
				type: 'value_error',
			},
		]);
		const typed = await openSession({ file_name: 'a.jpg', file_type: 'image/jpeg', file_length: PNG.length });
		const type = await uploadTo(typed.body.data.session_id);
		expect(type.status).toBe(422);
		expect(type.body.detail[0].msg).toBe('The file is image/png, but the session was opened for image/jpeg');
	});

	test('a file over the media limit → 413', async () => {
		const opened = await openSession({ file_name: 'a.png', file_type: 'image/png', file_length: 1024 });
		const res = await uploadTo(opened.body.data.session_id, { bytes: Buffer.alloc(1025) });
		expect(res.status).toBe(413);
	});

	test('without the session id or the file, or not multipart → 400', async () => {
		const opened = await openSession({ file_name: 'a.png', file_type: 'image/png', file_length: PNG.length });
		const id = opened.body.data.session_id;
		expect((await uploadTo(id, { parts: { session_id: null } })).status).toBe(400);
		expect((await uploadTo(id, { parts: { file: null } })).status).toBe(400);
		const json = await s.api('POST', TEMPLATE_MEDIA.uploadPath, { key: t.key, body: { session_id: id } });
		expect(json.status).toBe(400);
	});

	test('another tenant cannot use the session (404)', async () => {
		const other = await s.tenant();
		const opened = await openSession({ file_name: 'a.png', file_type: 'image/png', file_length: PNG.length });
		expect((await uploadTo(opened.body.data.session_id, { key: other.key })).status).toBe(404);
	});

	test('403 without media:write, on both', async () => {
		const readOnly = (await s.control('POST', `/tenants/${t.id}/keys`, { scopes: ['media:read', 'templates:write'] })).body.key;
		const opened = await openSession({ file_name: 'a.png', file_type: 'image/png', file_length: PNG.length }, readOnly);
		expect(opened.status).toBe(403);
		expect(opened.body.detail.required_permissions).toEqual(['media:write']);
		const uploaded = await uploadTo('upload:00', { key: readOnly });
		expect(uploaded.status).toBe(403);
	});
});

describe('POST /templates with a media header', () => {
	test("201 with a handle of the tenant's session, kept in the template", async () => {
		const handle = await handleFor();
		const res = await s.api('POST', '/templates', {
			key: t.key,
			body: template('banner_ok', { type: 'HEADER', format: 'IMAGE', example: { header_handle: [handle] } }),
		});
		expect(res.status).toBe(201);
		expect(res.body.components[0]).toEqual({ type: 'HEADER', format: 'IMAGE', example: { header_handle: [handle] } });
		const pdf = await handleFor({ bytes: Buffer.from('%PDF-1.4 sample'), type: 'application/pdf' });
		const doc = await s.api('POST', '/templates', {
			key: t.key,
			body: template('invoice_ok', { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: [pdf] } }, 'UTILITY'),
		});
		expect(doc.status).toBe(201);
	});

	test('a link in example.header_handle → 422 at the example, saying to upload through /media/template-session', async () => {
		const res = await s.api('POST', '/templates', {
			key: t.key,
			body: template('banner_link', { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['https://example.com/a.jpg'] } }),
		});
		expect(res.status).toBe(422);
		expect(res.body.detail).toEqual([
			{
				loc: ['body', 'components', 0, 'example', 'header_handle', 0],
				msg: expect.stringMatching(/upload handle, not a link: a sample must be uploaded first .*POST \/media\/template-session/),
				type: 'value_error',
			},
		]);
	});

	test.each([
		[
			'no example',
			{ type: 'HEADER', format: 'VIDEO' },
			['body', 'components', 0, 'example', 'header_handle'],
			/VIDEO header needs a sample/,
		],
		[
			'an empty list',
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: [] } },
			['body', 'components', 0, 'example', 'header_handle'],
			/needs a sample/,
		],
		[
			'a handle no session issued',
			{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::bm90LWlzc3VlZA'] } },
			['body', 'components', 0, 'example', 'header_handle', 0],
			/Unknown upload handle/,
		],
	])('%s → 422', async (_name, header, loc, msg) => {
		const res = await s.api('POST', '/templates', { key: t.key, body: template('banner_bad', header) });
		expect(res.status).toBe(422);
		expect(res.body.detail).toEqual([{ loc, msg: expect.stringMatching(msg), type: expect.any(String) }]);
	});

	test("another tenant's handle, or an image's handle on a VIDEO header → 422", async () => {
		const other = await s.tenant();
		const foreign = await handleFor({ key: other.key });
		const res = await s.api('POST', '/templates', {
			key: t.key,
			body: template('banner_foreign', { type: 'HEADER', format: 'IMAGE', example: { header_handle: [foreign] } }),
		});
		expect(res.status).toBe(422);
		expect(res.body.detail[0].msg).toMatch(/Unknown upload handle/);
		const image = await handleFor();
		const video = await s.api('POST', '/templates', {
			key: t.key,
			body: template('banner_video', { type: 'HEADER', format: 'VIDEO', example: { header_handle: [image] } }),
		});
		expect(video.status).toBe(422);
		expect(video.body.detail[0].msg).toBe('The sample is image/png, but the header is VIDEO: upload a video/mp4 file');
	});

	test('templates added through the control surface need no sample (they stand for approved ones)', async () => {
		const res = await s.control('POST', `/tenants/${t.id}/templates`, template('seeded_banner', { type: 'HEADER', format: 'IMAGE' }));
		expect(res.status).toBe(201);
	});
});
