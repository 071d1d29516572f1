/** The Send Template node's generated variable fields: one per placeholder of the chosen template. */
import type { ILoadOptionsFunctions, INodeParameterResourceLocator, ResourceMapperFields } from 'n8n-workflow';

import { askedSlots } from '../helpers/variables';
import { resolveTemplate } from '../actions/message/resolveTemplate';

export async function getTemplateVariables(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const locator = this.getNodeParameter('template', {}) as INodeParameterResourceLocator;
	const language = (this.getNodeParameter('language', '') as string) ?? '';
	const template = await resolveTemplate.call(this, locator, language);
	return {
		fields: askedSlots(template).map((slot) => ({
			id: slot.id,
			displayName: slot.label,
			// A media header may come from Header Media From Binary instead; the send checks that one of them is given.
			required: slot.id !== 'header_media',
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			type: 'string',
		})),
		emptyFieldsNotice: `Template ${template.template_name} (${template.language}) has no variables.`,
	};
}
