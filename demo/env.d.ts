// Vite's types for the page: `?url` imports and import.meta.env.
/// <reference types="vite/client" />
