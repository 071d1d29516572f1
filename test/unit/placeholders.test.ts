import {
	countVariables,
	listPlaceholders,
	malformedPlaceholders,
	numberedFromOne,
	placeholderNumbers,
} from '../../nodes/Lynkist/helpers/placeholders';

describe('placeholderNumbers', () => {
	it('finds each numbered placeholder once, ascending', () => {
		expect(placeholderNumbers('Hi {{2}}, order {{1}} for {{2}}')).toEqual([1, 2]);
		expect(placeholderNumbers('{{10}} and {{3}}')).toEqual([3, 10]);
	});

	it('ignores braces that are not numbered placeholders, and non-text', () => {
		expect(placeholderNumbers('Hi {{name}} {{ 1 }} {{0}}')).toEqual([]);
		expect(placeholderNumbers(undefined)).toEqual([]);
	});
});

describe('malformedPlaceholders', () => {
	it('names named, spaced and zero placeholders', () => {
		expect(malformedPlaceholders('Hi {{name}}, {{ 1 }}, {{0}} and {{2}}')).toEqual(['{{name}}', '{{ 1 }}', '{{0}}']);
	});
});

describe('numberedFromOne', () => {
	it('accepts 1..n and nothing', () => {
		expect(numberedFromOne([])).toBe(true);
		expect(numberedFromOne([1, 2, 3])).toBe(true);
	});

	it('rejects gaps and a start after 1', () => {
		expect(numberedFromOne([1, 3])).toBe(false);
		expect(numberedFromOne([2])).toBe(false);
	});
});

it('listPlaceholders writes them as a user types them', () => {
	expect(listPlaceholders([1, 3])).toBe('{{1}}, {{3}}');
});

describe('countVariables', () => {
	it('adds header, body and URL-button placeholders', () => {
		const components = [
			{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' },
			{ type: 'BODY', text: 'Hi {{1}}, {{2}} and {{3}}' },
			{ type: 'FOOTER', text: 'Thanks' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'URL', url: 'https://x.example/{{1}}' },
					{ type: 'QUICK_REPLY', text: 'Ok' },
				],
			},
		];
		expect(countVariables(components)).toBe(5);
	});

	it('is 0 without components', () => {
		expect(countVariables(null)).toBe(0);
	});
});
