import { searchLocales, WHATSAPP_LOCALES } from '../../nodes/Lynkist/helpers/locales';
import { closestName, matchesFilters, simplifyTemplate, templateLabel } from '../../nodes/Lynkist/helpers/templateList';

const template = {
	id: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
	template_name: 'order_confirmation',
	language: 'en_US',
	category: 'UTILITY',
	status: 'approved',
	components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}}' }],
};

describe('matchesFilters', () => {
	it('keeps everything without filters', () => {
		expect(matchesFilters(template, {})).toBe(true);
	});

	it('matches part of the name in any case', () => {
		expect(matchesFilters(template, { nameContains: 'CONFIRM' })).toBe(true);
		expect(matchesFilters(template, { nameContains: 'shipping' })).toBe(false);
	});

	it('matches the exact language and the category', () => {
		expect(matchesFilters(template, { language: 'en_US', category: 'UTILITY' })).toBe(true);
		expect(matchesFilters(template, { language: 'en' })).toBe(false);
		expect(matchesFilters(template, { category: 'MARKETING' })).toBe(false);
	});
});

it('simplifyTemplate keeps id, name, language, category and the variables count', () => {
	expect(simplifyTemplate(template)).toEqual({
		id: template.id,
		name: 'order_confirmation',
		language: 'en_US',
		category: 'UTILITY',
		variables: 2,
	});
});

it('templateLabel shows name · language · category', () => {
	expect(templateLabel(template)).toBe('order_confirmation · en_US · UTILITY');
});

describe('WhatsApp locales', () => {
	it('have unique codes in the shape Lynkist accepts', () => {
		const codes = WHATSAPP_LOCALES.map((l) => l.code);
		expect(new Set(codes).size).toBe(codes.length);
		expect(codes.every((c) => /^[A-Za-z_]{2,10}$/.test(c))).toBe(true);
	});

	it('are searched by code or name, any case', () => {
		expect(searchLocales('pt_br').map((l) => l.code)).toEqual(['pt_BR']);
		expect(searchLocales('german').map((l) => l.code)).toEqual(['de', 'de_AT', 'de_CH']);
		expect(searchLocales()).toHaveLength(WHATSAPP_LOCALES.length);
	});
});

describe('closestName', () => {
	it('finds the name a typo meant, ignoring case', () => {
		expect(closestName('order_confirmaton', ['promo_banner', 'order_confirmation'])).toBe('order_confirmation');
		expect(closestName('Order_Confirmation', ['order_confirmation'])).toBe('order_confirmation');
	});
	it('the nearest wins; nothing when every name is more than 3 edits away', () => {
		expect(closestName('order_status', ['order_statuses', 'order_status2'])).toBe('order_status2');
		expect(closestName('welcome', ['order_confirmation', 'promo_banner'])).toBeUndefined();
		expect(closestName('x', [])).toBeUndefined();
	});
});
