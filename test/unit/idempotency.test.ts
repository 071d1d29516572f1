import { automaticKey, customKey, customKeyText, fingerprint, uuidFrom } from '../../nodes/Lynkist/helpers/idempotency';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const scope = { workflowId: 'wf-1', nodeId: 'node-1', origin: 'exec-41', runIndex: 0, itemIndex: 3 };
const message = { to: '+15550100100', template_name: 'x', language: 'en' };

describe('uuidFrom', () => {
	it('is a UUID v4 in shape, for any parts', () => {
		for (let i = 0; i < 200; i++) expect(uuidFrom([i, 'x'])).toMatch(UUID_V4);
	});
});

describe('automaticKey, message check (the default)', () => {
	const key = automaticKey('message', scope, message);

	it('is the same for the same message from the same node, whatever the execution, item or key order', () => {
		expect(
			automaticKey(
				'message',
				{ ...scope, origin: 'exec-42', itemIndex: 7, runIndex: 2 },
				{ language: 'en', template_name: 'x', to: '+15550100100' },
			),
		).toBe(key);
	});

	it('differs for another message, node or workflow', () => {
		expect(automaticKey('message', scope, { ...message, to: '+15550100101' })).not.toBe(key);
		expect(automaticKey('message', { ...scope, nodeId: 'node-2' }, message)).not.toBe(key);
		expect(automaticKey('message', { ...scope, workflowId: 'wf-2' }, message)).not.toBe(key);
	});
});

describe('automaticKey, execution check', () => {
	const key = automaticKey('execution', scope, message);

	it('differs per execution origin, run and item, and from the message check', () => {
		expect(automaticKey('execution', { ...scope }, message)).toBe(key);
		expect(automaticKey('execution', { ...scope, origin: 'exec-42' }, message)).not.toBe(key);
		expect(automaticKey('execution', { ...scope, itemIndex: 4 }, message)).not.toBe(key);
		expect(automaticKey('execution', { ...scope, runIndex: 1 }, message)).not.toBe(key);
		expect(key).not.toBe(automaticKey('message', scope, message));
	});
});

describe('custom keys', () => {
	it('turn any value into a UUID v4, the same value into the same one, per node', () => {
		expect(customKey(scope, 'order-C-1001')).toMatch(UUID_V4);
		const later = { ...scope, itemIndex: 9, origin: 'exec-50' };
		expect(customKey(scope, 'order-C-1001')).toBe(customKey(later, 'order-C-1001'));
		expect(customKey(scope, 'order-C-1002')).not.toBe(customKey(scope, 'order-C-1001'));
		expect(customKey({ ...scope, nodeId: 'node-2' }, 'order-C-1001')).not.toBe(customKey(scope, 'order-C-1001'));
	});

	it('read numbers as they print, trim text, and treat nothing as no key', () => {
		expect(customKeyText(1042)).toBe('1042');
		expect(customKeyText(' order-1 ')).toBe('order-1');
		expect(customKeyText(undefined)).toBe('');
		expect(customKeyText(null)).toBe('');
		expect(customKeyText(true)).toBe('true');
		expect(customKeyText({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
	});
});

it('fingerprint ignores key order and tells bodies apart', () => {
	expect(fingerprint({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(fingerprint({ b: [1, { d: 3, c: 2 }], a: 1 }));
	expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
});
