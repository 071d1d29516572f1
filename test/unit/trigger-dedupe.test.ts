import { DeliveryMemory, shortId } from '../../nodes/LynkistTrigger/dedupe';

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

describe('DeliveryMemory.accept: the record every n8n process shares', () => {
	it('accepts a new delivery and records both of its ids, hashed', () => {
		const memory = new DeliveryMemory();
		expect(memory.accept(['delivery:d1', 'event:e1'], undefined, 5000)).toBe(true);
		expect(memory.shared).toEqual({ [shortId('delivery:d1')]: 5, [shortId('event:e1')]: 5 });
	});

	it('refuses on another process a delivery the record holds, and keeps what it loaded', () => {
		const first = new DeliveryMemory();
		first.accept(['delivery:d1', 'event:e1'], undefined, 0);
		const saved = { ...first.shared };
		const otherProcess = new DeliveryMemory();
		expect(otherProcess.accept(['delivery:d1', 'event:e1'], saved, 3000)).toBe(false);
		expect(otherProcess.accept(['delivery:d9', 'event:e1'], saved, 3000)).toBe(false);
		expect(otherProcess.shared).toEqual(saved); // and it keeps what it loaded
	});

	it('keeps one record object, so a save made later writes what the process knows then', () => {
		const memory = new DeliveryMemory();
		memory.accept(['delivery:d1'], {}, 0);
		const heldByFirstRequest = memory.shared;
		memory.accept(['delivery:d2'], {}, 10);
		expect(Object.keys(heldByFirstRequest).sort()).toEqual(['delivery:d1', 'delivery:d2'].map(shortId).sort());
	});

	it("takes in what it loads, so another process's entries survive its next save", () => {
		const a = new DeliveryMemory();
		const b = new DeliveryMemory();
		a.accept(['delivery:d1'], {}, 0);
		b.accept(['delivery:d2'], { ...a.shared }, 10);
		expect(Object.keys(b.shared).sort()).toEqual(['delivery:d1', 'delivery:d2'].map(shortId).sort());
		expect(a.accept(['delivery:d2'], {}, 20)).toBe(true); // a record saved over by an older copy cannot tell
		expect(b.accept(['delivery:d1'], {}, 30)).toBe(false); // but what a process once loaded, it keeps
	});

	it('forgets entries older than the window and keeps the newest when over the cap', () => {
		expect(new DeliveryMemory().accept(['delivery:old'], { [shortId('delivery:old')]: 0 }, 25 * HOUR)).toBe(true);
		const memory = new DeliveryMemory(24 * HOUR, 1000, 10);
		for (let i = 0; i < 11; i++) memory.accept([`delivery:d${i}`], undefined, i * 1000);
		expect(Object.keys(memory.shared).sort()).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => shortId(`delivery:d${i}`)).sort());
	});
});
