import { DeliveryMemory } from '../../nodes/LynkistTrigger/dedupe';

const HOUR = 3_600_000;

describe('DeliveryMemory', () => {
	it('says a delivery id is new once, then a repeat', () => {
		const memory = new DeliveryMemory();
		expect(memory.firstTime(['delivery:d1'], 0)).toBe(true);
		expect(memory.firstTime(['delivery:d1'], 1000)).toBe(false);
		expect(memory.firstTime(['delivery:d2'], 2000)).toBe(true);
	});

	it('treats a delivery as a repeat when either of its ids was seen', () => {
		const memory = new DeliveryMemory();
		memory.firstTime(['delivery:d1', 'event:e1'], 0);
		expect(memory.firstTime(['delivery:d9', 'event:e1'], 1)).toBe(false);
		expect(memory.firstTime(['delivery:d1', 'event:e9'], 2)).toBe(false);
	});

	it('forgets an id after the 24 h window', () => {
		const memory = new DeliveryMemory();
		memory.firstTime(['d1'], 0);
		expect(memory.firstTime(['d1'], 24 * HOUR - 1)).toBe(false);
		expect(memory.firstTime(['d1'], 24 * HOUR)).toBe(true);
	});

	it('keeps at most the cap, forgetting the oldest first', () => {
		const memory = new DeliveryMemory(24 * HOUR, 3);
		for (const id of ['a', 'b', 'c', 'd']) memory.firstTime([id], 0);
		expect(memory.size).toBe(3);
		expect(memory.firstTime(['d'], 1)).toBe(false);
		expect(memory.firstTime(['a'], 1)).toBe(true);
	});

	it('stays bounded under a long stream of distinct ids', () => {
		const memory = new DeliveryMemory(HOUR, 1000);
		for (let i = 0; i < 10_000; i++) memory.firstTime([`d${i}`], i * 1000);
		expect(memory.size).toBeLessThanOrEqual(1000);
	});
});
