/**
 * A template's `{{n}}` placeholders as named variables, and values for them as the send-side
 * `components` Lynkist expects. Pure: the same rules build the node's generated fields, check
 * what the user mapped, and build the request.
 */
import { placeholderNumbers } from './placeholders';

export interface TemplateButton {
	type: string;
	text?: string;
	url?: string;
}

export interface TemplateComponent {
	type: string;
	format?: string;
	text?: string;
	buttons?: TemplateButton[];
}

export interface LynkistTemplate {
	id?: string;
	template_name: string;
	language: string;
	category?: string;
	components?: TemplateComponent[] | null;
}

/** `coupon`: the offer code of a MARKETING template's Copy Offer Code button. */
export type SlotKind = 'text' | 'image' | 'video' | 'document' | 'coupon';

/** One value a send must supply, named after where it lands. */
export interface Slot {
	id: string;
	label: string;
	component: 'header' | 'body' | 'button';
	kind: SlotKind;
	/** The button's position in the template's BUTTONS, for button slots. */
	buttonIndex?: number;
	/** When set, the slot takes the value of that other slot and is not asked for separately. */
	sameAs?: string;
	hint: string;
}

export interface SendComponent {
	type: 'header' | 'body' | 'button';
	sub_type?: string;
	index?: string;
	parameters: Array<Record<string, unknown>>;
}

const byType = (template: LynkistTemplate, type: string) => (template.components ?? []).find((c) => c.type?.toUpperCase() === type);

const MEDIA_FORMATS: Record<string, SlotKind> = { IMAGE: 'image', VIDEO: 'video', DOCUMENT: 'document' };

/** Every value a send of this template needs. */
export function templateSlots(template: LynkistTemplate): Slot[] {
	const slots: Slot[] = [];
	const header = byType(template, 'HEADER');
	const format = header?.format?.toUpperCase();
	if (format && MEDIA_FORMATS[format]) {
		const kind = MEDIA_FORMATS[format];
		slots.push({
			id: 'header_media',
			label: `Header ${kind} link`,
			component: 'header',
			kind,
			hint: `Public HTTPS link to the ${kind} shown in the header`,
		});
	} else if (header) {
		for (const n of placeholderNumbers(header.text)) {
			slots.push({
				id: `header_${n}`,
				label: `Header {{${n}}}`,
				component: 'header',
				kind: 'text',
				hint: `Replaces {{${n}}} in "${header.text}"`,
			});
		}
	}
	const body = byType(template, 'BODY');
	const isOtp = template.category?.toUpperCase() === 'AUTHENTICATION';
	for (const n of placeholderNumbers(body?.text)) {
		const otp = isOtp && n === 1;
		slots.push({
			id: `body_${n}`,
			label: otp ? 'One-time code (Body {{1}})' : `Body {{${n}}}`,
			component: 'body',
			kind: 'text',
			hint: otp ? 'The code to send; it also fills the copy-code button' : `Replaces {{${n}}} in "${body?.text}"`,
		});
	}
	(byType(template, 'BUTTONS')?.buttons ?? []).forEach((button, index) => {
		if (button.type?.toUpperCase() === 'COPY_CODE') {
			slots.push({
				id: `button_${index}_code`,
				label: `Button ${index + 1} offer code`,
				component: 'button',
				kind: 'coupon',
				buttonIndex: index,
				hint: 'The offer code the button copies, e.g. SUMMER20',
			});
			return;
		}
		if (button.type?.toUpperCase() !== 'URL' || placeholderNumbers(button.url).length === 0) return;
		slots.push({
			id: `button_${index}_url`,
			// short enough for the field's label; which button it is stays in the hint
			label: `Button ${index + 1} URL suffix`,
			component: 'button',
			kind: 'text',
			buttonIndex: index,
			sameAs: isOtp && slots.some((s) => s.id === 'body_1') ? 'body_1' : undefined,
			hint: `Replaces {{1}} at the end of ${button.url}${button.text ? ` (button "${button.text}")` : ''}`,
		});
	});
	return slots;
}

/** The slots a user fills in (those that do not copy another slot's value). */
export function askedSlots(template: LynkistTemplate): Slot[] {
	return templateSlots(template).filter((s) => !s.sameAs);
}

function describe(template: LynkistTemplate): string {
	return `${template.template_name} (${template.language})`;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function parameter(slot: Slot, value: unknown): Record<string, unknown> {
	const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
	if (slot.kind === 'text') return { type: 'text', text };
	if (slot.kind === 'coupon') return { type: 'coupon_code', coupon_code: text };
	return { type: slot.kind, [slot.kind]: { link: text } };
}

/**
 * Send-side components for `values` (slot id → value), or the problems with them: a missing
 * value, or a value for a variable the template does not have.
 */
export function buildComponents(
	template: LynkistTemplate,
	values: Record<string, unknown>,
): { components: SendComponent[]; problems: string[] } {
	const slots = templateSlots(template);
	const asked = slots.filter((s) => !s.sameAs);
	const problems: string[] = [];
	for (const slot of asked) {
		if (!isBlank(values[slot.id])) continue;
		problems.push(
			slot.id === 'header_media'
				? `"${slot.label}" has no value: give a public link, or name the input binary in Options → Header Media From Binary`
				: `"${slot.label}" has no value`,
		);
	}
	const known = new Set(asked.map((s) => s.id));
	for (const key of Object.keys(values)) {
		if (!known.has(key) && !isBlank(values[key])) {
			const has = asked.map((s) => s.label).join(', ') || 'no variables';
			problems.push(`"${key}" is not a variable of template ${describe(template)}; it has ${has}`);
		}
	}
	if (problems.length) return { components: [], problems };

	const components: SendComponent[] = [];
	const component = (slot: Slot): SendComponent => {
		const index = slot.buttonIndex === undefined ? undefined : String(slot.buttonIndex);
		let found = components.find((c) => c.type === slot.component && c.index === index);
		if (!found) {
			const subType = slot.kind === 'coupon' ? 'copy_code' : 'url';
			found =
				slot.component === 'button'
					? { type: 'button', sub_type: subType, index, parameters: [] }
					: { type: slot.component, parameters: [] };
			components.push(found);
		}
		return found;
	};
	for (const slot of slots) {
		component(slot).parameters.push(parameter(slot, values[slot.sameAs ?? slot.id]));
	}
	return { components, problems };
}

/** How many parameters each component of a send needs: `header`, `body`, `button:<index>`. */
function expectedCounts(template: LynkistTemplate): Map<string, number> {
	const counts = new Map<string, number>();
	for (const slot of templateSlots(template)) {
		const key = slot.component === 'button' ? `button:${slot.buttonIndex}` : slot.component;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts;
}

/** Problems with raw send-side components (JSON mode) against the template; empty when they fit. */
export function checkComponents(template: LynkistTemplate, components: unknown): string[] {
	if (!Array.isArray(components))
		return ['must be a JSON array of components, e.g. [{"type":"body","parameters":[{"type":"text","text":"Ada"}]}]'];
	const problems: string[] = [];
	const given = new Map<string, number>();
	components.forEach((c: Partial<SendComponent>, i) => {
		const type = typeof c?.type === 'string' ? c.type.toLowerCase() : '';
		if (!['header', 'body', 'button'].includes(type)) {
			problems.push(`component ${i}: "type" must be header, body or button`);
			return;
		}
		if (!Array.isArray(c.parameters)) {
			problems.push(`component ${i} (${type}): "parameters" must be an array`);
			return;
		}
		const key = type === 'button' ? `button:${c.index}` : type;
		given.set(key, c.parameters.length);
	});
	if (problems.length) return problems;
	const want = expectedCounts(template);
	for (const [key, count] of want) {
		if ((given.get(key) ?? 0) !== count) {
			problems.push(`${key.replace(':', ' ')} needs ${count} parameter${count === 1 ? '' : 's'}, got ${given.get(key) ?? 0}`);
		}
	}
	for (const [key, count] of given) {
		if (!want.has(key) && count > 0) problems.push(`template ${describe(template)} has no variables in ${key.replace(':', ' ')}`);
	}
	return problems;
}
