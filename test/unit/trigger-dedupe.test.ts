import { DeliveryMemory, judgeDelivery, shortId } from '../../nodes/LynkistTrigger/dedupe';

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

describe('judgeDelivery: the record every n8n process shares', () => {
	it('accepts a new delivery and records both of its ids, hashed', () => {
		const verdict = judgeDelivery(new DeliveryMemory(), undefined, ['delivery:d1', 'event:e1'], 5000);
		expect(verdict.first).toBe(true);
		expect(verdict.shared).toEqual({ [shortId('delivery:d1')]: 5, [shortId('event:e1')]: 5 });
	});

	it('refuses on another process a delivery the record holds, and saves nothing', () => {
		const { shared } = judgeDelivery(new DeliveryMemory(), undefined, ['delivery:d1', 'event:e1'], 0);
		const otherProcess = new DeliveryMemory();
		expect(judgeDelivery(otherProcess, shared, ['delivery:d1', 'event:e1'], 3000)).toEqual({ first: false });
		expect(judgeDelivery(otherProcess, shared, ['delivery:d9', 'event:e1'], 3000).first).toBe(false);
	});

	it("puts back an entry another process's save of an older copy overwrote", () => {
		const a = new DeliveryMemory();
		const b = new DeliveryMemory();
		judgeDelivery(a, {}, ['delivery:d1'], 0); // A saves {d1}
		const fromB = judgeDelivery(b, {}, ['delivery:d2'], 10).shared; // B loaded {} before A saved: saves {d2}
		expect(Object.keys(fromB ?? {})).toEqual([shortId('delivery:d2')]);
		const fromA = judgeDelivery(a, fromB, ['delivery:d3'], 20).shared; // A's next save has all three
		expect(Object.keys(fromA ?? {}).sort()).toEqual(['delivery:d1', 'delivery:d2', 'delivery:d3'].map(shortId).sort());
	});

	it('forgets entries older than the window and keeps the newest when over the cap', () => {
		const old = { [shortId('delivery:old')]: 0 };
		const later = 25 * HOUR;
		expect(judgeDelivery(new DeliveryMemory(), old, ['delivery:old'], later).first).toBe(true);
		const memory = new DeliveryMemory();
		let shared;
		for (let i = 0; i < 10; i++) shared = judgeDelivery(memory, shared, [`delivery:d${i}`], i * 1000, { max: 4 }).shared;
		expect(Object.keys(shared ?? {})).toEqual(['d6', 'd7', 'd8', 'd9'].map((d) => shortId(`delivery:${d}`)));
	});
});
