import { combinedExpression, fillLeaves, planParameter, wholeExpressionCode } from '../../nodes/Lynkist/helpers/expressionPlan';

describe('wholeExpressionCode', () => {
	it('is the code of a value that is exactly one {{ }}', () => {
		expect(wholeExpressionCode('={{ $json.phone }}')).toBe(' $json.phone ');
		expect(wholeExpressionCode('={{$json["a b"]}}')).toBe('$json["a b"]');
		expect(wholeExpressionCode('={{ $json.name // the name\n}}')).toBe(' $json.name // the name\n');
	});

	it('leaves text around {{ }}, several {{ }}, braces inside and $parameter to n8n', () => {
		expect(wholeExpressionCode('=Order {{ $json.order }}')).toBeUndefined();
		expect(wholeExpressionCode('={{ $json.order }} EUR')).toBeUndefined();
		expect(wholeExpressionCode('={{ $json.a }}{{ $json.b }}')).toBeUndefined();
		expect(wholeExpressionCode('={{ {a:{b:1}} }}')).toBeUndefined();
		expect(wholeExpressionCode('={{ $parameter["to"] }}')).toBeUndefined();
		expect(wholeExpressionCode('=plain text')).toBeUndefined();
		expect(wholeExpressionCode('{{ $json.a }}')).toBeUndefined();
	});
});

describe('planParameter', () => {
	it('a value without expressions is static', () => {
		expect(planParameter('+15550100100')).toEqual({ kind: 'static' });
		expect(planParameter({ concurrency: 5, idempotencyKey: 'x' })).toEqual({ kind: 'static' });
		expect(planParameter({ __rl: true, mode: 'id', value: 'f47ac10b' })).toEqual({ kind: 'static' });
		expect(planParameter(undefined)).toEqual({ kind: 'static' });
	});

	it('finds every whole-value expression and where it sits', () => {
		const raw = { header_1: '={{ $json.order }}', body_1: 'static', nested: ['={{ $json.a }}', 'b'] };
		expect(planParameter(raw)).toEqual({
			kind: 'mapped',
			raw,
			leaves: [
				{ at: ['header_1'], code: ' $json.order ' },
				{ at: ['nested', 0], code: ' $json.a ' },
			],
		});
		expect(planParameter('={{ $json.phone }}')).toEqual({
			kind: 'mapped',
			raw: '={{ $json.phone }}',
			leaves: [{ at: [], code: ' $json.phone ' }],
		});
	});

	it('one expression n8n must read itself makes the whole parameter its', () => {
		expect(planParameter({ a: '={{ $json.a }}', b: '=Hi {{ $json.b }}' })).toEqual({ kind: 'other' });
	});
});

describe('combinedExpression', () => {
	it('puts every code in one array, each on lines of its own', () => {
		expect(combinedExpression([' $json.a ', '$json.b // note'])).toBe('{{ [(\n $json.a \n),(\n$json.b // note\n)] }}');
	});
});

describe('fillLeaves', () => {
	it('puts each result where its expression was, without touching the raw value', () => {
		const raw = { header_1: '={{ $json.order }}', body_1: 'static', nested: ['={{ $json.a }}', 'b'] };
		const plan = planParameter(raw);
		if (plan.kind !== 'mapped') throw new Error('expected a mapped plan');
		expect(fillLeaves(raw, plan.leaves, ['ORD-1', 'A'])).toEqual({ header_1: 'ORD-1', body_1: 'static', nested: ['A', 'b'] });
		expect(raw.header_1).toBe('={{ $json.order }}');
	});

	it('a value that is one expression becomes its result', () => {
		expect(fillLeaves('={{ $json.phone }}', [{ at: [], code: ' $json.phone ' }], ['+1555'])).toBe('+1555');
	});
});
