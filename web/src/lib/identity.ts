const NAME_KEY = 'ticketdesk.name';

/** A fresh id per tab, so two tabs of one person are two clients (each recognises only its own writes). */
export function newClientId(): string {
  return crypto.randomUUID();
}

export function savedName(): string | null {
  try {
    return localStorage.getItem(NAME_KEY);
  } catch {
    return null;
  }
}

export function saveName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Private mode without storage: the name lasts for this visit only.
  }
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]![0], parts.at(-1)![0]] : [...(parts[0] ?? '?')].slice(0, 2);
  return letters.join('').toUpperCase();
}
