/** How to reach LM Studio; the shell reads these from the `openspecLoop.lmStudio.*` settings. */
export interface LmStudioSettings {
  /** OpenAI-compatible root, ending in `/v1`. */
  readonly baseUrl: string;
  /** Model identifier; '' uses whichever LLM LM Studio has loaded. */
  readonly model: string;
  /**
   * LM Studio API token, only needed when the server has "Require Authentication" on. The extension keeps it in
   * VS Code's secret storage, the CLI reads it from LM_API_TOKEN.
   */
  readonly apiKey?: string;
  /** How long to wait for the first token; LM Studio sends nothing while it reads the prompt. */
  readonly firstTokenTimeoutMs: number;
  /** How long the stream may go quiet between tokens. */
  readonly idleTimeoutMs: number;
  /** Extra attempts for failures before the first token (server down, 429, 5xx). */
  readonly maxRetries: number;
}

/** The setting names the hints tell the user to change (the CLI puts its own options and variables in). */
export const lmStudioSettingNames = {
  baseUrl: 'openspecLoop.lmStudio.baseUrl',
  model: 'openspecLoop.lmStudio.model',
  /** Not a setting: the token lives in secret storage, and this command puts it there. */
  apiToken: 'the command "OpenSpec: Set LM Studio API Token"',
  firstTokenTimeoutMs: 'openspecLoop.lmStudio.firstTokenTimeoutMs',
  idleTimeoutMs: 'openspecLoop.lmStudio.idleTimeoutMs',
  maxRetries: 'openspecLoop.lmStudio.maxRetries',
} as const;

/**
 * The first-token default stays under undici's own 300 s headers timeout, so a slow CPU model ends with our
 * actionable timeout rather than a bare "fetch failed".
 */
export const defaultLmStudioSettings: LmStudioSettings = {
  baseUrl: 'http://127.0.0.1:1234/v1',
  model: '',
  firstTokenTimeoutMs: 240_000,
  idleTimeoutMs: 60_000,
  maxRetries: 2,
};

/** The token sent when none is configured: LM Studio ignores it, and it keeps OPENAI_API_KEY from leaking. */
export const placeholderApiKey = 'lm-studio';

export function normalizeLmStudioSettings(input: Partial<LmStudioSettings> = {}): LmStudioSettings {
  const apiKey = input.apiKey?.trim();
  return {
    baseUrl: normalizeBaseUrl(input.baseUrl ?? defaultLmStudioSettings.baseUrl),
    model: (input.model ?? '').trim(),
    ...(apiKey ? { apiKey } : {}),
    firstTokenTimeoutMs: positiveOr(input.firstTokenTimeoutMs, defaultLmStudioSettings.firstTokenTimeoutMs),
    idleTimeoutMs: positiveOr(input.idleTimeoutMs, defaultLmStudioSettings.idleTimeoutMs),
    maxRetries: Math.min(5, Math.max(0, Math.floor(finiteOr(input.maxRetries, defaultLmStudioSettings.maxRetries)))),
  };
}

/**
 * Makes the common ways of writing LM Studio's address work:
 * - no scheme (`127.0.0.1:1234`) gets `http://`;
 * - `localhost` becomes `127.0.0.1`, because Node may try `::1` first and LM Studio listens on IPv4;
 * - trailing slashes go;
 * - a bare host (`http://127.0.0.1:1234`) gets `/v1`, where the OpenAI routes live. A URL with some other
 *   path is kept as written (a proxy may mount LM Studio elsewhere).
 * Text that is not a URL is returned trimmed, and requests to it fail as `unreachable` naming it.
 */
export function normalizeBaseUrl(raw: string): string {
  let text = raw.trim() || defaultLmStudioSettings.baseUrl;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return raw.trim();
  }
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path === '' ? '/v1' : path;
  return url.toString().replace(/\/+$/, '');
}

/**
 * Why `raw` cannot be LM Studio's address, or undefined when it can: the scheme must be http or https, and a bare
 * word without a scheme or a port ("notaurl") is a typo, not a host, so it is refused before any DNS lookup.
 */
export function baseUrlProblem(raw: string): string | undefined {
  const text = raw.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `http://${text}`);
  } catch {
    return `"${raw}" is not a URL; write LM Studio's address as http://host:port, e.g. http://127.0.0.1:1234/v1.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `"${raw}" uses ${url.protocol.slice(0, -1)}; LM Studio speaks http or https (e.g. http://127.0.0.1:1234/v1).`;
  if (!hasScheme && url.port === '')
    return `"${raw}" is not a URL; write LM Studio's address as http://host:port, e.g. http://127.0.0.1:1234/v1.`;
  return undefined;
}

/** The server root LM Studio's own REST API (`/api/v0/...`) hangs off: the base URL without `/v1`. */
export function serverRootOf(baseUrl: string): string {
  return baseUrl.replace(/\/v1$/, '');
}

function positiveOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function finiteOr(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}
