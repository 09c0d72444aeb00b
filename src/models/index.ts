// Public API of src/models: named re-exports only.
export {};
