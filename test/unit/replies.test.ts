import {
	answerOf,
	parseWaiting,
	payloadComponents,
	quickReplyButtons,
	replyPayload,
	serializeWaiting,
	timedOutOutput,
	unreachableReason,
	type Waiting,
} from '../../nodes/Lynkist/helpers/replies';
import { waitLimitOf } from '../../nodes/Lynkist/actions/message/waitEndpoints';
import { seal, sealText, unseal, unsealText, withSealed } from '../../nodes/Lynkist/helpers/sealedSecret';

const SENT_AT = Date.parse('2026-12-02T10:00:00.000Z');
const waiting: Waiting = {
	endpointId: '3f0c1a52-5a49-4b8e-9d61-0f3c0f7e1a11',
	secret: `whsec_${'ab'.repeat(32)}`,
	messageId: 'wamid.HBgMNTU1MDEwMDIwMRUCABEYEjk4NzY1NDMyMTBBQkNERUYA',
	to: '+15550100201',
	sentAt: SENT_AT,
};
const NOW = '2026-12-02T10:05:00.000Z';
const later = '2026-12-02T10:01:00.000Z';
const tap = (index: number, text: string, extra: Record<string, unknown> = {}) => ({
	message_id: 'wamid.reply1',
	from: '+15550100201',
	context: { message_id: waiting.messageId },
	button: { payload: replyPayload(index), text },
	timestamp: later,
	...extra,
});
const typed = (text: string, extra: Record<string, unknown> = {}) => ({
	message_id: 'wamid.reply2',
	from: '+15550100201',
	text,
	timestamp: later,
	...extra,
});

const TEMPLATE = {
	template_name: 'confirm_slot',
	language: 'en',
	components: [
		{ type: 'BODY', text: 'Does {{1}} suit you?' },
		{
			type: 'BUTTONS',
			buttons: [
				{ type: 'QUICK_REPLY', text: 'Yes' },
				{ type: 'URL', text: 'Other time', url: 'https://x.example/slots' },
				{ type: 'QUICK_REPLY', text: 'No' },
			],
		},
	],
};

describe('what a waiting execution keeps', () => {
	it('round-trips through its custom data, within n8n’s 255 characters with a Meta-length message id', () => {
		const value = serializeWaiting(waiting);
		expect(value.length).toBeLessThanOrEqual(255);
		expect(parseWaiting(value)).toEqual(waiting);
	});

	it('anything else is not a waiting record', () => {
		for (const value of [undefined, '', 'x', '{"w":1}', '[]', 42]) expect(parseWaiting(value)).toBeUndefined();
	});
});

describe('quick-reply buttons', () => {
	it('are indexed among all buttons, and each gets a payload naming it', () => {
		expect(quickReplyButtons(TEMPLATE)).toEqual([
			{ index: 0, text: 'Yes' },
			{ index: 2, text: 'No' },
		]);
		expect(payloadComponents(TEMPLATE)).toEqual([
			{ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'lynkist-reply:0' }] },
			{ type: 'button', sub_type: 'quick_reply', index: '2', parameters: [{ type: 'payload', payload: 'lynkist-reply:2' }] },
		]);
		expect(quickReplyButtons({ components: [{ type: 'BODY', text: 'Hi' }] })).toEqual([]);
	});
});

describe('answerOf', () => {
	it('a tap on a button answers a button wait, naming the button by text and index', () => {
		const outcome = answerOf('message.received', tap(2, 'No'), waiting, 'button', NOW);
		expect(outcome).toEqual({
			resume: {
				status: 'replied',
				timedOut: false,
				replyType: 'button',
				reply: 'No',
				button: { index: 2, text: 'No', payload: 'lynkist-reply:2' },
				text: null,
				from: '+15550100201',
				to: '+15550100201',
				messageId: waiting.messageId,
				sentAt: '2026-12-02T10:00:00.000Z',
				replyMessageId: 'wamid.reply1',
				answersMessage: true,
				repliedAt: later,
			},
		});
	});

	it('text answers a text wait, with or without the reply context; either takes both', () => {
		expect(answerOf('message.received', typed('11 is better'), waiting, 'text', NOW)).toMatchObject({
			resume: { replyType: 'text', reply: '11 is better', text: '11 is better', button: null, answersMessage: false },
		});
		expect(answerOf('message.received', typed('ok', { context: { message_id: waiting.messageId } }), waiting, 'text', NOW)).toMatchObject({
			resume: { reply: 'ok', answersMessage: true },
		});
		expect(answerOf('message.received', tap(0, 'Yes'), waiting, 'either', NOW)).toMatchObject({ resume: { replyType: 'button' } });
		expect(answerOf('message.received', typed('yes'), waiting, 'either', NOW)).toMatchObject({ resume: { replyType: 'text' } });
	});

	it('a text without the reply context stamped in the same whole second as the question, or by a clock a little behind, answers it', () => {
		const sentAt = SENT_AT + 700; // the question went out at 10:00:00.700
		for (const timestamp of ['2026-12-02T10:00:00Z', '2026-12-02T09:59:50Z'])
			expect(answerOf('message.received', typed('yes', { timestamp }), { ...waiting, sentAt }, 'text', NOW)).toHaveProperty('resume');
	});

	it('the number is compared as E.164, whatever its spelling', () => {
		expect(answerOf('message.received', typed('hi', { from: '+1 555 010 0201' }), waiting, 'text', NOW)).toHaveProperty('resume');
	});

	it.each([
		['another number', 'message.received', tap(0, 'Yes', { from: '+15550100299' }), 'button', 'from another number'],
		[
			'a reply to another message',
			'message.received',
			tap(0, 'Yes', { context: { message_id: 'wamid.other' } }),
			'button',
			'answers another message',
		],
		['text for a button wait', 'message.received', typed('yes'), 'button', 'not a button reply'],
		['a tap for a text wait', 'message.received', tap(0, 'Yes'), 'text', 'not a text reply'],
		[
			'text sent before the question',
			'message.received',
			typed('hello', { timestamp: '2026-12-02T09:59:29Z' }),
			'text',
			'sent before the question',
		],
		[
			'the failure of another message',
			'message.failed',
			{ message_id: 'wamid.other', error: { code: 131026 } },
			'button',
			'another message failed',
		],
		['another event', 'message.read', { message_id: waiting.messageId }, 'button', 'event message.read'],
		['no data', 'message.received', null, 'either', 'no event data'],
	])('ignores %s', (_, type, data, replyType, reason) => {
		expect(answerOf(type, data, waiting, replyType as 'button', NOW)).toEqual({ ignore: reason });
	});

	it('the failure of the sent message ends the wait with it', () => {
		const data = {
			message_id: waiting.messageId,
			error: { code: 131026, title: 'Message undeliverable', message: 'Not on WhatsApp' },
			timestamp: later,
		};
		expect(answerOf('message.failed', data, waiting, 'button', NOW)).toEqual({
			resume: {
				status: 'failed',
				timedOut: false,
				reply: null,
				to: waiting.to,
				messageId: waiting.messageId,
				sentAt: '2026-12-02T10:00:00.000Z',
				failedAt: later,
				error: { code: 131026, title: 'Message undeliverable', message: 'Not on WhatsApp' },
			},
		});
	});
});

describe('the rest', () => {
	it('the timed-out output says so plainly', () => {
		expect(timedOutOutput(waiting, new Date('2026-12-02T11:00:00Z'))).toEqual({
			status: 'timedOut',
			timedOut: true,
			reply: null,
			to: waiting.to,
			messageId: waiting.messageId,
			sentAt: '2026-12-02T10:00:00.000Z',
			waitedUntil: '2026-12-02T11:00:00.000Z',
		});
	});

	it.each([
		['https://n8n.example.com/webhook-waiting/1/abc?signature=x', undefined],
		['http://127.0.0.1:5678/webhook-waiting/1/abc', undefined],
		['http://localhost:5678/webhook-waiting/1/abc', undefined],
		[
			'http://n8n.internal:5678/webhook-waiting/1/abc',
			"Lynkist only delivers replies to https:// addresses, and this n8n's address is http://n8n.internal:5678",
		],
		[
			'http://192.168.1.20:5678/x',
			"Lynkist only delivers replies to https:// addresses, and this n8n's address is http://192.168.1.20:5678",
		],
	])('Lynkist can reach %s: %s', (url, reason) => {
		expect(unreachableReason(url)).toBe(reason);
	});

	it('a wait endpoint’s description carries its time limit', () => {
		expect(waitLimitOf('n8n Send and Wait: Ask, execution 12 · until 2026-12-02T11:00:00.000Z')).toBe(Date.parse('2026-12-02T11:00:00Z'));
		expect(waitLimitOf('n8n Send and Wait: Ask, execution 12')).toBeUndefined();
	});
});

describe('a renewed wait secret sealed in the endpoint description', () => {
	const registered = `whsec_${'ab'.repeat(32)}`;
	const renewed = { secret: `whsec_${'cd'.repeat(32)}`, at: '2026-12-02T10:00:00Z' };
	const base = 'n8n Send and Wait: Ask, execution 42 · question 0123456789abcdef · until 2026-12-03T10:00:00.000Z';

	it('opens only with the secret the endpoint was registered with, and sits before the time limit', () => {
		const described = withSealed(base, seal(renewed, registered), ' · until ', 500);
		expect(described).toMatch(
			/^n8n Send and Wait: Ask, execution 42 · question 0123456789abcdef · key [\w-]+ · until 2026-12-03T10:00:00.000Z$/,
		);
		expect(waitLimitOf(described)).toBe(Date.parse('2026-12-03T10:00:00.000Z'));
		expect(unseal(described, registered)).toEqual(renewed);
		expect(unseal(described, `whsec_${'ef'.repeat(32)}`)).toBeUndefined();
		expect(unseal(base, registered)).toBeUndefined();
	});

	it('a second renewal replaces the first, and the description stays within its length', () => {
		const once = withSealed(base, seal(renewed, registered), ' · until ', 500);
		const next = { secret: `whsec_${'01'.repeat(32)}`, at: '2026-12-02T11:00:00Z' };
		const twice = withSealed(once, seal(next, registered), ' · until ', 500);
		expect(twice.split(' · key ')).toHaveLength(2);
		expect(unseal(twice, registered)).toEqual(next);
		const long = withSealed(
			`n8n Send and Wait: ${'x'.repeat(480)} · until 2026-12-03T10:00:00.000Z`,
			seal(next, registered),
			' · until ',
			500,
		);
		expect(long.length).toBeLessThanOrEqual(500);
		expect(unseal(long, registered)).toEqual(next);
	});
});

describe("a wait record sealed in a waiting step's input (n8n 1.x)", () => {
	it('opens only with the key material it was sealed with; a changed blob opens to nothing', () => {
		const record = JSON.stringify({ w: 'endpoint', s: `whsec_${'ab'.repeat(32)}`, to: '+15550100001' });
		const blob = sealText(record, 'wait record|key one');
		expect(blob).not.toContain('whsec_');
		expect(unsealText(blob, 'wait record|key one')).toBe(record);
		expect(unsealText(blob, 'wait record|key two')).toBeUndefined();
		expect(unsealText(`${blob.slice(0, -2)}AA`, 'wait record|key one')).toBeUndefined();
	});
});
