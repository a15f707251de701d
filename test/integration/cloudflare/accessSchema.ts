/**
 * The request bodies of the published Access API, as a small JSON Schema subset, and a validator:
 * what the Access tests check the wrapper's create requests against (no side effects on import).
 *
 * Written from Cloudflare's OpenAPI schema (cloudflare/api-schemas) as the SDK generated from it
 * types it, npm `cloudflare` 7.3.0: `ApplicationCreateParams.SelfHostedApplication` (POST
 * …/access/apps; the schema's `access_self_hosted_props`: `domain` and `type` required) and
 * `PolicyCreateParams` (POST …/access/policies; `access_base_policy_req`: `decision`, `include`,
 * `name` required), with `AccessRuleParam` for the rule objects. Only the properties the schema
 * lists are allowed (`additionalProperties: false`), so a misspelt or invented field fails.
 */

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'boolean' | 'integer';
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  anyOf?: Schema[];
  enum?: readonly unknown[];
  pattern?: RegExp;
  minItems?: number;
  minProperties?: number;
  maxProperties?: number;
}

const string: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const strings: Schema = { type: 'array', items: string };
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const rule = (key: string, inner: Schema): Schema => ({ ...obj({ [key]: inner }, [key]), minProperties: 1 });

/** `AccessRuleParam` (one selector per object). */
export const ACCESS_RULE: Schema = {
  anyOf: [
    rule('email', obj({ email: string }, ['email'])),
    rule('email_domain', obj({ domain: string }, ['domain'])),
    rule('email_list', obj({ id: string }, ['id'])),
    rule('everyone', obj({})),
    rule('group', obj({ id: string }, ['id'])),
    rule('service_token', obj({ token_id: string }, ['token_id'])),
    rule('any_valid_service_token', obj({})),
    rule('ip', obj({ ip: string }, ['ip'])),
    rule('ip_list', obj({ id: string }, ['id'])),
    rule('geo', obj({ country_code: string }, ['country_code'])),
    rule('login_method', obj({ id: string }, ['id'])),
    rule('auth_method', obj({ auth_method: string }, ['auth_method'])),
    rule('certificate', obj({})),
    rule('common_name', obj({ common_name: string }, ['common_name'])),
    rule('device_posture', obj({ integration_uid: string }, ['integration_uid'])),
  ],
};

/** `access_schemas-session_duration`: "Must be in the format 300ms or 2h45m. Valid time units are: ns, us (or µs), ms, s, m, h." */
const DURATION: Schema = { type: 'string', pattern: /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/ };

/** POST /accounts/{account_id}/access/policies (reusable policy). */
export const POLICY_CREATE: Schema = obj(
  {
    decision: { type: 'string', enum: ['allow', 'deny', 'non_identity', 'bypass'] },
    include: { type: 'array', items: ACCESS_RULE, minItems: 1 },
    name: string,
    exclude: { type: 'array', items: ACCESS_RULE },
    require: { type: 'array', items: ACCESS_RULE },
    approval_groups: { type: 'array' },
    approval_required: bool,
    isolation_required: bool,
    purpose_justification_prompt: string,
    purpose_justification_required: bool,
    session_duration: DURATION,
    connection_rules: { type: 'object' },
    mfa_config: { type: 'object' },
  },
  ['decision', 'include', 'name'],
);

/** POST /accounts/{account_id}/access/apps, the self-hosted application. */
export const SELF_HOSTED_APP_CREATE: Schema = obj(
  {
    domain: string,
    type: { type: 'string', enum: ['self_hosted'] },
    allow_authenticate_via_warp: bool,
    allow_iframe: bool,
    allowed_idps: strings,
    app_launcher_visible: bool,
    auto_redirect_to_identity: bool,
    cors_headers: { type: 'object' },
    custom_deny_message: string,
    custom_deny_url: string,
    custom_non_identity_deny_url: string,
    custom_pages: strings,
    destinations: {
      type: 'array',
      items: {
        anyOf: [
          obj({
            type: { type: 'string', enum: ['public'] },
            uri: string,
            overrides: {
              type: 'array',
              items: obj({ behavior: { type: 'string', enum: ['public'] }, path_pattern: string }, [
                'behavior',
                'path_pattern',
              ]),
            },
          }),
          obj({
            type: { type: 'string', enum: ['private'] },
            cidr: string,
            hostname: string,
            l4_protocol: { type: 'string', enum: ['tcp', 'udp'] },
            port_range: string,
            vnet_id: string,
          }),
        ],
      },
    },
    eager_redirect_cookie_setting: bool,
    enable_binding_cookie: bool,
    http_only_cookie_attribute: bool,
    logo_url: string,
    mfa_config: { type: 'object' },
    name: string,
    oauth_configuration: { type: 'object' },
    options_preflight_bypass: bool,
    path_cookie_attribute: bool,
    policies: {
      type: 'array',
      items: {
        anyOf: [string, obj({ id: string, precedence: { type: 'integer' } }, ['id'])],
      },
    },
    read_service_tokens_from_header: string,
    same_site_cookie_attribute: string,
    scim_config: { type: 'object' },
    self_hosted_domains: strings,
    service_auth_401_redirect: bool,
    session_duration: DURATION,
    skip_interstitial: bool,
    tags: strings,
    use_clientless_isolation_app_launcher_url: bool,
  },
  ['domain', 'type'],
);

/** Problems of `value` against `schema` (empty: valid), each as "path: what". */
export function validate(schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.anyOf) {
    const results = schema.anyOf.map((s) => validate(s, value, at));
    if (results.some((r) => r.length === 0)) return [];
    return [
      `${at}: matches none of ${schema.anyOf.length} shapes (closest: ${[...results].sort((a, b) => a.length - b.length)[0]!.join('; ')})`,
    ];
  }
  const errors: string[] = [];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const o = value as Record<string, unknown>;
      for (const k of schema.required ?? []) if (!(k in o)) errors.push(`${at}.${k}: required`);
      const keys = Object.keys(o);
      if (schema.minProperties !== undefined && keys.length < schema.minProperties)
        errors.push(`${at}: fewer than ${schema.minProperties} properties`);
      for (const k of keys) {
        const sub = schema.properties?.[k];
        if (sub) errors.push(...validate(sub, o[k], `${at}.${k}`));
        else if (schema.additionalProperties === false) errors.push(`${at}.${k}: not in the schema`);
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      if (schema.minItems !== undefined && value.length < schema.minItems)
        errors.push(`${at}: fewer than ${schema.minItems} items`);
      if (schema.items) value.forEach((v, i) => errors.push(...validate(schema.items!, v, `${at}[${i}]`)));
      break;
    case 'string':
      if (typeof value !== 'string') return [`${at}: not a string`];
      if (schema.pattern && !schema.pattern.test(value))
        errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return [`${at}: not a boolean`];
      break;
    case 'integer':
      if (!Number.isInteger(value)) return [`${at}: not an integer`];
      break;
  }
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  return errors;
}
