/**
 * Template placeholders: WhatsApp templates mark their variables `{{1}}`, `{{2}}`, … in header,
 * body and URL-button text. Pure.
 */

const BRACED = /\{\{([^{}]*)\}\}/g;
const NUMBERED = /^[1-9]\d*$/;

/** The distinct placeholder numbers of a text, ascending. */
export function placeholderNumbers(text: unknown): number[] {
	if (typeof text !== 'string') return [];
	const found = new Set<number>();
	for (const [, inner] of text.matchAll(BRACED)) if (NUMBERED.test(inner)) found.add(Number(inner));
	return [...found].sort((a, b) => a - b);
}

/** Braced words that are not numbered placeholders, e.g. `{{name}}` or `{{ 1 }}`. */
export function malformedPlaceholders(text: unknown): string[] {
	if (typeof text !== 'string') return [];
	return [...text.matchAll(BRACED)].filter(([, inner]) => !NUMBERED.test(inner)).map(([whole]) => whole);
}

/** `{{1}}, {{2}}` */
export function listPlaceholders(numbers: number[]): string {
	return numbers.map((n) => `{{${n}}}`).join(', ');
}

/** Whether the numbers run 1, 2, 3, … without a gap. */
export function numberedFromOne(numbers: number[]): boolean {
	return numbers.every((n, i) => n === i + 1);
}

interface ComponentLike {
	type?: unknown;
	text?: unknown;
	buttons?: unknown;
}

/** How many values a send of a template must fill in: header, body and URL-button placeholders. */
export function countVariables(components: unknown): number {
	if (!Array.isArray(components)) return 0;
	return components.reduce((sum: number, component: ComponentLike) => {
		const buttons = component?.type === 'BUTTONS' && Array.isArray(component.buttons) ? component.buttons : [];
		const inButtons = buttons.reduce((n: number, b: { url?: unknown }) => n + placeholderNumbers(b?.url).length, 0);
		return sum + placeholderNumbers(component?.text).length + inButtons;
	}, 0);
}
