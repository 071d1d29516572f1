'use strict';
/** The seeded demo tenant: fixed key, fixed template ids, so docs and demos can cite them. */
const { DEFAULT_LIMITS } = require('../constants');
const { addTemplate } = require('./templates');

const DEMO_TENANT_ID = 'demo';
const DEMO_KEY = 'lk_sk_test_4c796e6b6973742d73616e64626f782d64656d6f';

const SEED_TEMPLATE_IDS = {
	order_confirmation_en_US: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
	order_confirmation_es: '0b6d2c8e-3f4a-4c1b-9d7e-5a8f1e2b3c40',
	shipping_update_en_US: '6a1e9f3d-2b7c-4e58-8a0d-9c4b7e1f2a51',
	welcome_message_en: '9c2f7a4b-1d3e-4f6a-b8c9-0e5d2a7f3b62',
	promo_banner_en_US: '2d8b4e6f-7a1c-4b3d-9e5f-1a6c8d0b4e73',
	login_code_en_US: '5e3a7c9d-4b2f-4a8e-a1c6-7d9f2b5e8c84',
	appointment_reminder_en_US: '8f4c1a7e-6d2b-4c9a-b3e8-2f7a5d1c9e95',
	appointment_confirmation_en_US: '1a7d3c5e-8b2f-4d6a-9c1e-3f5b7d9a2c06',
};

const orderConfirmation = (header, body, footer, track, talk) => [
	{ type: 'HEADER', format: 'TEXT', text: header },
	{ type: 'BODY', text: body },
	{ type: 'FOOTER', text: footer },
	{
		type: 'BUTTONS',
		buttons: [
			{ type: 'URL', text: track, url: 'https://shop.example.com/orders/{{1}}' },
			{ type: 'QUICK_REPLY', text: talk },
		],
	},
];

const SEED_TEMPLATES = [
	{
		id: SEED_TEMPLATE_IDS.order_confirmation_en_US,
		template_name: 'order_confirmation',
		language: 'en_US',
		category: 'UTILITY',
		status: 'approved',
		components: orderConfirmation(
			'Order {{1}}',
			'Hi {{1}}, your order {{2}} is confirmed. Total: {{3}}.',
			'Reply STOP to opt out',
			'Track order',
			'Talk to us',
		),
		created_at: '2026-04-12T09:00:00.000Z',
		updated_at: '2026-04-12T11:14:33.000Z',
	},
	{
		id: SEED_TEMPLATE_IDS.order_confirmation_es,
		template_name: 'order_confirmation',
		language: 'es',
		category: 'UTILITY',
		status: 'approved',
		components: orderConfirmation(
			'Pedido {{1}}',
			'Hola {{1}}, tu pedido {{2}} está confirmado. Total: {{3}}.',
			'Responde STOP para darte de baja',
			'Seguir pedido',
			'Hablar con nosotros',
		),
		created_at: '2026-04-12T09:30:00.000Z',
		updated_at: '2026-04-12T11:20:00.000Z',
	},
	{
		id: SEED_TEMPLATE_IDS.shipping_update_en_US,
		template_name: 'shipping_update',
		language: 'en_US',
		category: 'UTILITY',
		status: 'approved',
		components: [{ type: 'BODY', text: 'Good news {{1}}! Your order {{2}} has shipped.' }],
		created_at: '2026-04-13T10:00:00.000Z',
		updated_at: '2026-04-13T12:00:00.000Z',
	},
	{
		id: SEED_TEMPLATE_IDS.welcome_message_en,
		template_name: 'welcome_message',
		language: 'en',
		category: 'MARKETING',
		status: 'approved',
		components: [{ type: 'BODY', text: "Welcome to Lynkist! We're glad to have you." }],
		created_at: '2026-04-14T08:00:00.000Z',
		updated_at: '2026-04-14T09:45:00.000Z',
	},
	{
		id: SEED_TEMPLATE_IDS.promo_banner_en_US,
		template_name: 'promo_banner',
		language: 'en_US',
		category: 'MARKETING',
		status: 'approved',
		components: [
			{ type: 'HEADER', format: 'IMAGE' },
			{ type: 'BODY', text: 'Hi {{1}}, our spring sale starts today: 20% off everything.' },
		],
		created_at: '2026-04-15T08:00:00.000Z',
		updated_at: '2026-04-15T10:05:00.000Z',
	},
	{
		id: SEED_TEMPLATE_IDS.login_code_en_US,
		template_name: 'login_code',
		language: 'en_US',
		category: 'AUTHENTICATION',
		status: 'approved',
		components: [
			{ type: 'BODY', text: '{{1}} is your verification code.' },
			{
				type: 'BUTTONS',
				buttons: [{ type: 'URL', text: 'Copy code', url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}' }],
			},
		],
		created_at: '2026-04-16T08:00:00.000Z',
		updated_at: '2026-04-16T08:30:00.000Z',
	},
	{
		id: SEED_TEMPLATE_IDS.appointment_confirmation_en_US,
		template_name: 'appointment_confirmation',
		language: 'en_US',
		category: 'UTILITY',
		status: 'approved',
		components: [
			{ type: 'BODY', text: 'Hi {{1}}, your appointment is on {{2}}. Can you make it?' },
			{
				type: 'BUTTONS',
				buttons: [
					{ type: 'QUICK_REPLY', text: "Yes, I'll be there" },
					{ type: 'QUICK_REPLY', text: 'I need another time' },
				],
			},
		],
		created_at: '2026-04-16T09:00:00.000Z',
		updated_at: '2026-04-16T09:40:00.000Z',
	},
	{
		id: SEED_TEMPLATE_IDS.appointment_reminder_en_US,
		template_name: 'appointment_reminder',
		language: 'en_US',
		category: 'UTILITY',
		status: 'draft',
		components: [{ type: 'BODY', text: 'Hi {{1}}, this is a reminder of your appointment on {{2}}.' }],
		created_at: '2026-04-17T08:00:00.000Z',
		updated_at: null,
	},
];

/** Adds the demo tenant, its full-scope key and its templates. */
function seedDemo(store) {
	const { tenant } = store.addTenant({ name: 'Demo', plan: 'premium', limits: { ...DEFAULT_LIMITS } }, DEMO_TENANT_ID);
	store.addKey(tenant, { key: DEMO_KEY, mode: 'test' });
	for (const template of SEED_TEMPLATES) addTemplate(tenant, structuredClone(template));
	return tenant;
}

/** A seeded template's definition (name, language, category, components), to seed into another tenant. */
function seedDefinition(name, language) {
	const found = SEED_TEMPLATES.find((t) => t.template_name === name && t.language === language);
	if (!found) throw new Error(`no seeded template ${name} (${language})`);
	const { template_name, category, components } = found;
	return { template_name, language, category, components: JSON.parse(JSON.stringify(components)) };
}

module.exports = { DEMO_TENANT_ID, DEMO_KEY, SEED_TEMPLATE_IDS, seedDemo, seedDefinition };
