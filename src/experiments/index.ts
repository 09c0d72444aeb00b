// Public API of src/experiments: named re-exports only.
export {};
