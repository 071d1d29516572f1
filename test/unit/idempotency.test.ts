import { idempotencyKey } from '../../nodes/Lynkist/helpers/idempotency';

const base = { executionId: '41', nodeId: 'node-1', itemIndex: 3, body: { to: '+15550100100', template_name: 'x', language: 'en' } };

describe('idempotencyKey', () => {
	it('is a UUID v4 in shape', () => {
		expect(idempotencyKey(base)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});

	it('is the same for the same execution, node, item and body, whatever the key order', () => {
		const reordered = { ...base, body: { language: 'en', template_name: 'x', to: '+15550100100' } };
		expect(idempotencyKey(reordered)).toBe(idempotencyKey(base));
	});

	it('differs when any part differs', () => {
		const key = idempotencyKey(base);
		expect(idempotencyKey({ ...base, executionId: '42' })).not.toBe(key);
		expect(idempotencyKey({ ...base, nodeId: 'node-2' })).not.toBe(key);
		expect(idempotencyKey({ ...base, itemIndex: 4 })).not.toBe(key);
		expect(idempotencyKey({ ...base, body: { ...base.body, to: '+15550100101' } })).not.toBe(key);
	});
});
