/** A plain JSON object (not null, not an array): what Lynkist's bodies and a template's components are made of. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON in a text, or undefined when it is not JSON. */
export const safeJson = (text: string): unknown => {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
};
