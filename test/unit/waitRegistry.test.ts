import { WAIT_RECORD_GONE_MS, WAIT_RECORD_GRACE_MS } from '../../nodes/Lynkist/helpers/waitConstants';
import {
	covers,
	emptyRegistry,
	firstAsker,
	mergeRegistries,
	readRegistry,
	type WaitRecord,
	waitsFor,
	withoutWait,
	withWait,
} from '../../nodes/Lynkist/helpers/waitRegistry';
import { unservableReason } from '../../nodes/Lynkist/actions/message/replyEndpoint';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const wait = (to: string, extra: Partial<WaitRecord> = {}): WaitRecord => ({
	url: `https://n8n.example/webhook-waiting/${to}`,
	to,
	until: 0,
	q: `q${to}`,
	at: NOW - 1000,
	...extra,
});

describe('the record of waits', () => {
	it('two writers that each lost the other’s entry: the merge has both', () => {
		const a = withWait(emptyRegistry(), '1', wait('+15550001'));
		const b = withWait(emptyRegistry(), '2', wait('+15550002'));
		const merged = mergeRegistries(a, b, NOW);
		expect(Object.keys(merged.waits).sort()).toEqual(['1', '2']);
		expect(covers(a, merged)).toBe(false);
		expect(covers(merged, a)).toBe(true);
	});

	it('an ended wait is not added back by a process that still knows it', () => {
		const stale = withWait(emptyRegistry(), '1', wait('+15550001'));
		const ended = withoutWait(stale, '1', NOW);
		const merged = mergeRegistries(ended, stale, NOW);
		expect(merged.waits).toEqual({});
		expect(merged.gone).toEqual({ '1': NOW });
		expect(covers(ended, stale)).toBe(true);
	});

	it('a wait past its time limit and grace is dropped; within the grace it is kept', () => {
		const registry = withWait(
			withWait(emptyRegistry(), '1', wait('+15550001', { until: NOW - WAIT_RECORD_GRACE_MS - 1 })),
			'2',
			wait('+15550002', { until: NOW - 1000 }),
		);
		expect(Object.keys(mergeRegistries(registry, emptyRegistry(), NOW).waits)).toEqual(['2']);
		expect(waitsFor(registry, '+15550001', NOW)).toEqual([]);
		expect(waitsFor(registry, '+15550002', NOW)).toHaveLength(1);
	});

	it('marks of ended waits are forgotten after their time', () => {
		const registry = { waits: {}, gone: { old: NOW - WAIT_RECORD_GONE_MS - 1, recent: NOW - 1000 } };
		expect(mergeRegistries(registry, emptyRegistry(), NOW).gone).toEqual({ recent: NOW - 1000 });
	});

	it('waits for a number: only that number’s', () => {
		const registry = withWait(
			withWait(withWait(emptyRegistry(), '1', wait('+15550001')), '2', wait('+15550002')),
			'3',
			wait('+15550001', { q: 'other' }),
		);
		expect(waitsFor(registry, '+15550001', NOW).map(([id]) => id)).toEqual(['1', '3']);
	});

	it('the same question recorded twice: every process names the same first asker', () => {
		const registry = withWait(
			withWait(emptyRegistry(), '7', wait('+1', { q: 'same', at: NOW - 10 })),
			'5',
			wait('+1', { q: 'same', at: NOW - 10 }),
		);
		expect(firstAsker(registry, '7', 'same', NOW)).toBe('5');
		expect(firstAsker(registry, '5', 'same', NOW)).toBeUndefined();
		const earlier = withWait(registry, '9', wait('+1', { q: 'same', at: NOW - 20 }));
		expect(firstAsker(earlier, '5', 'same', NOW)).toBe('9');
	});

	it('reads what static data holds, leaving out what is not a record', () => {
		expect(readRegistry(undefined)).toEqual(emptyRegistry());
		expect(readRegistry({ waits: { '1': wait('+1'), '2': { url: 1 } }, gone: { '3': 5, '4': 'x' } })).toEqual({
			waits: { '1': wait('+1') },
			gone: { '3': 5 },
		});
	});
});

describe('the reply endpoint’s URL', () => {
	it('n8n cannot serve a node name that needed encoding: the reason says how to fix it', () => {
		expect(unservableReason('https://n8n.example/webhook/9d4f6b8a-2c1e-4f3a-8b5d-7e9c1a3f5b24/replies', 'Ask')).toBeUndefined();
		expect(unservableReason('https://n8n.example/webhook/wf1/ask/replies', 'Ask')).toBeUndefined();
		expect(unservableReason('https://n8n.example/webhook/wf1/ask%20the%20customer/replies', 'Ask the customer')).toMatch(
			/^n8n cannot serve a webhook URL with this node's name "Ask the customer" in it: rename the node .* or duplicate it/,
		);
	});
});
