import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BuilderButton, BuilderInput, HeaderKind } from '../../helpers/templateBuilder';
import { buildComponents } from '../../helpers/templateBuilder';
import { checkTemplate } from '../../helpers/templateChecks';
import { withHeaderHandle } from '../../helpers/templateSample';
import type { LynkistResponse } from '../../../shared/transport';
import { isUncertain, lynkistRequest } from '../../../shared/transport';
import type { RunState } from '../types';
import { readSample, uploadHeaderSample } from './headerSample';
import { submitTemplate } from './submit.operation';

export { description } from './create.description';

function readBuilder(this: IExecuteFunctions, itemIndex: number): BuilderInput {
	const param = <T>(name: string, fallback: T) => this.getNodeParameter(name, itemIndex, fallback) as T;
	const headerType = param<HeaderKind>('headerType', 'none');
	const mediaExample = () => (param<string>('headerSample', 'link') === 'binary' ? '' : param('headerMediaExample', ''));
	return {
		headerType,
		headerText: param('headerText', ''),
		headerExample: headerType === 'text' ? param('headerTextExample', '') : headerType === 'none' ? '' : mediaExample(),
		bodyText: param('bodyText', ''),
		bodyExamples: param<{ example?: Array<{ value: string }> }>('bodyExamples', {}).example?.map((e) => e.value) ?? [],
		footerText: param('footerText', ''),
		buttons: param<{ button?: BuilderButton[] }>('buttons', {}).button ?? [],
	};
}

function readJsonComponents(this: IExecuteFunctions, itemIndex: number): unknown {
	const raw = this.getNodeParameter('componentsJson', itemIndex) as unknown;
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Components (JSON) is not valid JSON: ${(error as Error).message}`, {
			itemIndex,
			description: 'Fix the JSON in Components (JSON), or switch Components Input to Builder.',
		});
	}
}

const exists = (name: string, language: string) => ({
	message: `A template named "${name}" in language "${language}" already exists`,
	description: 'Name and language together identify a template. Choose another name, or another language for the same name.',
});

/**
 * POST /templates. When Lynkist's answer is lost the template may exist already: it is sent once
 * more, and a 409 to that second try means the first one created it. Lynkist shows drafts to
 * nobody through its API, so that draft's id cannot be read back: the output says so instead of
 * reporting a failure.
 */
async function createTemplate(this: IExecuteFunctions, template: IDataObject, itemIndex: number): Promise<IDataObject> {
	const { template_name: name, language } = template as { template_name: string; language: string };
	const request = { method: 'POST' as const, path: '/templates', body: template };
	try {
		const { body } = (await lynkistRequest.call(this, request, {
			itemIndex,
			explain: { 409: exists(name, language) },
		})) as LynkistResponse<IDataObject>;
		return body;
	} catch (error) {
		if (!isUncertain(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
	}
	const { status, body } = (await lynkistRequest.call(this, request, {
		itemIndex,
		answerStatuses: [409],
	})) as LynkistResponse<IDataObject>;
	if (status !== 409) return body;
	return {
		template_name: name,
		language,
		category: template.category,
		status: 'draft',
		id: null,
		confirmed: false,
		note: "Created, but Lynkist's answer was lost: a second try found the name and language taken by the new draft. Lynkist's API does not show drafts, so its id is unknown. Submit it for review in the Lynkist dashboard.",
	};
}

/**
 * Creates a draft template, checked first the way Meta checks it; optionally submits it for review.
 * A media header's sample (binary data or a link) is uploaded to Meta through Lynkist first, and
 * its handle stands in the header's example.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<INodeExecutionData[]> {
	const name = (this.getNodeParameter('templateName', itemIndex) as string).trim();
	const language = String(this.getNodeParameter('language', itemIndex, '', { extractValue: true })).trim();
	const category = this.getNodeParameter('category', itemIndex) as string;
	const fromJson = this.getNodeParameter('componentsMode', itemIndex) === 'json';
	let components = fromJson ? readJsonComponents.call(this, itemIndex) : buildComponents(readBuilder.call(this, itemIndex));
	const { header, source } = readSample.call(this, itemIndex, fromJson, components);

	// A sample from binary data has no handle until it is uploaded; the checks only need to know it is given.
	const checked = header && source?.from === 'binary' ? withHeaderHandle(components as unknown[], header.index, 'binary') : components;
	const problems = checkTemplate({ name, language, category, components: checked });
	if (problems.length) {
		throw new NodeOperationError(this.getNode(), `The template is not valid. ${problems[0]}`, {
			itemIndex,
			description: `Nothing was sent to Lynkist. ${problems.length > 1 ? `All problems: ${problems.join(' · ')}` : ''}`.trim(),
		});
	}
	if (header && source) {
		const handle = await uploadHeaderSample.call(this, itemIndex, source, header, run);
		components = withHeaderHandle(components as unknown[], header.index, handle);
	}

	const created = await createTemplate.call(this, { template_name: name, language, category, components } as IDataObject, itemIndex);
	if (created.confirmed === false) return [{ json: created, pairedItem: { item: itemIndex } }];
	const json = this.getNodeParameter('submitForApproval', itemIndex, false)
		? await submitTemplate.call(this, String(created.id), itemIndex)
		: created;
	return [{ json, pairedItem: { item: itemIndex } }];
}
