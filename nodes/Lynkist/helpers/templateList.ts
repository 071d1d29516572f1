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
