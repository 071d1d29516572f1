/**
 * Plans how to read a node parameter for many items with as few expression evaluations as n8n
 * allows. Each expression n8n evaluates is a trip into its expression sandbox, so reading five
 * mapped fields costs five trips per item; the plan lets one trip do them all. Pure.
 *
 * A parameter is one of:
 * - `static`: no expression anywhere, the same for every item;
 * - `mapped`: every expression in it is a whole value, `={{ code }}` — what dragging a field in
 *   produces — so their results can be computed together and put back in place;
 * - `other`: anything else (text around `{{ }}`, several `{{ }}`, `$parameter`), left to n8n.
 */

export type Path = Array<string | number>;

export interface Leaf {
	/** Where the expression sits inside the parameter's value ([] for the value itself). */
	at: Path;
	/** The JavaScript between `{{` and `}}`. */
	code: string;
}

export type Plan = { kind: 'static' } | { kind: 'mapped'; raw: unknown; leaves: Leaf[] } | { kind: 'other' };

const WHOLE = /^=\{\{([\s\S]*)\}\}$/;

/** The code of a whole-value expression, or undefined when n8n must read the string itself. */
export function wholeExpressionCode(value: string): string | undefined {
	const code = WHOLE.exec(value)?.[1];
	// Braces inside would make where the expression ends ambiguous; `$parameter` can read sibling
	// values, which n8n resolves relative to where the expression sits.
	if (code === undefined || code.includes('{{') || code.includes('}}') || code.includes('$parameter')) return undefined;
	return code;
}

/** The plan for a parameter's raw value (as stored in the workflow, expressions unevaluated). */
export function planParameter(raw: unknown): Plan {
	const leaves: Leaf[] = [];
	let other = false;
	const walk = (value: unknown, at: Path) => {
		if (other) return;
		if (typeof value === 'string') {
			if (!value.startsWith('=')) return;
			const code = wholeExpressionCode(value);
			if (code === undefined) other = true;
			else leaves.push({ at, code });
		} else if (Array.isArray(value)) {
			value.forEach((entry, i) => walk(entry, [...at, i]));
		} else if (value !== null && typeof value === 'object') {
			for (const [key, entry] of Object.entries(value)) walk(entry, [...at, key]);
		}
	};
	walk(raw, []);
	if (other) return { kind: 'other' };
	return leaves.length === 0 ? { kind: 'static' } : { kind: 'mapped', raw, leaves };
}

/** One expression (without the leading `=`) whose result is the array of every code's result, in order. */
export function combinedExpression(codes: string[]): string {
	// Each code on lines of its own, so a trailing `// comment` in one cannot swallow the rest.
	return `{{ [${codes.map((code) => `(\n${code}\n)`).join(',')}] }}`;
}

/** The raw value with each leaf's expression replaced by its result. */
export function fillLeaves(raw: unknown, leaves: Leaf[], results: unknown[]): unknown {
	if (leaves.length === 1 && leaves[0].at.length === 0) return results[0];
	const copy = structuredClone(raw) as Record<string | number, unknown>;
	leaves.forEach(({ at }, i) => {
		let target = copy;
		for (const key of at.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
		target[at[at.length - 1]] = results[i];
	});
	return copy;
}
