'use strict';
const { start } = require('./helpers');

let s;
let key;
beforeAll(async () => {
	s = await start();
	({ key } = await s.tenant({ media_limits: { image: 1024, video: 2048, other: 4096 } }));
});
afterAll(() => s.sandbox.close());

function upload(parts, { tenantKey = key } = {}) {
	const form = new FormData();
	for (const { field = 'file', bytes, type, name } of parts) form.append(field, new Blob([bytes], { type }), name);
	return fetch(`${s.sandbox.apiUrl}/media/upload`, { method: 'POST', headers: { Authorization: `Bearer ${tenantKey}` }, body: form });
}

test('201 with the bare object; public_url serves the bytes without auth', async () => {
	const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 13, 10, 45, 45]);
	const res = await upload([{ bytes, type: 'image/png', name: 'banner.png' }]);
	expect(res.status).toBe(201);
	expect(res.headers.get('x-request-id')).toMatch(/^req_/);
	const body = await res.json();
	expect(body).toEqual({
		id: expect.stringMatching(/^[0-9a-f-]{36}$/),
		file_name: 'banner.png',
		file_type: 'image/png',
		status: 'uploaded',
		public_url: `${s.sandbox.url}/media-files/${body.id}/banner.png`,
		created_at: expect.any(String),
	});
	const file = await fetch(body.public_url);
	expect(file.status).toBe(200);
	expect(file.headers.get('content-type')).toBe('image/png');
	expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
	const missing = await fetch(`${s.sandbox.url}/media-files/${body.id}/other.png`);
	expect(missing.status).toBe(404);
	await missing.text();
});

test('a document with other form fields alongside', async () => {
	const res = await upload([
		{ field: 'note', bytes: 'hello', type: 'text/plain', name: 'note.txt' },
		{ bytes: Buffer.alloc(4096, 1), type: 'application/pdf', name: 'invoice.pdf' },
	]);
	expect(res.status).toBe(201);
	expect((await res.json()).file_type).toBe('application/pdf');
});

test.each([
	['image', 'image/jpeg', 1025, /images are limited to 1024 bytes/],
	['video', 'video/mp4', 2049, /videos are limited to 2048 bytes/],
	['document', 'application/pdf', 4097, /documents and other files are limited to 4096 bytes/],
])('413 for a %s over its limit', async (_kind, type, size, detail) => {
	const res = await upload([{ bytes: Buffer.alloc(size), type, name: 'big' }]);
	expect(res.status).toBe(413);
	expect((await res.json()).detail).toMatch(detail);
});

test('413 names the MB limits by default', async () => {
	const other = await s.tenant({ media_limits: { image: 1024 * 1024 } });
	const res = await upload([{ bytes: Buffer.alloc(1024 * 1024 + 1), type: 'image/png', name: 'big.png' }], { tenantKey: other.key });
	expect(res.status).toBe(413);
	expect((await res.json()).detail).toBe('File too large: images are limited to 1 MB');
});

test('400 without a file field or without multipart', async () => {
	const wrongField = await upload([{ field: 'attachment', bytes: 'x', type: 'text/plain', name: 'a.txt' }]);
	expect(wrongField.status).toBe(400);
	expect((await wrongField.json()).detail).toMatch(/'file'/);
	const json = await s.api('POST', '/media/upload', { key, body: { file: 'x' } });
	expect(json.status).toBe(400);
});

test('403 without media:write', async () => {
	const { id } = await s.tenant();
	const readOnly = (await s.control('POST', `/tenants/${id}/keys`, { scopes: ['media:read'] })).body.key;
	const res = await upload([{ bytes: 'x', type: 'text/plain', name: 'a.txt' }], { tenantKey: readOnly });
	expect(res.status).toBe(403);
	expect((await res.json()).detail.required_permissions).toEqual(['media:write']);
});
