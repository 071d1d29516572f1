import { asEnvelope, isoTime, normaliseEvent } from '../../nodes/shared/webhooks/envelope';

const info = { deliveryId: 'dlv_1', webhookId: 'wh_1' };

describe('normaliseEvent', () => {
	it('a contact event carries the contact as Lynkist sends it, and its id', () => {
		const contact = {
			id: 'c-1',
			first_name: 'Ada',
			last_name: null,
			phone: '+15550100001',
			tags: ['vip'],
			custom_fields: { opted_out: 'no' },
			created_at: '2026-01-02T03:04:00Z',
			updated_at: '2026-01-02T03:04:05Z',
		};
		expect(normaliseEvent({ id: 'evt_3', type: 'contact.updated', data: contact }, info, false)).toEqual({
			event: 'contact.updated',
			contactId: 'c-1',
			contact,
			timestamp: '2026-01-02T03:04:05.000Z',
			eventId: 'evt_3',
			deliveryId: 'dlv_1',
			webhookId: 'wh_1',
		});
	});

	it('a follow-up event carries the follow-up, its id and its contact', () => {
		const followUp = { id: 'f-1', contact_id: 'c-1', title: 'Call back', due_at: '2026-01-03T09:00:00Z' };
		expect(normaliseEvent({ type: 'followup.created', created_at: '2026-01-02T03:04:05Z', data: followUp }, info, false)).toEqual({
			event: 'followup.created',
			followUpId: 'f-1',
			contactId: 'c-1',
			followUp,
			timestamp: '2026-01-02T03:04:05.000Z',
			deliveryId: 'dlv_1',
			webhookId: 'wh_1',
		});
	});

	it('a reply names the message it answers and the button tapped', () => {
		const envelope = {
			id: 'evt_2',
			type: 'message.received',
			data: {
				message_id: 'wamid.2',
				from: '+15550100001',
				context: { message_id: 'wamid.1' },
				button: { payload: 'lynkist-reply:0', text: 'Yes' },
				timestamp: '2026-01-02T03:04:04Z',
			},
		};
		expect(normaliseEvent(envelope, info, false)).toMatchObject({
			event: 'message.received',
			messageId: 'wamid.2',
			from: '+15550100001',
			replyToMessageId: 'wamid.1',
			buttonText: 'Yes',
			buttonPayload: 'lynkist-reply:0',
		});
	});

	it('flattens a lifecycle event', () => {
		const envelope = {
			id: 'evt_1',
			type: 'message.delivered',
			created_at: '2026-01-02T03:04:05.000Z',
			data: {
				message_id: 'wamid.1',
				to: '+15550100001',
				status: 'delivered',
				template_name: 'order_confirmation',
				language: 'en_US',
				timestamp: '2026-01-02T03:04:04Z',
			},
		};
		expect(normaliseEvent(envelope, info, false)).toEqual({
			event: 'message.delivered',
			messageId: 'wamid.1',
			to: '+15550100001',
			status: 'delivered',
			timestamp: '2026-01-02T03:04:04.000Z',
			templateName: 'order_confirmation',
			language: 'en_US',
			eventId: 'evt_1',
			deliveryId: 'dlv_1',
			webhookId: 'wh_1',
		});
	});

	it('adds the error of a failed message', () => {
		const item = normaliseEvent(
			{
				type: 'message.failed',
				data: { message_id: 'wamid.2', error: { code: 131026, title: 'Message undeliverable', message: 'Unable to deliver' } },
			},
			info,
			false,
		);
		expect(item).toMatchObject({
			event: 'message.failed',
			status: 'failed',
			errorCode: 131026,
			errorTitle: 'Message undeliverable',
			errorMessage: 'Unable to deliver',
		});
	});

	it('gives the sender and text of a received message, and no `to`', () => {
		const item = normaliseEvent(
			{ type: 'message.received', data: { message_id: 'wamid.3', from: '+4915112345678', text: 'Hi', timestamp: 1_760_000_000 } },
			info,
			false,
		);
		expect(item).toMatchObject({ from: '+4915112345678', text: 'Hi', timestamp: '2025-10-09T08:53:20.000Z' });
		expect(item).not.toHaveProperty('to');
	});

	it('falls back to the envelope time and carries the raw payload when asked', () => {
		const envelope = { type: 'message.read', created_at: '2026-01-02T03:04:05Z', data: { timestamp: 'not a time' } };
		const item = normaliseEvent(envelope, {}, true);
		expect(item.timestamp).toBe('2026-01-02T03:04:05.000Z');
		expect(item.raw).toBe(envelope);
	});
});

describe('asEnvelope', () => {
	it.each([[null], [[]], ['text'], [{}], [{ type: 1 }]])('rejects %j', (body) => {
		expect(asEnvelope(body)).toBeUndefined();
	});
});

describe('isoTime', () => {
	it('reads ISO strings, unix seconds and milliseconds', () => {
		expect(isoTime('2026-01-02T03:04:05+01:00')).toBe('2026-01-02T02:04:05.000Z');
		expect(isoTime(1_760_000_000)).toBe(isoTime(1_760_000_000_000));
		expect(isoTime('1760000000')).toBe('2025-10-09T08:53:20.000Z');
		expect(isoTime(undefined)).toBeUndefined();
	});
});
