import { RateGate } from '../../nodes/shared/transport/rateGate';

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

	it("keeps what is left of today's budget as last seen: unknown before an answer names it, 0 until the reset after a daily 429", () => {
		const gate = new RateGate();
		expect(gate.today()).toBeUndefined();
		gate.observe(200, answer(50, 30_000));
		expect(gate.today()).toBeUndefined(); // no day header
		const day = { 'x-ratelimit-limit-day': '60', 'x-ratelimit-remaining-day': '59' };
		gate.observe(200, { ...answer(50, 1_000), ...day });
		const today = gate.today()!;
		expect(today).toMatchObject({ remaining: 59, limit: 60 });
		expect(today.resetAt % 86_400_000).toBe(0); // the end of the UTC day
		expect(gate.today(today.resetAt)).toBeUndefined(); // that day has ended
		gate.observe(429, { ...answer(50, 30_000), ...day, 'x-ratelimit-remaining-day': '0', 'retry-after': '3600' });
		expect(gate.today()).toMatchObject({ remaining: 0, limit: 60, resetAt: expect.any(Number) });
		expect(gate.today()!.resetAt - Date.now()).toBeGreaterThan(3_500_000);
	});
});
