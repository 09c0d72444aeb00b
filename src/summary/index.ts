// Public API of src/summary: named re-exports only.
export {};
