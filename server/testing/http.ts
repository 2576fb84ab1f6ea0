import type { Problem, Ticket } from '../../shared/ticket.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A tiny fetch wrapper for tests: JSON in, parsed JSON (or text) out, never throws on a status. */
export function apiClient(baseUrl: string, defaults: Record<string, string> = {}) {
  return async function request<T = unknown>(
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...defaults, ...options.headers };
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the text itself is what the test sees
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
}

export type ApiRequest = ReturnType<typeof apiClient>;

export async function createTicket(
  request: ApiRequest,
  fields: Partial<Ticket> & { title?: string } = {},
  headers: Record<string, string> = {},
): Promise<Ticket> {
  const { status, body } = await request<Ticket>('POST', '/api/tickets', {
    body: { title: 'A ticket', ...fields },
    headers,
  });
  if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

export type { Problem };
