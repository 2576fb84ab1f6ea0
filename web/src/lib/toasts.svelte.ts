export type ToastKind = 'info' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

const TOAST_MS = 6_000;

/** Short messages for things the user did not see happen: a refused move, a lost connection. */
export class Toasts {
  #items = $state.raw<Toast[]>([]);
  #next = 1;

  get items(): Toast[] {
    return this.#items;
  }

  show(text: string, kind: ToastKind = 'info'): void {
    const toast = { id: this.#next++, kind, text };
    this.#items = [...this.#items.slice(-3), toast];
    setTimeout(() => this.dismiss(toast.id), TOAST_MS);
  }

  dismiss(id: number): void {
    this.#items = this.#items.filter((toast) => toast.id !== id);
  }
}
