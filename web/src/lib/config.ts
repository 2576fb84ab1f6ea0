/** '' serves the API from this origin; a static deployment elsewhere is built with VITE_API_URL = the API's origin. */
export const apiBaseUrl: string = (import.meta.env.VITE_API_URL ?? '').replace(/\/+$/, '');
