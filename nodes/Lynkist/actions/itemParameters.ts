/**
 * Reads an operation's parameters item by item as getNodeParameter would, with fewer trips into
 * n8n's expression sandbox: a parameter without expressions is read once per node run, and the
 * whole-value expressions (`={{ … }}`) of all the parameters asked for are evaluated together,
 * in one trip per item. Whatever that cannot take — a result that is not a string, a failing
 * expression, text around `{{ }}` — goes through getNodeParameter itself, so values, checks and
 * error messages stay n8n's own. (The parameters read here have no `validateType`, which only
 * getNodeParameter would apply.)
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { combinedExpression, fillLeaves, planParameter, type Plan } from '../helpers/expressionPlan';

type MappedPlan = Extract<Plan, { kind: 'mapped' }>;

export class ItemParameters {
	private readonly plans = new Map<string, Plan>();
	private readonly statics = new Map<string, unknown>();

	constructor(private readonly context: IExecuteFunctions) {}

	/** The parameters named in `wanted` (path → fallback) for one item. Treat the values as read-only. */
	read(itemIndex: number, wanted: Record<string, unknown>): Record<string, unknown> {
		const values: Record<string, unknown> = {};
		const mapped: Array<{ path: string; plan: MappedPlan }> = [];
		for (const [path, fallback] of Object.entries(wanted)) {
			const plan = this.plan(path, fallback);
			if (plan.kind === 'static') values[path] = this.staticValue(path, itemIndex, fallback);
			else if (plan.kind === 'mapped') mapped.push({ path, plan });
			else values[path] = this.context.getNodeParameter(path, itemIndex, fallback);
		}
		if (mapped.length === 0) return values;

		const results = this.evaluate(
			itemIndex,
			mapped.flatMap(({ plan }) => plan.leaves.map((leaf) => leaf.code)),
		);
		let offset = 0;
		for (const { path, plan } of mapped) {
			const own = results?.slice(offset, (offset += plan.leaves.length));
			values[path] = own?.every((value) => typeof value === 'string')
				? fillLeaves(plan.raw, plan.leaves, own)
				: this.context.getNodeParameter(path, itemIndex, wanted[path]);
		}
		return values;
	}

	private plan(path: string, fallback: unknown): Plan {
		let plan = this.plans.get(path);
		if (!plan) {
			plan = planParameter(this.context.getNodeParameter(path, 0, fallback, { rawExpressions: true }));
			this.plans.set(path, plan);
		}
		return plan;
	}

	/** Read at the first item that asks; a read that throws is not kept, so each item reports its own. */
	private staticValue(path: string, itemIndex: number, fallback: unknown): unknown {
		if (!this.statics.has(path)) this.statics.set(path, this.context.getNodeParameter(path, itemIndex, fallback));
		return this.statics.get(path);
	}

	/** Every code's result for the item, or undefined when the evaluation fails (n8n then reads each parameter). */
	private evaluate(itemIndex: number, codes: string[]): unknown[] | undefined {
		let results: unknown;
		try {
			results = this.context.evaluateExpression(combinedExpression(codes), itemIndex);
		} catch {
			return undefined;
		}
		return Array.isArray(results) && results.length === codes.length ? results : undefined;
	}
}
