import { RateGate } from '../../nodes/Lynkist/transport/rateGate';

const answer = (remaining: number, resetInMs: number) => ({
	'x-ratelimit-limit-minute': '100',
	'x-ratelimit-remaining-minute': String(remaining),
	'x-ratelimit-reset': String((Date.now() + resetInMs) / 1000),
});

describe('RateGate, shared by every run of one API key in a process', () => {
	it('counts the budget as scarce once a request had to wait for it, not before', async () => {
		const gate = new RateGate();
		const first = await gate.wait();
		gate.observe(200, answer(5, 300), first);
		expect(gate.scarce()).toBe(false);
		const second = await gate.wait();
		gate.observe(200, answer(0, 300), second);
		const started = Date.now();
		await gate.wait(); // nothing left: held until the reset
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
		expect(gate.scarce()).toBe(true);
		expect(gate.scarce(Date.now() + 61_000)).toBe(false);
	});

	it('paces its requests once Lynkist counts more than it sent: others spend the budget too', async () => {
		const gate = new RateGate();
		const a = await gate.wait();
		gate.observe(200, answer(90, 20_000), a);
		const b = await gate.wait();
		gate.observe(200, answer(60, 20_000), b); // 30 gone for 1 request of ours
		const started = Date.now();
		for (let i = 0; i < 3; i++) await gate.wait();
		// about 60 left over 20 s: one every ~330 ms (a window long enough that a busy machine's
		// stalls cannot end it before the requests are paced)
		expect(Date.now() - started).toBeGreaterThanOrEqual(60);
		expect(gate.scarce()).toBe(true);
	});
});
