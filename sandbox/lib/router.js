'use strict';
/** Method + path-pattern routing: `/templates/:id/submit` style patterns. */

function compile(pattern) {
	return pattern.split('/').filter(Boolean);
}

function createRouter(routes) {
	const compiled = routes.map((route) => ({ ...route, segments: compile(route.path) }));

	/** → { route, params } | { allowed: string[] } when the path exists with other methods | null */
	function match(method, path) {
		const parts = path.split('/').filter(Boolean);
		const allowed = [];
		for (const route of compiled) {
			const params = matchSegments(route.segments, parts);
			if (!params) continue;
			if (route.method === method) return { route, params };
			allowed.push(route.method);
		}
		return allowed.length ? { allowed } : null;
	}

	return { match };
}

function matchSegments(segments, parts) {
	if (segments.length !== parts.length) return null;
	const params = {};
	for (let i = 0; i < segments.length; i++) {
		const segment = segments[i];
		if (segment[0] === ':') {
			try {
				params[segment.slice(1)] = decodeURIComponent(parts[i]);
			} catch {
				params[segment.slice(1)] = parts[i];
			}
		} else if (segment !== parts[i]) {
			return null;
		}
	}
	return params;
}

module.exports = { createRouter };
