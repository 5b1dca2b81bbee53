/** Comma-separated relay URLs baked in at build time (VITE_GFMS_RELAYS). */
declare const __GFMS_DEFAULT_RELAYS__: string;
