import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { detailText, errorItem, explainLynkistError, forItem, itemRanges, reworded } from '../../nodes/shared/helpers/errors';

const node = { id: 'n1', name: 'Lynkist', type: 'n8n-nodes-lynkist.lynkist', typeVersion: 1, position: [0, 0], parameters: {} } as INode;

describe('forItem', () => {
	it('gives each item its own error when one shared failure reaches several items', () => {
		const shared = new NodeApiError(
			node,
			{ detail: 'Template not found' },
			{ message: 'Not found', description: 'Check the ID', httpCode: '404', itemIndex: 0 },
		);
		const second = forItem(shared, 4);
		expect(second).toBeInstanceOf(NodeApiError);
		expect(second).not.toBe(shared);
		expect(second.context.itemIndex).toBe(4);
		expect(shared.context.itemIndex).toBe(0);
		expect([second.message, second.description, second.httpCode]).toEqual(['Not found', 'Check the ID', '404']);
		expect(forItem(shared, 0)).toBe(shared);
	});

	it('names the item on an error that names none', () => {
		const error = new NodeOperationError(node, 'bad');
		expect(forItem(error, 2).context.itemIndex).toBe(2);
	});
});

describe('itemRanges', () => {
	it('counts items from 1 and joins runs', () => {
		expect(itemRanges([0, 1, 2, 3, 4, 6, 7, 8, 9])).toBe('1–5, 7–10');
		expect(itemRanges([5, 0, 2])).toBe('1, 3, 6');
		expect(itemRanges([])).toBe('');
	});
});

describe('detailText', () => {
	it('reads the string form', () => {
		expect(detailText({ detail: 'Invalid or revoked API key' })).toBe('Invalid or revoked API key');
	});

	it('reads the object form by its message', () => {
		expect(detailText({ detail: { message: 'Missing required scope(s): messages:send' } })).toBe(
			'Missing required scope(s): messages:send',
		);
	});

	it('joins the validation-list form with where each problem is', () => {
		const body = {
			detail: [
				{ loc: ['body', 'template_name'], msg: 'must be lowercase', type: 'value_error' },
				{ loc: ['body', 'components', 0, 'text'], msg: 'field required', type: 'missing' },
			],
		};
		expect(detailText(body)).toBe('template_name: must be lowercase; components.0.text: field required');
	});

	it('copes with no body at all', () => {
		expect(detailText(undefined)).toBe('');
		expect(detailText('upstream timeout')).toBe('upstream timeout');
	});
});

describe('explainLynkistError', () => {
	it('401 tells the user to replace the key', () => {
		const e = explainLynkistError(401, { detail: 'Invalid or revoked API key' });
		expect(e.message).toMatch(/invalid or revoked/);
		expect(e.description).toMatch(/credential/);
	});

	it('403 with scopes names the missing scope and what the key has', () => {
		const e = explainLynkistError(403, {
			detail: {
				message: 'Missing required scope(s): messages:send',
				required_permissions: ['messages:send'],
				current_permissions: ['templates:read'],
			},
		});
		expect(e.message).toBe('The Lynkist API key is missing the scope messages:send');
		expect(e.description).toMatch(/The key has: templates:read/);
	});

	it('403 for the plan says to enable API access', () => {
		const e = explainLynkistError(403, { detail: 'API access is not enabled for your plan' });
		expect(e.message).toMatch(/plan does not include API access/);
	});

	it('404 without a WABA says to connect one', () => {
		const e = explainLynkistError(404, { detail: 'No active WABA account for this tenant' });
		expect(e.description).toMatch(/Connect a WhatsApp Business Account/);
	});

	it("409 and 422 carry Lynkist's detail", () => {
		expect(explainLynkistError(409, { detail: 'already exists' }).message).toMatch(/already exists/);
		expect(explainLynkistError(422, { detail: [{ loc: ['body', 'to'], msg: 'bad' }] }).message).toMatch(/to: bad/);
	});

	it('429 and 5xx say retries did not get through', () => {
		expect(explainLynkistError(429, { detail: 'Rate limit exceeded. Please slow down.' }).message).toMatch(/rate limit/i);
		expect(explainLynkistError(504, { detail: 'Upstream timeout' }).message).toMatch(/504.*Upstream timeout/);
	});
});

describe('errorItem', () => {
	const error = new NodeOperationError(node, 'Bad phone', { itemIndex: 2, description: 'Use the full number.' });

	it('for the regular output: the error and its words side by side, paired to the item', () => {
		expect(errorItem(error, 2)).toEqual({
			json: { error: 'Bad phone', description: 'Use the full number.', httpCode: undefined, detail: undefined, requestId: undefined },
			pairedItem: { item: 2 },
		});
	});

	it('for the error output: only error and details, the keys with which n8n routes an item there', () => {
		const { json } = errorItem(error, 2, true);
		expect(Object.keys(json)).toEqual(['error', 'details']);
		expect(json.details).toMatchObject({ description: 'Use the full number.' });
	});
});

describe('reworded', () => {
	it('gives one item a copy with its own message and a sentence more, and leaves the shared error as it was', () => {
		const shared = new NodeApiError(
			node,
			{ detail: 'x' },
			{ message: 'Forbidden', description: 'Add the scope.', httpCode: '403', itemIndex: 0 },
		);
		const copy = reworded(shared, 2, 'Item 3: the upload failed: Forbidden', 'The template was not created.');
		expect(copy).toBeInstanceOf(NodeApiError);
		expect([copy.message, copy.description, copy.httpCode, copy.context.itemIndex]).toEqual([
			'Item 3: the upload failed: Forbidden',
			'Add the scope. The template was not created.',
			'403',
			2,
		]);
		expect([shared.message, shared.description, shared.context.itemIndex]).toEqual(['Forbidden', 'Add the scope.', 0]);
		const plain = reworded(new NodeOperationError(node, 'Bad'), 0, 'Item 1: bad');
		expect([plain.message, plain.description]).toEqual(['Item 1: bad', '']);
	});
});
