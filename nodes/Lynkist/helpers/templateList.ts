/** Reading listed templates: filters Lynkist's list endpoint does not offer, and short forms. Pure. */
import { countVariables } from './placeholders';

export interface TemplateFilters {
	/** Part of the name, any case. */
	nameContains?: string;
	/** Exact locale code, e.g. en_US. */
	language?: string;
	category?: string;
}

interface ListedTemplate {
	id?: unknown;
	template_name?: unknown;
	language?: unknown;
	category?: unknown;
	components?: unknown;
}

/** Whether a template passes every filter that is set. */
export function matchesFilters(template: ListedTemplate, filters: TemplateFilters): boolean {
	const name = String(template.template_name ?? '').toLowerCase();
	const needle = filters.nameContains?.trim().toLowerCase();
	if (needle && !name.includes(needle)) return false;
	if (filters.language && template.language !== filters.language.trim()) return false;
	if (filters.category && template.category !== filters.category) return false;
	return true;
}

/** The fields a workflow usually needs from a template. */
export function simplifyTemplate(template: ListedTemplate) {
	return {
		id: template.id,
		name: template.template_name,
		language: template.language,
		category: template.category,
		variables: countVariables(template.components),
	};
}

/** How a template shows in a picker: `name · language · category`. */
export function templateLabel(template: ListedTemplate): string {
	return [template.template_name, template.language, template.category].map(String).join(' · ');
}

/** The name among `names` a mistyped `name` most likely meant (at most 3 edits away), if any. */
export function closestName(name: string, names: string[]): string | undefined {
	const wanted = name.toLowerCase();
	let best: { name: string; distance: number } | undefined;
	for (const candidate of new Set(names)) {
		const distance = editDistance(wanted, candidate.toLowerCase());
		if (distance <= 3 && distance < (best?.distance ?? Infinity)) best = { name: candidate, distance };
	}
	return best?.name;
}

function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++) {
			row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		previous = row;
	}
	return previous[b.length];
}
