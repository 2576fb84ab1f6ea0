import type { EventsPage } from '../../../shared/events.js';
import type {
  BoardSnapshot,
  CreateTicketBody,
  HistoryEntry,
  ListTicketsQuery,
  MoveTicketBody,
  PatchTicketBody,
  Problem,
  Ticket,
  TicketPage,
} from '../../../shared/ticket.js';

/** A refusal from the API, with its problem+json body (for 412, `problem.current` is the ticket as it is now). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  /** '' for the same origin, else the API's origin, e.g. https://api.example.com */
  baseUrl: string;
  /** Sent as X-Client-Id so that this client recognises its own changes in the events. */
  clientId: string;
  /** The user's display name, sent as X-Actor-Name so that history says who made each change. */
  actorName?: () => string | null | undefined;
  fetch?: typeof fetch;
}

export type Api = ReturnType<typeof createApi>;

/** The typed REST client of the board; every type comes from shared/. */
export function createApi({
  baseUrl,
  clientId,
  actorName,
  fetch: fetchImpl = globalThis.fetch.bind(globalThis),
}: ApiOptions) {
  async function request<T>(
    method: string,
    path: string,
    options: { body?: unknown; version?: number } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-client-id': clientId };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.version !== undefined) headers['if-match'] = `"${options.version}"`;
    const name = method === 'GET' ? undefined : actorName?.();
    if (name) headers['x-actor-name'] = encodeURIComponent(name);
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch {
      throw new ApiError(0, {
        type: '/problems/network',
        title: 'Network error',
        status: 0,
        detail: 'the server could not be reached',
      });
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const body: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const problem =
        body && typeof body === 'object' && 'title' in body
          ? (body as Problem)
          : { type: 'about:blank', title: response.statusText, status: response.status, detail: text.slice(0, 200) };
      throw new ApiError(response.status, problem);
    }
    return body as T;
  }

  function query(params: Record<string, string | number | string[] | undefined>): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      search.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  }

  return {
    board: () => request<BoardSnapshot>('GET', '/api/board'),
    events: (after: number, limit?: number) => request<EventsPage>('GET', `/api/events${query({ after, limit })}`),
    listTickets: (filter: ListTicketsQuery = {}) =>
      request<TicketPage>(
        'GET',
        `/api/tickets${query(filter as Record<string, string | number | string[] | undefined>)}`,
      ),
    getTicket: (id: number) => request<Ticket>('GET', `/api/tickets/${id}`),
    createTicket: (body: CreateTicketBody) => request<Ticket>('POST', '/api/tickets', { body }),
    updateTicket: (id: number, patch: PatchTicketBody, version?: number) =>
      request<Ticket>('PATCH', `/api/tickets/${id}`, { body: patch, version }),
    moveTicket: (id: number, move: MoveTicketBody, version?: number) =>
      request<Ticket>('POST', `/api/tickets/${id}/move`, { body: move, version }),
    deleteTicket: (id: number, version?: number) => request<void>('DELETE', `/api/tickets/${id}`, { version }),
    history: (id: number) => request<HistoryEntry[]>('GET', `/api/tickets/${id}/history`),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
