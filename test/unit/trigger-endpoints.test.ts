import { disabledTriggerEndpoints } from '../../nodes/Lynkist/actions/endpointRevival';
import { offDescription, onDescription } from '../../nodes/shared/webhooks/endpoints';
import { ENDPOINT_DESCRIPTION_MAX } from '../../nodes/shared/constants';

const MESSAGE_EVENTS = ['message.sent', 'message.delivered'];

describe('trigger endpoint kept while its workflow is off', () => {
	it("says so in its description, once, within Lynkist's limit, and drops it again when back on", () => {
		const description = 'n8n: Order events (production URL)';
		const off = offDescription(description);
		expect(off).toMatch(/^n8n: Order events \(production URL\) \(workflow off in n8n; /);
		expect(offDescription(off)).toBe(off);
		expect(onDescription(off)).toBe(description);
		expect(onDescription(description)).toBe(description);

		const long = `n8n: ${'x'.repeat(ENDPOINT_DESCRIPTION_MAX)}`.slice(0, ENDPOINT_DESCRIPTION_MAX);
		expect(offDescription(long)).toHaveLength(ENDPOINT_DESCRIPTION_MAX);
	});

	it('is not switched back on by a send: only endpoints Lynkist disabled are', () => {
		const endpoints = [
			{ id: 'disabled', is_active: false, description: 'n8n: A (production URL)', events: MESSAGE_EVENTS },
			{ id: 'kept', is_active: false, description: offDescription('n8n: B (production URL)'), events: MESSAGE_EVENTS },
			{ id: 'active', is_active: true, description: 'n8n: C (production URL)', events: MESSAGE_EVENTS },
			{ id: 'not ours', is_active: false, description: 'CRM', events: MESSAGE_EVENTS },
			{ id: 'no message events', is_active: false, description: 'n8n: D (production URL)', events: ['contact.created'] },
		];
		expect(disabledTriggerEndpoints(endpoints).map((e) => e.id)).toEqual(['disabled']);
	});
});
