// Public API of src/backend: named re-exports only.
export {};
