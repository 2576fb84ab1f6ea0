import type { Ticket } from '../../shared/ticket.js';

export interface FieldError {
  path: string;
  message: string;
}

/** An error the client can act on; the problem middleware turns it into problem+json with this status. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: { errors?: FieldError[]; current?: Ticket; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export class ValidationProblem extends HttpProblem {
  constructor(detail: string, errors: FieldError[]) {
    super(400, 'Invalid request', detail, { errors });
  }
}

export class NotFoundProblem extends HttpProblem {
  constructor(detail: string) {
    super(404, 'Not found', detail);
  }
}

export class PreconditionFailedProblem extends HttpProblem {
  constructor(detail: string, current: Ticket) {
    super(412, 'Precondition failed', detail, { current });
  }
}

export class GoneProblem extends HttpProblem {
  constructor(detail: string) {
    super(410, 'Gone', detail);
  }
}

export class UnavailableProblem extends HttpProblem {
  constructor(detail: string, retryAfterSeconds = 2) {
    super(503, 'Service unavailable', detail, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}
